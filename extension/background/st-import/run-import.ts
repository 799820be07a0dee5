/**
 * One import from a running SillyTavern: download each chosen card as SillyTavern stores it (the raw
 * PNG, so nothing is lost to its JSON API's normalising), read it, fetch the World Info it links, and
 * hand both to the store. Runs in chunks so memory stays bounded however many cards are chosen.
 */
import { parseCardFile, parseCardObject } from '@troupe/shared/cards';
import type { SillyTavernClient } from '../sillytavern/index.ts';
import { describeError, mapLimit } from '@troupe/shared/batch';
import { StImportError } from './errors.ts';
import { ST_IMPORT_CHUNK_SIZE, ST_IMPORT_DOWNLOAD_CONCURRENCY } from '../../messaging/limits/st-import.ts';
import { linkedWorldName } from './linked-world.ts';
import type {
  ImportResult,
  ParsedCharacterItem,
  ParsedImportItem,
  ParsedLorebookItem,
  StImportChoice,
  StImportItemResult,
  StoreImportItems,
} from '../../messaging/st-import-types.ts';

export interface StImportProgress {
  phase: 'downloading' | 'storing';
  /** Characters with a final result so far. */
  charactersDone: number;
}

export interface RunStImportOptions {
  /** A client for the user's SillyTavern, made with the import's abort signal. */
  client: Pick<SillyTavernClient, 'getCharacterCard' | 'getWorld'>;
  choices: readonly StImportChoice[];
  store: StoreImportItems;
  /** Each item's result, as soon as it is final: per chunk, its worlds first, then its characters in order. */
  onResult: (result: StImportItemResult) => void;
  onProgress: (progress: StImportProgress) => void;
  /** Stops after the current step; items not yet stored get an `st-import/cancelled` result. */
  signal?: AbortSignal;
}

type Failure = Extract<StImportItemResult, { ok: false }>;

function failure(kind: Failure['kind'], label: string, source: string, error: unknown): Failure {
  return { kind, label, source, ok: false, ...describeError(error, 'st-import/failed') };
}

async function downloadCharacter(client: RunStImportOptions['client'], choice: StImportChoice): Promise<ParsedCharacterItem | Failure> {
  try {
    const png = await client.getCharacterCard(choice.avatar);
    const parsed = parseCardFile(png, choice.avatar);
    if (parsed.kind !== 'character') {
      throw new StImportError('st-import/wrong-kind', `${choice.avatar} holds a lorebook, not a character card.`);
    }
    return { kind: 'character', label: choice.name, sourceName: choice.avatar, parsed, linkedLorebook: linkedWorldName(parsed.character) };
  } catch (error) {
    return failure('character', choice.name, choice.avatar, error);
  }
}

async function downloadWorld(client: RunStImportOptions['client'], name: string): Promise<ParsedLorebookItem | Failure> {
  try {
    const world = await client.getWorld(name);
    const parsed = parseCardObject(world, name);
    if (parsed.kind !== 'lorebook') throw new StImportError('st-import/wrong-kind', `The World Info "${name}" holds a character, not a lorebook.`);
    return { kind: 'lorebook', label: name, sourceName: name, parsed };
  } catch (error) {
    return failure('lorebook', name, name, error);
  }
}

function isFailure<T extends object>(value: T | Failure): value is Failure {
  return 'ok' in value && value.ok === false;
}

function stored(item: ParsedImportItem, result: ImportResult | undefined): StImportItemResult {
  if (result === undefined) {
    return failure(item.kind, item.label, item.sourceName, new StImportError('st-import/store-failed', `${item.label} was not stored: the library gave no result for it.`));
  }
  if (!result.ok) return { kind: item.kind, label: item.label, source: item.sourceName, ok: false, code: result.code, message: result.message };
  return {
    kind: item.kind,
    label: item.label,
    source: item.sourceName,
    ok: true,
    id: result.id,
    name: result.name,
    linkedLorebook: item.kind === 'character' ? item.linkedLorebook : null,
    warnings: (result.warnings ?? item.parsed.warnings).length,
  };
}

/**
 * Imports the chosen characters, and every World Info they link (each world once per import), from
 * SillyTavern into the store. Never throws for one bad card or world: each gets its own result and
 * the batch goes on. Resolves when every chosen character has a result (or the signal stopped it).
 * @example
 *   await runStImport({ client, choices: [{ avatar: 'default_Seraphina.png', name: 'Seraphina' }], store, onResult, onProgress });
 */
export async function runStImport(options: RunStImportOptions): Promise<void> {
  const { client, choices, store, onResult, onProgress, signal } = options;
  const worldsSeen = new Set<string>();
  let charactersDone = 0;

  for (let start = 0; start < choices.length; start += ST_IMPORT_CHUNK_SIZE) {
    if (signal?.aborted) return;
    const chunk = choices.slice(start, start + ST_IMPORT_CHUNK_SIZE);
    onProgress({ phase: 'downloading', charactersDone });

    const characters = await mapLimit(chunk, ST_IMPORT_DOWNLOAD_CONCURRENCY, (choice) => downloadCharacter(client, choice));
    const worldNames: string[] = [];
    for (const character of characters) {
      if (isFailure(character) || character.linkedLorebook === null || worldsSeen.has(character.linkedLorebook)) continue;
      worldsSeen.add(character.linkedLorebook);
      worldNames.push(character.linkedLorebook);
    }
    const worlds = await mapLimit(worldNames, ST_IMPORT_DOWNLOAD_CONCURRENCY, (name) => downloadWorld(client, name));

    // Worlds go first, so a character's linked lorebook is in the library by the time the character is.
    const slots: (ParsedImportItem | Failure)[] = [...worlds, ...characters];
    const items = slots.filter((slot): slot is ParsedImportItem => !isFailure(slot));
    const results = new Map<ParsedImportItem, StImportItemResult>();
    const worldCount = worlds.filter((w) => !isFailure(w)).length;

    if (items.length > 0 && signal?.aborted) {
      for (const item of items) results.set(item, failure(item.kind, item.label, item.sourceName, new StImportError('st-import/cancelled', 'The import was stopped before this was stored.')));
    } else if (items.length > 0) {
      onProgress({ phase: 'storing', charactersDone });
      const onStored = (count: number): void => onProgress({ phase: 'storing', charactersDone: charactersDone + Math.max(0, Math.min(count, items.length) - worldCount) });
      try {
        const answers = await store(items, onStored);
        items.forEach((item, i) => results.set(item, stored(item, answers[i])));
      } catch (error) {
        const { code, message } = describeError(error, 'st-import/store-failed');
        for (const item of items) results.set(item, { kind: item.kind, label: item.label, source: item.sourceName, ok: false, code, message });
      }
    }

    for (const slot of slots) {
      const result = isFailure(slot) ? slot : results.get(slot);
      if (result !== undefined) onResult(result);
    }
    charactersDone += chunk.length;
    onProgress({ phase: 'storing', charactersDone });
  }
}

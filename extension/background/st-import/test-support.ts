/** Helpers for the st-import tests only: card PNGs, SillyTavern's shipped files, a scripted client and store. */
import { readFileSync } from 'node:fs';
import { exportCharacterPng, parseCardObject } from '@troupe/shared/cards';
import { SillyTavernError } from '../sillytavern/index.ts';
import type { StWorldInfoJson } from '../sillytavern/index.ts';
import type { RunStImportOptions } from './run-import.ts';
import type { ImportResult, ParsedImportItem, StoreImportItems } from '../../messaging/st-import-types.ts';

/** Bytes of a file in the shared fixtures (read in place, never copied into the repo). */
export function fixtureBytes(name: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(readFileSync(new URL(`../../../../shared/fixtures/cards/${name}`, import.meta.url)));
}

export function fixtureJson(name: string): StWorldInfoJson {
  return JSON.parse(new TextDecoder().decode(fixtureBytes(name))) as StWorldInfoJson;
}

/** A V3 card PNG named `name`, linking the World Info `world` when given. */
export function cardPng(name: string, world?: string): Uint8Array {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, description: `${name} test card`, extensions: world ? { world } : {} } });
  if (parsed.kind !== 'character') throw new Error('not a character');
  return exportCharacterPng(parsed.character);
}

/** A client over fixed files, counting requests; a missing file is `st/not-found`, as SillyTavern answers. */
export function scriptedClient(cards: Record<string, Uint8Array | Error>, worlds: Record<string, StWorldInfoJson | Error> = {}) {
  const calls = { cards: [] as string[], worlds: [] as string[] };
  const client: RunStImportOptions['client'] = {
    async getCharacterCard(avatar) {
      calls.cards.push(avatar);
      const card = cards[avatar];
      if (card instanceof Error) throw card;
      if (card === undefined) throw new SillyTavernError('st/not-found', `SillyTavern has no character file ${avatar}.`, 404);
      return card;
    },
    async getWorld(name) {
      calls.worlds.push(name);
      const world = worlds[name];
      if (world instanceof Error) throw world;
      if (world === undefined) throw new SillyTavernError('st/not-found', `SillyTavern has no World Info named "${name}".`, 404);
      return world;
    },
  };
  return { client, calls };
}

/** A store that records every call and answers each item as stored (or as `answer` decides). */
export function recordingStore(answer?: (item: ParsedImportItem, index: number) => ImportResult | undefined) {
  const calls: ParsedImportItem[][] = [];
  const store: StoreImportItems = async (items, onProgress) => {
    calls.push([...items]);
    const results: ImportResult[] = [];
    items.forEach((item, i) => {
      const stored: ImportResult = { label: item.label, ok: true, kind: item.kind, id: `id-${item.sourceName}`, name: item.label };
      const result = answer ? answer(item, i) : stored;
      if (result !== undefined) results.push(result);
      onProgress(i + 1);
    });
    return results;
  };
  return { store, calls };
}

/** A store for service tests: answers each item as received and keeps nothing. */
export const acknowledgeWithoutStoring: StoreImportItems = async (items, onProgress) => {
  const results: ImportResult[] = items.map((item, i) => ({
    label: item.label,
    ok: true,
    kind: item.kind,
    id: `unstored:${i}:${item.sourceName}`,
    name: item.kind === 'character' ? item.parsed.character.data.name : (item.parsed.lorebook.name ?? item.label),
    warnings: item.parsed.warnings,
  }));
  onProgress(items.length);
  return results;
};

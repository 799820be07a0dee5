/**
 * Import batches: cards and lorebooks from any source (files parsed in a page, SillyTavern's API)
 * become rows, docs, asset Blobs and pending thumbnails. Every item gets its own result; one bad
 * item never stops the batch, and none is ever half stored.
 */
import { parseCardObject, type CardWarning, type Character, type Lorebook, type ParsedFile } from '@troupe/shared/cards';
import { base64Size, base64ToBytes } from '@troupe/shared/bytes';
import { describeError, mapLimit } from '@troupe/shared/batch';
import type { CharacterRow, LorebookRow } from '../db/database.ts';
import type { ImportResult, WireImportItem } from '../../messaging/library-wire.ts';
import { IMPORT_CONCURRENCY, MAX_ASSET_BYTES } from '../../messaging/limits/library.ts';
import type { LibraryContext } from './context.ts';
import { updatesTable } from './doc-store.ts';
import { LibraryError } from './errors.ts';
import { assetSource, prepareCharacter, prepareLorebook, type AssetSource, type PreparedCharacter, type PreparedLorebook } from './prepare.ts';
import type { Thumbnails } from './thumbnails.ts';

/** A parsed file from any source (a file, SillyTavern's API) and how results should name it. */
export interface ImportItem {
  label: string;
  parsed: ParsedFile;
}

/** An item on its way in, whatever its source: its card or book, and its assets as Blobs. */
type Incoming =
  | { kind: 'character'; label: string; warnings: CardWarning[]; character: Character; sources: AssetSource[] }
  | { kind: 'lorebook'; label: string; warnings: CardWarning[]; lorebook: Lorebook };

/** An item ready to write, or the error that stopped it. */
interface PreparedItem {
  label: string;
  warnings: CardWarning[];
  character?: PreparedCharacter;
  lorebook?: PreparedLorebook;
}
type Prepared = PreparedItem | (ImportResult & { ok: false });

export class Importer {
  constructor(private readonly ctx: LibraryContext, private readonly thumbnails: Thumbnails) {}

  /**
   * Stores already-parsed cards and lorebooks. Each card is all or nothing (index row, doc, blobs
   * and thumbnail together); one failure never stops the batch, every item gets a result.
   *
   * Everything slow (normalising, building docs) happens first, per item; then the whole batch is
   * written in one transaction, since a transaction's commit, not the writing, is what costs in
   * IndexedDB. Should that transaction fail, every card is written again in its own transaction, so
   * the one at fault gets the error and the others are stored.
   */
  async importParsed(items: readonly ImportItem[], now: number): Promise<ImportResult[]> {
    return this.importing(async () => {
      const prepared = await mapLimit(items, IMPORT_CONCURRENCY, (item) => this.prepare(incomingOf(item), now));
      return this.store(prepared);
    });
  }

  /**
   * Stores items sent by a page: each card's JSON is read again by the card parser (a page cannot
   * store what a file could not hold) and its base64 assets decoded, then as importParsed.
   */
  async importWire(items: readonly WireImportItem[]): Promise<ImportResult[]> {
    const now = this.ctx.now();
    return this.importing(async () => {
      const prepared = await mapLimit(items, IMPORT_CONCURRENCY, async (item): Promise<Prepared> => {
        try {
          return await this.prepare(reparse(item), now);
        } catch (error) {
          return { label: item.label, ok: false, ...describeError(error, 'import/failed') };
        }
      });
      return this.store(prepared);
    });
  }

  /** Runs one import batch: thumbnails wait while any runs; listeners hear of what was stored. */
  private async importing(run: () => Promise<ImportResult[]>): Promise<ImportResult[]> {
    this.thumbnails.importStarted();
    try {
      const results = await run();
      if (results.some((r) => r.ok)) this.ctx.changed();
      return results;
    } finally {
      this.thumbnails.importEnded();
    }
  }

  /** Builds what one item's transaction writes, or its error. */
  private async prepare(item: Incoming, now: number): Promise<Prepared> {
    const { label, warnings } = item;
    try {
      if (item.kind === 'lorebook') return { label, warnings, lorebook: prepareLorebook(item.lorebook, fallbackBookName(label), now) };
      return { label, warnings, character: prepareCharacter(item.character, item.sources, now) };
    } catch (error) {
      return { label, ok: false, ...describeError(error, 'import/failed') };
    }
  }

  /** Writes prepared items: all in one transaction, or, if that fails, each in its own. */
  private async store(items: readonly Prepared[]): Promise<ImportResult[]> {
    const ready = items.filter((item): item is PreparedItem => !('ok' in item));
    if (ready.length > 1) {
      try {
        await this.write(ready);
        return this.stored(items, () => undefined);
      } catch {
        // Fall through: find the item at fault.
      }
    }
    const errors = new Map<PreparedItem, ImportResult>();
    for (const item of ready) {
      try {
        await this.write([item]);
      } catch (error) {
        errors.set(item, { label: item.label, ok: false, ...describeError(error, 'import/failed') });
      }
    }
    return this.stored(items, (item) => errors.get(item));
  }

  /** One transaction: rows (with their docs), asset blobs and thumbnails of every item. */
  private async write(items: readonly PreparedItem[]): Promise<void> {
    const { db } = this.ctx;
    const characters = items.flatMap((item) => (item.character ? [item.character] : []));
    const lorebooks = items.flatMap((item) => (item.lorebook ? [item.lorebook] : []));
    const assets = characters.flatMap((c) => c.assets);
    const thumbs = characters.flatMap((c) => (c.thumb ? [c.thumb] : []));
    await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.lorebooks, updatesTable(db, 'lorebook'), db.assets, db.thumbs], async () => {
      if (characters.length > 0) await db.characters.bulkAdd(characters.map((c) => ({ ...c.row, doc: c.doc }) as CharacterRow));
      if (lorebooks.length > 0) await db.lorebooks.bulkAdd(lorebooks.map((b) => ({ ...b.row, doc: b.doc }) as LorebookRow));
      if (assets.length > 0) await db.assets.bulkAdd(assets);
      if (thumbs.length > 0) await db.thumbs.bulkPut(thumbs);
    });
  }

  /** Results in input order; tells the search index about what was stored. */
  private stored(items: readonly Prepared[], failed: (item: PreparedItem) => ImportResult | undefined): ImportResult[] {
    return items.map((item) => {
      if ('ok' in item) return item;
      const error = failed(item);
      item.character?.doc.destroy();
      item.lorebook?.doc.destroy();
      if (error) return error;
      if (item.lorebook) return { label: item.label, ok: true, kind: 'lorebook', id: item.lorebook.row.id, name: item.lorebook.row.name, warnings: item.warnings };
      const { row } = item.character!;
      this.ctx.indexed(row.id, row);
      return { label: item.label, ok: true, kind: 'character', id: row.id, name: row.name, warnings: item.warnings };
    });
  }
}

function incomingOf({ label, parsed }: ImportItem): Incoming {
  return parsed.kind === 'lorebook'
    ? { kind: 'lorebook', label, warnings: parsed.warnings, lorebook: parsed.lorebook }
    : { kind: 'character', label, warnings: parsed.warnings, character: parsed.character, sources: parsed.assets.map(assetSource) };
}

/** A World Info file names its book by its file name: "Eldoria.json" -> "Eldoria". */
export function fallbackBookName(label: string): string {
  const base = label.slice(Math.max(label.lastIndexOf('/'), label.lastIndexOf('\\')) + 1);
  const stem = base.replace(/\.(json|png|charx)$/i, '').replace(/\.worldinfo$/i, '');
  return stem.trim() || 'Untitled lorebook';
}

/**
 * Reads a page's item again with the card parser (a page cannot store what a file could not hold);
 * its assets arrive as Blobs (the service worker channel) or base64 (runtime messages).
 */
function reparse(item: WireImportItem): Incoming {
  const warnings = item.warnings;
  if (item.kind === 'lorebook') {
    const parsed = parseCardObject(item.lorebook, fallbackBookName(item.label));
    if (parsed.kind !== 'lorebook') throw new LibraryError('import/failed', `${item.label} was sent as a lorebook but is not one.`);
    return { kind: 'lorebook', label: item.label, warnings: [...warnings, ...parsed.warnings], lorebook: parsed.lorebook };
  }
  const parsed = parseCardObject(item.character);
  if (parsed.kind !== 'character') throw new LibraryError('import/failed', `${item.label} was sent as a character but is not one.`);
  const sources = item.assets.map((asset): AssetSource => {
    const size = asset.blob ? asset.blob.size : base64Size(asset.base64 ?? '');
    if (size > MAX_ASSET_BYTES) throw new LibraryError('asset/too-large', `The asset "${asset.name}" is larger than ${MAX_ASSET_BYTES} bytes.`);
    const blob = asset.blob ?? new Blob([base64ToBytes(asset.base64 ?? '') as Uint8Array<ArrayBuffer>], { type: asset.mime });
    const source: AssetSource = { uri: asset.uri, name: asset.name, mime: asset.mime, blob };
    if (asset.path !== undefined) source.path = asset.path;
    return source;
  });
  return { kind: 'character', label: item.label, warnings: [...warnings, ...parsed.warnings], character: parsed.character, sources };
}

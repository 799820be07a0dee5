/**
 * Standalone lorebooks (SillyTavern World Info) and lorebook editing, the same for a character's
 * embedded book and a standalone one: listing, the book a character links to by name, versions for
 * the prompt service's caches, and entry edits that keep the owner's index row in step.
 */
import type * as Y from 'yjs';
import type { JsonObject, Lorebook, LorebookEntry } from '@troupe/shared/cards';
import { readCharacterDoc, readLorebookDoc } from '@troupe/shared/docs';
import type { CharacterRow, LorebookRow, TroupeDb } from '../db/database.ts';
import type { LoreBookFields, LorebookItem, LoreTarget, LoreView } from '../../messaging/library-wire.ts';
import { MAX_LOREBOOK_LIST } from '../../messaging/limits/library.ts';
import type { LibraryContext } from './context.ts';
import { changeDoc, loadDoc, updatesTable } from './doc-store.ts';
import { LibraryError } from './errors.ts';
import type { Importer } from './import.ts';
import { characterIndexFields, lorebookIndexFields } from './index-row.ts';
import { loreView, normalizeEntry, removeEntry, updateBookFields, upsertEntry } from './lore.ts';
import { liveRow, withDoc } from './rows.ts';
import { foldText, searchTokens } from './search-index.ts';

/**
 * The library book named `name` (what a character's `data.extensions.world` holds): an exact match
 * first, else ignoring case; the most recently changed when several share the name.
 */
export async function findLorebook(db: TroupeDb, name: string): Promise<LorebookRow | null> {
  if (!name) return null;
  const newest = (rows: LorebookRow[]) => rows.filter((row) => row.deletedAt === undefined).sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null;
  return newest(await db.lorebooks.where('name').equals(name).toArray())
    ?? newest(await db.lorebooks.where('sortName').equals(name.toLowerCase()).toArray());
}

export class Lorebooks {
  constructor(private readonly ctx: LibraryContext, private readonly importer: Importer) {}

  /** Standalone lorebooks, by name; `search` matches their name and description. */
  async lorebooks(search: string): Promise<LorebookItem[]> {
    const tokens = searchTokens(search);
    const rows = await this.ctx.db.lorebooks.orderBy('sortName').filter((row) => row.deletedAt === undefined).limit(MAX_LOREBOOK_LIST).toArray();
    return rows
      .filter((row) => tokens.every((token) => foldText(`${row.name}\n${row.excerpt}`).includes(token)))
      .map(({ id, name, excerpt, entries, createdAt, updatedAt }) => ({ id, name, excerpt, entries, createdAt, updatedAt }));
  }

  /** Which library book a character links to and its version (`updatedAt`), without reading the book. */
  async linkedLorebookRef(characterId: string): Promise<{ id: string; version: number } | null> {
    const { db } = this.ctx;
    const row = await db.characters.get(characterId);
    const found = row && row.deletedAt === undefined ? await findLorebook(db, row.world) : null;
    return found ? { id: found.id, version: found.updatedAt } : null;
  }

  /** Each lorebook's version (`updatedAt`), null for a book that is gone or waiting for deletion. One read for all. */
  async lorebookVersions(ids: readonly string[]): Promise<(number | null)[]> {
    const rows = await this.ctx.db.lorebooks.bulkGet([...ids]);
    return rows.map((row) => (row && row.deletedAt === undefined ? row.updatedAt : null));
  }

  /** A standalone lorebook as stored, null when it is gone. */
  async readLorebook(id: string): Promise<Lorebook | null> {
    const { db } = this.ctx;
    const row = await db.lorebooks.get(id);
    if (!row || row.deletedAt !== undefined) return null;
    return withDoc(await loadDoc(db, 'lorebook', id), readLorebookDoc);
  }

  /** Creates an empty standalone lorebook. */
  async createLorebook(name: string): Promise<LorebookItem> {
    const [result] = await this.importer.importParsed([{ label: name, parsed: { kind: 'lorebook', lorebook: { name, extensions: {}, entries: [] }, sourceFormat: 'lorebook_v3', warnings: [] } }], this.ctx.now());
    if (!result?.ok) throw new LibraryError('import/failed', result?.message ?? 'The lorebook could not be created.');
    const row = (await this.ctx.db.lorebooks.get(result.id))!;
    return { id: row.id, name: row.name, excerpt: row.excerpt, entries: row.entries, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }

  /** One page of a lorebook's entries. */
  async lore(target: LoreTarget, offset: number, limit: number): Promise<LoreView> {
    const { db } = this.ctx;
    await liveRow(db, target.kind, target.id);
    return withDoc(await loadDoc(db, target.kind, target.id), (doc) => loreView(doc, target.kind, offset, limit));
  }

  /** Adds (key null) or replaces one lorebook entry; returns its key. */
  async upsertLoreEntry(target: LoreTarget, key: string | null, raw: JsonObject): Promise<{ key: string }> {
    const entry: LorebookEntry = normalizeEntry(raw);
    const newKey = await this.changeBook(target, (doc) => upsertEntry(doc, target.kind, key, entry));
    return { key: newKey };
  }

  async removeLoreEntry(target: LoreTarget, key: string): Promise<void> {
    await this.changeBook(target, (doc) => removeEntry(doc, target.kind, key));
  }

  async updateLoreBook(target: LoreTarget, fields: LoreBookFields): Promise<void> {
    await this.changeBook(target, (doc) => updateBookFields(doc, target.kind, fields));
  }

  /** Changes a book's doc and its owner's index row in one transaction. */
  private async changeBook<T>(target: LoreTarget, change: (doc: Y.Doc) => T): Promise<T> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const table = target.kind === 'character' ? db.characters : db.lorebooks;
    const { result, row } = await db.transaction('rw', [table, updatesTable(db, target.kind)], async () => {
      await liveRow(db, target.kind, target.id);
      let fields: Partial<CharacterRow> | Partial<LorebookRow> = {};
      const result = await changeDoc(db, target.kind, target.id, (doc) => {
        const value = change(doc);
        if (target.kind === 'character') fields = characterIndexFields(readCharacterDoc(doc));
        else fields = lorebookIndexFields(readLorebookDoc(doc));
        return value;
      });
      await table.update(target.id, { ...fields, updatedAt: now });
      return { result, row: await table.get(target.id) };
    });
    if (target.kind === 'character' && row) this.ctx.indexed(target.id, row as CharacterRow);
    this.ctx.changed();
    return result;
  }
}

/**
 * The character library as the background sees it: import (from files parsed anywhere, or from
 * SillyTavern), list and search, edit, assets, lorebooks, export, delete with undo. One instance
 * per database (`libraryFor`), so its search index sees every write.
 */
import type * as Y from 'yjs';
import { parseCardObject, type Asset, type CardWarning, type Character, type JsonObject, type Lorebook, type LorebookEntry, type ParsedFile } from '@troupe/shared/cards';
import { readCharacterDoc, readLorebookDoc } from '@troupe/shared/docs';
import type { AssetRow, CharacterRow, LorebookRow, ThumbRow, TroupeDb } from '../db/database.ts';
import type { CharacterSummary, NewCharacter } from '../../messaging/library-wire.ts';
import { base64Size, base64ToBytes, bytesToBase64, sniffRaster } from '@troupe/shared/bytes';
import { describeError, mapLimit } from '@troupe/shared/batch';
import { changeDoc, deleteDocUpdates, loadDoc, updatesTable, type DocKind } from './doc-store.ts';
import { addAssetEntry, applyCharacterPatch, removeAssetEntry } from './edit-character.ts';
import { LibraryError } from './errors.ts';
import { exportCharacterFile, exportLorebookFile } from './export-files.ts';
import { browserImageTools, type ImageTools } from './images.ts';
import { characterIndexFields, lorebookIndexFields, sameUri } from './index-row.ts';
import {
  IMPORT_CONCURRENCY,
  MAX_ASSET_BYTES,
  MAX_ASSET_PREVIEW_BYTES,
  MAX_ASSETS_PER_CHARACTER,
  MAX_LIST_SUMMARIES,
  MAX_LOREBOOK_LIST,
  MAINTENANCE_DELAY_MS,
  PURGE_GRACE_MS,
  THUMB_FILL_CHUNK,
  THUMB_FILL_DELAY_MS,
  THUMB_VERSION,
  UNDO_WINDOW_MS,
} from '../../messaging/limits/library.ts';
import { loreView, normalizeEntry, removeEntry, updateBookFields, upsertEntry } from './lore.ts';
import { assetRow, assetSource, findAvatar, makeThumb, prepareCharacter, prepareLorebook, type AssetSource, type PreparedCharacter, type PreparedLorebook } from './prepare.ts';
import { foldText, SearchIndex, searchTokens, type IndexSource } from './search-index.ts';
import type {
  AssetInfo,
  CharacterDetail,
  CharacterExportFormat,
  CharacterPatch,
  ExportFile,
  ImportResult,
  LibraryItem,
  LibraryPage,
  LibraryQuery,
  LoreBookFields,
  LorebookExportFormat,
  LorebookItem,
  LoreTarget,
  LoreView,
  TagCount,
  WireImportItem,
} from '../../messaging/library-wire.ts';

/** An item on its way in, whatever its source: its card or book, and its assets as Blobs. */
type Incoming =
  | { kind: 'character'; label: string; warnings: CardWarning[]; character: Character; sources: AssetSource[] }
  | { kind: 'lorebook'; label: string; warnings: CardWarning[]; lorebook: Lorebook };

function incomingOf({ label, parsed }: ImportItem): Incoming {
  return parsed.kind === 'lorebook'
    ? { kind: 'lorebook', label, warnings: parsed.warnings, lorebook: parsed.lorebook }
    : { kind: 'character', label, warnings: parsed.warnings, character: parsed.character, sources: parsed.assets.map(assetSource) };
}

/** An item ready to write, or the error that stopped it. */
interface PreparedItem {
  label: string;
  warnings: CardWarning[];
  character?: PreparedCharacter;
  lorebook?: PreparedLorebook;
}
type Prepared = PreparedItem | (ImportResult & { ok: false });

/** A parsed file from any source (a file, SillyTavern's API) and how results should name it. */
export interface ImportItem {
  label: string;
  parsed: ParsedFile;
}

export interface LibraryOptions {
  /** Image decoding for thumbnails and PNG export; null where there is none (thumbnails are skipped). */
  images?: ImageTools | null;
  now?: () => number;
  /** Whether to run the startup chores (purge expired deletes, make pending thumbnails); off in tests that control time. */
  maintain?: boolean;
}

export class Library {
  private readonly images: ImageTools | null;
  private readonly now: () => number;
  private readonly listeners = new Set<() => void>();
  private index: SearchIndex | null = null;
  private indexLoading: Promise<SearchIndex> | null = null;
  /** Writes that happened while the index was loading, applied once it is (null = removed). */
  private pendingIndex = new Map<string, IndexSource | null>();
  private purgeTimer: ReturnType<typeof setTimeout> | null = null;
  private importsRunning = 0;
  private thumbTimer: ReturnType<typeof setTimeout> | null = null;
  private thumbFill: Promise<number> | null = null;

  constructor(readonly db: TroupeDb, options: LibraryOptions = {}) {
    this.images = options.images === undefined ? browserImageTools() : options.images;
    this.now = options.now ?? Date.now;
    if (options.maintain !== false) {
      // Chores wait a moment, so a worker woken to show a page shows it first.
      setTimeout(() => {
        this.purgeExpired().catch(reportUnlessClosed('could not purge deleted items'));
        this.scheduleThumbnails();
      }, MAINTENANCE_DELAY_MS);
    }
  }

  /** Calls `listener` after every change to the library; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sync wrote row `id` (or deleted it: null) behind the library's back: refresh search and tell listeners. */
  syncedRow(id: string, row: CharacterRow | null): void { this.indexed(id, row); this.changed(); }

  /** Sync changed a character's assets or avatar: remake its thumbnail, then as `syncedRow`. */
  async assetsSynced(characterId: string): Promise<void> {
    // A thumbnail is a cache: failing to make one must not fail the sync write that asked for it.
    await this.refreshThumb(characterId).catch(reportUnlessClosed('could not make a thumbnail'));
    const row = await this.db.characters.get(characterId);
    this.syncedRow(characterId, row && row.deletedAt === undefined ? row : null);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  // ---------------------------------------------------------------------------------------
  // Import
  // ---------------------------------------------------------------------------------------

  /**
   * Stores already-parsed cards and lorebooks. Each card is all or nothing (index row, doc, blobs
   * and thumbnail together); one failure never stops the batch, every item gets a result. This is
   * the entry point for any source: files parsed in a page, or SillyTavern's API.
   *
   * Everything slow (normalising, building docs, thumbnails) happens first, per item; then the whole
   * batch is written in one transaction, since a transaction's commit, not the writing, is what costs
   * in IndexedDB. Should that transaction fail, every card is written again in its own transaction,
   * so the one at fault gets the error and the others are stored.
   * @example
   *   await libraryFor(db).importParsed([{ label: 'Seraphina', parsed: parseCardObject(stCard) }]);
   */
  async importParsed(items: readonly ImportItem[], now = this.now()): Promise<ImportResult[]> {
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
    const now = this.now();
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
    this.importsRunning++;
    try {
      const results = await run();
      if (results.some((r) => r.ok)) this.changed();
      return results;
    } finally {
      this.importsRunning--;
      this.scheduleThumbnails();
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
    const { db } = this;
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
      this.indexed(row.id, row);
      return { label: item.label, ok: true, kind: 'character', id: row.id, name: row.name, warnings: item.warnings };
    });
  }

  /** The panel's quick character: a name, a description and maybe an avatar (a data URL, already validated). */
  async createCharacter(input: NewCharacter, now = this.now()): Promise<CharacterSummary> {
    const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: input.name, description: input.description } });
    if (parsed.kind !== 'character') throw new LibraryError('import/failed', 'The character could not be created.');
    const assets: Asset[] = [];
    if (input.avatar) {
      const [, mime = '', base64 = ''] = /^data:([^;]+);base64,(.*)$/.exec(input.avatar) ?? [];
      assets.push({ uri: 'ccdefault:', name: `avatar.${mime.split('/')[1] ?? 'png'}`, mime, bytes: base64ToBytes(base64) });
    }
    const [result] = await this.importParsed([{ label: input.name, parsed: { ...parsed, assets } }], now);
    if (!result?.ok) throw new LibraryError('import/failed', result?.message ?? 'The character could not be created.');
    // Made now, not later: the panel shows the new character at once.
    if (assets.length > 0) await this.refreshThumb(result.id);
    const summary = await this.summary(result.id);
    if (!summary) throw new LibraryError('character/not-found', 'The new character could not be read back.');
    return summary;
  }

  // ---------------------------------------------------------------------------------------
  // Listing and search
  // ---------------------------------------------------------------------------------------

  /**
   * One page of characters. Without a search or a tag filter this reads only the page's rows through
   * an index (fast even before the search index exists); otherwise the in-memory index answers.
   */
  async query(query: LibraryQuery): Promise<LibraryPage> {
    const plain = searchTokens(query.search).length === 0 && query.tag === null;
    if (plain && !this.index) {
      const page = await this.directPage(query);
      void this.searchIndex().catch(reportUnlessClosed('could not build the search index'));
      return page;
    }
    const index = await this.searchIndex();
    const { total, ids } = index.query(query);
    const items = index.items(ids);
    const thumbs = await this.db.thumbs.bulkGet(items.map((item) => item.id));
    return { total, offset: query.offset, items: items.map((item, i) => ({ ...item, avatar: thumbs[i]?.dataUrl || null })) };
  }

  /** Every tag in use with its count. */
  async tags(): Promise<TagCount[]> {
    return (await this.searchIndex()).tags();
  }

  /** Summaries for the older whole-list call: the most recently changed, at most MAX_LIST_SUMMARIES. */
  async summaries(): Promise<CharacterSummary[]> {
    const rows = await this.db.characters.orderBy('updatedAt').reverse().filter((row) => row.deletedAt === undefined).limit(MAX_LIST_SUMMARIES).toArray();
    const thumbs = await this.db.thumbs.bulkGet(rows.map((row) => row.id));
    return rows.map((row, i) => ({ id: row.id, name: row.name, description: row.excerpt, avatar: thumbs[i]?.dataUrl || null, updatedAt: row.updatedAt }));
  }

  /** One character's summary with its full description (what the chat prompt uses), or null. */
  async summary(id: string): Promise<CharacterSummary | null> {
    const row = await this.db.characters.get(id);
    if (!row || row.deletedAt !== undefined) return null;
    const card = await this.readCard(id);
    const thumb = await this.db.thumbs.get(id);
    return { id, name: row.name, description: card?.data.description ?? row.excerpt, avatar: thumb?.dataUrl || null, updatedAt: row.updatedAt };
  }

  private async directPage(query: LibraryQuery): Promise<LibraryPage> {
    const { db } = this;
    const field = query.sort === 'name' ? 'sortName' : query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const ordered = query.direction === 'desc' ? db.characters.orderBy(field).reverse() : db.characters.orderBy(field);
    const [rows, all, deleted] = await Promise.all([
      ordered.filter((row) => row.deletedAt === undefined).offset(query.offset).limit(query.limit).toArray(),
      db.characters.count(),
      db.characters.where('deletedAt').aboveOrEqual(0).count(),
    ]);
    return { total: all - deleted, offset: query.offset, items: await this.itemsOf(rows) };
  }

  private async itemsOf(rows: CharacterRow[]): Promise<LibraryItem[]> {
    const thumbs = await this.db.thumbs.bulkGet(rows.map((row) => row.id));
    return rows.map((row, i) => toItem(row, thumbs[i]?.dataUrl || null));
  }

  /** The search index, loading it from the rows on first use. */
  private searchIndex(): Promise<SearchIndex> {
    if (this.index) return Promise.resolve(this.index);
    this.indexLoading ??= (async () => {
      const rows = await this.db.characters.toArray();
      const index = new SearchIndex();
      index.reset(rows.filter((row) => row.deletedAt === undefined));
      for (const [id, source] of this.pendingIndex) {
        if (source) index.upsert(source);
        else index.remove(id);
      }
      this.pendingIndex.clear();
      this.index = index;
      this.indexLoading = null;
      return index;
    })();
    return this.indexLoading;
  }

  /** Tells the index about a write (null: gone or hidden). */
  private indexed(id: string, source: IndexSource | null): void {
    if (this.index) {
      if (source) this.index.upsert(source);
      else this.index.remove(id);
    } else if (this.indexLoading) {
      this.pendingIndex.set(id, source);
    }
  }

  // ---------------------------------------------------------------------------------------
  // One character: read, edit, assets
  // ---------------------------------------------------------------------------------------

  /** The whole card of a character (a CCv3 object), or null when there is no such character. */
  async readCard(id: string): Promise<Character | null> {
    const row = await this.db.characters.get(id);
    if (!row || row.deletedAt !== undefined) return null;
    return withDoc(await loadDoc(this.db, 'character', id), readCharacterDoc);
  }

  /** Everything the editor shows about one character. */
  async character(id: string): Promise<CharacterDetail> {
    const { db } = this;
    const [row, card] = await Promise.all([this.liveCharacter(id), this.readCard(id)]);
    if (!card) throw notFound();
    const [thumb, assets, linked] = await Promise.all([db.thumbs.get(id), db.assets.where('characterId').equals(id).toArray(), this.findLorebook(row.world)]);
    return {
      item: toItem(row, thumb?.dataUrl || null),
      character: card,
      assets: assets.map((asset) => assetInfo(asset, card, row.avatarAssetId)),
      linkedWorld: row.world ? { name: row.world, lorebookId: linked?.id ?? null } : null,
    };
  }

  /** Applies the editor's changes; the index row follows the card in the same transaction. */
  async updateCharacter(id: string, patch: CharacterPatch): Promise<CharacterDetail> {
    const { db } = this;
    const now = this.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character')], async () => {
      await this.liveCharacter(id);
      const card = await changeDoc(db, 'character', id, (doc) => applyCharacterPatch(doc, patch, now));
      await db.characters.update(id, { ...characterIndexFields(card), updatedAt: now });
      return (await db.characters.get(id))!;
    });
    this.indexed(id, row);
    this.changed();
    return this.character(id);
  }

  /** An image asset's bytes as a data URL, for viewing. */
  async assetDataUrl(assetId: string): Promise<{ id: string; mime: string; dataUrl: string }> {
    const asset = await this.db.assets.get(assetId);
    if (!asset) throw new LibraryError('asset/not-found', 'That asset no longer exists.');
    if (asset.size > MAX_ASSET_PREVIEW_BYTES) throw new LibraryError('asset/too-large', `"${asset.name}" is too large to preview (${asset.size} bytes).`);
    const bytes = new Uint8Array(await asset.blob.arrayBuffer());
    const mime = sniffRaster(bytes);
    if (!mime) throw new LibraryError('asset/not-image', `"${asset.name}" is not an image Troupe shows (${asset.mime}).`);
    return { id: assetId, mime, dataUrl: `data:${mime};base64,${bytesToBase64(bytes)}` };
  }

  /**
   * Adds an image to a character's assets, listed in the card as `embeded://assets/<type>/images/<name>.<ext>`
   * (the path a CHARX export uses). An `icon` named `main` becomes the avatar.
   */
  async addAsset(characterId: string, input: { type: string; name: string; bytes: Uint8Array }): Promise<CharacterDetail> {
    const { db } = this;
    const mime = sniffRaster(input.bytes);
    if (!mime) throw new LibraryError('asset/not-image', 'Only PNG, JPEG, WebP, GIF or AVIF images can be added.');
    if (input.bytes.length > MAX_ASSET_BYTES) throw new LibraryError('asset/too-large', `Images up to ${MAX_ASSET_BYTES} bytes can be added.`);
    const ext = mime === 'image/jpeg' ? 'jpg' : mime.slice('image/'.length);
    const path = `assets/${input.type}/images/${input.name}.${ext}`;
    const asset: Asset = { uri: `embeded://${path}`, name: `${input.name}.${ext}`, path, mime, bytes: input.bytes };
    const stored = assetRow(characterId, assetSource(asset));
    const now = this.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.assets], async () => {
      await this.liveCharacter(characterId);
      const existing = await db.assets.where('characterId').equals(characterId).toArray();
      if (existing.length >= MAX_ASSETS_PER_CHARACTER) throw new LibraryError('asset/too-many', `A character keeps at most ${MAX_ASSETS_PER_CHARACTER} assets.`);
      const replaced = existing.filter((old) => sameUri(old.uri, asset.uri)).map((old) => old.id);
      await db.assets.bulkDelete(replaced);
      await db.assets.add(stored);
      const hasDefault = existing.some((old) => old.uri === 'ccdefault:');
      const card = await changeDoc(db, 'character', characterId, (doc) =>
        addAssetEntry(doc, { type: input.type, uri: asset.uri, name: input.name, ext }, hasDefault, now));
      const avatar = findAvatar(card, [...existing.filter((old) => !replaced.includes(old.id)), stored]);
      await db.characters.update(characterId, { ...characterIndexFields(card), avatarAssetId: avatar?.id ?? null, updatedAt: now });
      return (await db.characters.get(characterId))!;
    });
    await this.refreshThumb(characterId);
    this.indexed(characterId, row);
    this.changed();
    return this.character(characterId);
  }

  /** Removes one asset (its Blob and its entry in the card). */
  async removeAsset(characterId: string, assetId: string): Promise<CharacterDetail> {
    const { db } = this;
    const now = this.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.assets], async () => {
      await this.liveCharacter(characterId);
      const assets = await db.assets.where('characterId').equals(characterId).toArray();
      const target = assets.find((asset) => asset.id === assetId);
      if (!target) throw new LibraryError('asset/not-found', 'That asset no longer exists.');
      await db.assets.delete(assetId);
      const hasDefault = assets.some((asset) => asset.uri === 'ccdefault:');
      const card = await changeDoc(db, 'character', characterId, (doc) => removeAssetEntry(doc, target.uri, hasDefault, now));
      const avatar = findAvatar(card, assets.filter((asset) => asset.id !== assetId));
      await db.characters.update(characterId, { ...characterIndexFields(card), avatarAssetId: avatar?.id ?? null, updatedAt: now });
      return (await db.characters.get(characterId))!;
    });
    await this.refreshThumb(characterId);
    this.indexed(characterId, row);
    this.changed();
    return this.character(characterId);
  }

  /** Makes the thumbnail match the row's avatar (a derived cache, so it may follow in its own transaction). */
  private async refreshThumb(characterId: string): Promise<void> {
    const row = await this.db.characters.get(characterId);
    const avatar = row?.avatarAssetId ? await this.db.assets.get(row.avatarAssetId) : undefined;
    const thumb = avatar ? await makeThumb(characterId, avatar, this.images) : null;
    if (thumb) await this.db.thumbs.put(thumb);
    else await this.db.thumbs.delete(characterId);
  }

  /** Makes pending thumbnails once imports have been quiet for THUMB_FILL_DELAY_MS. */
  private scheduleThumbnails(): void {
    if (!this.images) return;
    if (this.thumbTimer !== null) clearTimeout(this.thumbTimer);
    this.thumbTimer = setTimeout(() => {
      this.thumbTimer = null;
      this.fillThumbnails().catch(reportUnlessClosed('could not make thumbnails'));
    }, THUMB_FILL_DELAY_MS);
  }

  /**
   * Makes every pending thumbnail (imported avatars, schema-1 carry-overs), a chunk per transaction,
   * telling listeners after each chunk so lists show avatars as they come. Steps aside when an import
   * starts. Returns how many were made; one run at a time.
   */
  fillThumbnails(): Promise<number> {
    this.thumbFill ??= (async () => {
      let made = 0;
      try {
        while (this.images && this.importsRunning === 0) {
          const ids = await this.db.thumbs.where('version').below(THUMB_VERSION).limit(THUMB_FILL_CHUNK).primaryKeys();
          if (ids.length === 0) break;
          const thumbs: ThumbRow[] = [];
          for (const id of ids) {
            const row = await this.db.characters.get(id);
            const avatar = row?.avatarAssetId ? await this.db.assets.get(row.avatarAssetId) : undefined;
            // An image that does not decode is settled without a thumbnail, never retried forever.
            thumbs.push((avatar ? await makeThumb(id, avatar, this.images) : null) ?? { id, dataUrl: '', version: THUMB_VERSION });
          }
          await this.db.transaction('rw', this.db.thumbs, async () => {
            const still = await this.db.thumbs.bulkGet(ids);
            await this.db.thumbs.bulkPut(thumbs.filter((_, i) => still[i] !== undefined && still[i]!.version < THUMB_VERSION));
          });
          made += thumbs.length;
          this.changed();
        }
      } finally {
        this.thumbFill = null;
      }
      if (this.importsRunning > 0) this.scheduleThumbnails();
      return made;
    })();
    return this.thumbFill;
  }

  // ---------------------------------------------------------------------------------------
  // Lorebooks
  // ---------------------------------------------------------------------------------------

  /** Standalone lorebooks, by name; `search` matches their name and description. */
  async lorebooks(search = ''): Promise<LorebookItem[]> {
    const tokens = searchTokens(search);
    const rows = await this.db.lorebooks.orderBy('sortName').filter((row) => row.deletedAt === undefined).limit(MAX_LOREBOOK_LIST).toArray();
    return rows
      .filter((row) => tokens.every((token) => foldText(`${row.name}\n${row.excerpt}`).includes(token)))
      .map(({ id, name, excerpt, entries, createdAt, updatedAt }) => ({ id, name, excerpt, entries, createdAt, updatedAt }));
  }

  /**
   * Which library book a character links to (`data.extensions.world`) and its version (`updatedAt`),
   * without reading the book. Resolved by name: an exact match first, else ignoring case; the most
   * recently changed when several share the name.
   */
  async linkedLorebookRef(characterId: string): Promise<{ id: string; version: number } | null> {
    const row = await this.db.characters.get(characterId);
    const found = row && row.deletedAt === undefined ? await this.findLorebook(row.world) : null;
    return found ? { id: found.id, version: found.updatedAt } : null;
  }

  /** Each lorebook's version (`updatedAt`), null for a book that is gone or waiting for deletion. One read for all. */
  async lorebookVersions(ids: readonly string[]): Promise<(number | null)[]> {
    const rows = await this.db.lorebooks.bulkGet([...ids]);
    return rows.map((row) => (row && row.deletedAt === undefined ? row.updatedAt : null));
  }

  /** A standalone lorebook as stored, null when it is gone. */
  async readLorebook(id: string): Promise<Lorebook | null> {
    const row = await this.db.lorebooks.get(id);
    if (!row || row.deletedAt !== undefined) return null;
    return withDoc(await loadDoc(this.db, 'lorebook', id), readLorebookDoc);
  }

  private async findLorebook(name: string): Promise<LorebookRow | null> {
    if (!name) return null;
    const newest = (rows: LorebookRow[]) => rows.filter((row) => row.deletedAt === undefined).sort((a, b) => b.updatedAt - a.updatedAt)[0] ?? null;
    return newest(await this.db.lorebooks.where('name').equals(name).toArray())
      ?? newest(await this.db.lorebooks.where('sortName').equals(name.toLowerCase()).toArray());
  }

  /** Creates an empty standalone lorebook. */
  async createLorebook(name: string): Promise<LorebookItem> {
    const [result] = await this.importParsed([{ label: name, parsed: { kind: 'lorebook', lorebook: { name, extensions: {}, entries: [] }, sourceFormat: 'lorebook_v3', warnings: [] } }]);
    if (!result?.ok) throw new LibraryError('import/failed', result?.message ?? 'The lorebook could not be created.');
    const row = (await this.db.lorebooks.get(result.id))!;
    return { id: row.id, name: row.name, excerpt: row.excerpt, entries: row.entries, createdAt: row.createdAt, updatedAt: row.updatedAt };
  }

  /** One page of a lorebook's entries. */
  async lore(target: LoreTarget, offset: number, limit: number): Promise<LoreView> {
    await this.liveRow(target.kind, target.id);
    return withDoc(await loadDoc(this.db, target.kind, target.id), (doc) => loreView(doc, target.kind, offset, limit));
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
    const { db } = this;
    const now = this.now();
    const table = target.kind === 'character' ? db.characters : db.lorebooks;
    const { result, row } = await db.transaction('rw', [table, updatesTable(db, target.kind)], async () => {
      await this.liveRow(target.kind, target.id);
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
    if (target.kind === 'character' && row) this.indexed(target.id, row as CharacterRow);
    this.changed();
    return result;
  }

  // ---------------------------------------------------------------------------------------
  // Export
  // ---------------------------------------------------------------------------------------

  async exportCharacter(id: string, format: CharacterExportFormat): Promise<ExportFile> {
    const row = await this.liveCharacter(id);
    const card = await this.readCard(id);
    if (!card) throw notFound();
    const assets = await this.db.assets.where('characterId').equals(id).toArray();
    const avatar = assets.find((asset) => asset.id === row.avatarAssetId) ?? null;
    return exportCharacterFile(card, format, assets, avatar, this.images);
  }

  async exportLorebook(id: string, format: LorebookExportFormat): Promise<ExportFile> {
    await this.liveRow('lorebook', id);
    return exportLorebookFile(withDoc(await loadDoc(this.db, 'lorebook', id), readLorebookDoc), format);
  }

  // ---------------------------------------------------------------------------------------
  // Delete with undo
  // ---------------------------------------------------------------------------------------

  /**
   * Hides a character or lorebook at once; after UNDO_WINDOW_MS one transaction deletes it for real
   * (row, doc updates, blobs) and records a tombstone. Until then `undoRemove` brings it back as it was.
   */
  async remove(kind: DocKind, id: string): Promise<{ undoUntil: number }> {
    const now = this.now();
    const table = kind === 'character' ? this.db.characters : this.db.lorebooks;
    await this.db.transaction('rw', table, async () => {
      await this.liveRow(kind, id);
      await table.update(id, { deletedAt: now });
    });
    if (kind === 'character') this.indexed(id, null);
    this.schedulePurge();
    this.changed();
    return { undoUntil: now + UNDO_WINDOW_MS };
  }

  /** Brings back an item hidden by `remove`, as long as it has not been purged. */
  async undoRemove(kind: DocKind, id: string): Promise<void> {
    const table = kind === 'character' ? this.db.characters : this.db.lorebooks;
    const row = await this.db.transaction('rw', table, async () => {
      const found = await table.get(id);
      if (!found || found.deletedAt === undefined) throw new LibraryError('undo/expired', 'It is too late to undo: that item was deleted for good.');
      await table.update(id, { deletedAt: undefined });
      return table.get(id);
    });
    if (kind === 'character' && row) this.indexed(id, row as CharacterRow);
    this.changed();
  }

  /** Deletes for good everything whose undo window has passed; returns how many. */
  async purgeExpired(): Promise<number> {
    const { db } = this;
    const cutoff = this.now() - UNDO_WINDOW_MS;
    const [characters, lorebooks] = await Promise.all([
      db.characters.where('deletedAt').belowOrEqual(cutoff).primaryKeys(),
      db.lorebooks.where('deletedAt').belowOrEqual(cutoff).primaryKeys(),
    ]);
    for (const id of characters) await this.purge('character', id);
    for (const id of lorebooks) await this.purge('lorebook', id);
    if (this.db.isOpen()) {
      const waiting = (await db.characters.where('deletedAt').above(cutoff).count()) + (await db.lorebooks.where('deletedAt').above(cutoff).count());
      if (waiting > 0) this.schedulePurge();
    }
    return characters.length + lorebooks.length;
  }

  /** The one recorded delete: row, doc updates, blobs and thumbnail go, a tombstone stays. */
  private async purge(kind: DocKind, id: string): Promise<void> {
    const { db } = this;
    const now = this.now();
    const table = kind === 'character' ? db.characters : db.lorebooks;
    await db.transaction('rw', [table, updatesTable(db, kind), db.assets, db.thumbs, db.tombstones], async () => {
      const row = await table.get(id);
      if (!row || row.deletedAt === undefined) return; // undone meanwhile
      await table.delete(id);
      await deleteDocUpdates(db, kind, id);
      if (kind === 'character') {
        await db.assets.where('characterId').equals(id).delete();
        await db.thumbs.delete(id);
      }
      await db.tombstones.put({ id, kind, deletedAt: now });
    });
  }

  private schedulePurge(): void {
    if (this.purgeTimer !== null) return;
    this.purgeTimer = setTimeout(() => {
      this.purgeTimer = null;
      this.purgeExpired().catch(reportUnlessClosed('could not purge deleted items'));
    }, UNDO_WINDOW_MS + PURGE_GRACE_MS);
  }

  /** Stops timers (tests, and a database being closed). */
  dispose(): void {
    if (this.purgeTimer !== null) clearTimeout(this.purgeTimer);
    if (this.thumbTimer !== null) clearTimeout(this.thumbTimer);
    this.purgeTimer = null;
    this.thumbTimer = null;
  }

  // ---------------------------------------------------------------------------------------

  private async liveCharacter(id: string): Promise<CharacterRow> {
    return (await this.liveRow('character', id)) as CharacterRow;
  }

  private async liveRow(kind: DocKind, id: string): Promise<CharacterRow | LorebookRow> {
    const row = kind === 'character' ? await this.db.characters.get(id) : await this.db.lorebooks.get(id);
    if (!row || row.deletedAt !== undefined) {
      throw kind === 'character' ? notFound() : new LibraryError('lorebook/not-found', 'That lorebook no longer exists in your library.');
    }
    return row;
  }
}

const libraries = new WeakMap<TroupeDb, Library>();

/** The one Library of a database (created on first use with the context's image tools). */
export function libraryFor(db: TroupeDb): Library {
  let library = libraries.get(db);
  if (!library) {
    library = new Library(db);
    libraries.set(db, library);
  }
  return library;
}

/** Logs a failed background chore, except that the database was closed under it (shutdown, tests). */
function reportUnlessClosed(what: string): (error: unknown) => void {
  return (error) => {
    if ((error as { name?: unknown } | null)?.name !== 'DatabaseClosedError') console.error(`Troupe: ${what}`, error);
  };
}

function notFound(): LibraryError {
  return new LibraryError('character/not-found', 'That character no longer exists in your library.');
}

function toItem(row: CharacterRow, avatar: string | null): LibraryItem {
  return {
    id: row.id,
    name: row.name,
    excerpt: row.excerpt,
    tags: row.tags,
    creator: row.creator,
    avatar,
    world: row.world,
    bookEntries: row.bookEntries,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function assetInfo(asset: AssetRow, card: Character, avatarId: string | null): AssetInfo {
  const listed = (card.data.assets ?? (asset.uri === 'ccdefault:' ? [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }] : []))
    .find((entry) => sameUri(entry.uri, asset.uri));
  return { id: asset.id, uri: asset.uri, name: asset.name, mime: asset.mime, size: asset.size, type: listed?.type ?? '', isAvatar: asset.id === avatarId };
}

function withDoc<T>(doc: Y.Doc, read: (doc: Y.Doc) => T): T {
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

/** A World Info file names its book by its file name: "Eldoria.json" -> "Eldoria". */
function fallbackBookName(label: string): string {
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

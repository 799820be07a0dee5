/**
 * The character library as the background sees it: one facade over its parts (import batches,
 * listing and search, characters and their assets, lorebooks, export, delete with undo, thumbnails).
 * One instance per database (`libraryFor`), so its search index sees every write; the parts share a
 * LibraryContext through which each write keeps search in step and tells listeners.
 */
import type { JsonObject, Character, Lorebook } from '@troupe/shared/cards';
import type { CharacterOptions } from '@troupe/shared/docs';
import type { AssetRow, CharacterRow, TroupeDb } from '../db/database.ts';
import type {
  CharacterDetail,
  CharacterExportFormat,
  CharacterPatch,
  CharacterSummary,
  ExportFile,
  ImportResult,
  LibraryPage,
  LibraryQuery,
  LoreBookFields,
  LorebookExportFormat,
  LorebookItem,
  LoreTarget,
  LoreView,
  NewCharacter,
  TagCount,
  WireImportItem,
} from '../../messaging/library-wire.ts';
import { MAINTENANCE_DELAY_MS } from '../../messaging/limits/library.ts';
import { Characters, readCard, readOptions } from './characters.ts';
import { reportUnlessClosed, type LibraryContext } from './context.ts';
import type { DocKind } from './doc-store.ts';
import { exportCharacter, exportLorebook } from './export.ts';
import { FirstPageKeeper, type FirstPageStore } from './first-page.ts';
import { browserImageTools, type ImageTools } from './images.ts';
import { Importer, type ImportItem } from './import.ts';
import { importAll, type AlongsideWrite, type AtomicImportItem } from './import-all.ts';
import { Lorebooks } from './lorebooks.ts';
import { LibraryQueries } from './query.ts';
import { Thumbnails } from './thumbnails.ts';
import { Trash } from './trash.ts';

export type { ImportItem } from './import.ts';
export type { AlongsideWrite, AtomicImportItem } from './import-all.ts';

export interface LibraryOptions {
  /** Image decoding for thumbnails and PNG export; null where there is none (thumbnails are skipped). */
  images?: ImageTools | null;
  now?: () => number;
  /** Whether to run the startup chores (purge expired deletes, make pending thumbnails); off in tests that control time. */
  maintain?: boolean;
}

export class Library {
  private readonly listeners = new Set<() => void>();
  private readonly ctx: LibraryContext;
  private readonly queries: LibraryQueries;
  private readonly thumbnails: Thumbnails;
  private readonly importer: Importer;
  private readonly characters: Characters;
  private readonly books: Lorebooks;
  private readonly trash: Trash;
  private firstPage: FirstPageKeeper | null = null;

  constructor(readonly db: TroupeDb, options: LibraryOptions = {}) {
    const now = options.now ?? Date.now;
    this.ctx = {
      db,
      images: options.images === undefined ? browserImageTools() : options.images,
      now: () => now(),
      indexed: (id, source) => this.queries.indexed(id, source),
      thumbnailsChanged: (ids) => this.queries.thumbnailsChanged(ids),
      changed: () => this.changed(),
    };
    this.queries = new LibraryQueries(this.ctx);
    this.thumbnails = new Thumbnails(this.ctx);
    this.importer = new Importer(this.ctx, this.thumbnails);
    this.characters = new Characters(this.ctx, this.importer, this.thumbnails);
    this.books = new Lorebooks(this.ctx, this.importer);
    this.trash = new Trash(this.ctx);
    if (options.maintain !== false) {
      // Chores wait a moment, so a worker woken to show a page shows it first.
      setTimeout(() => {
        this.purgeExpired().catch(reportUnlessClosed('could not purge deleted items'));
        this.thumbnails.schedule();
        this.firstPage?.keep().catch(reportUnlessClosed('could not store the first page'));
      }, MAINTENANCE_DELAY_MS);
    }
  }

  /**
   * Keeps the library's first page in `store` from now on, for pages to show while a stopped worker
   * starts (see first-page.ts). The background calls it once; a second call is ignored.
   */
  keepFirstPage(store: FirstPageStore): void {
    this.firstPage ??= new FirstPageKeeper(store, (query) => this.queries.query(query));
  }

  /** Calls `listener` after every change to the library; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sync wrote row `id` (or deleted it: null) behind the library's back: refresh search and tell listeners. */
  syncedRow(id: string, row: CharacterRow | null): void {
    this.queries.indexed(id, row);
    this.changed();
  }

  /** Sync changed a character's assets or avatar: remake its thumbnail, then as `syncedRow`. */
  async assetsSynced(characterId: string): Promise<void> {
    // A thumbnail is a cache: failing to make one must not fail the sync write that asked for it.
    await this.thumbnails.refresh(characterId).catch(reportUnlessClosed('could not make a thumbnail'));
    const row = await this.db.characters.get(characterId);
    this.syncedRow(characterId, row && row.deletedAt === undefined ? row : null);
  }

  // Import ----------------------------------------------------------------------------------

  /**
   * Stores already-parsed cards and lorebooks, each all or nothing, one result per item. The entry
   * point for any source: files parsed in a page, or SillyTavern's API.
   * @example
   *   await libraryFor(db).importParsed([{ label: 'Seraphina', parsed: parseCardObject(stCard) }]);
   */
  importParsed(items: readonly ImportItem[], now = this.ctx.now()): Promise<ImportResult[]> {
    return this.importer.importParsed(items, now);
  }

  /** Stores items sent by a page (each card read again by the card parser first). */
  importWire(items: readonly WireImportItem[]): Promise<ImportResult[]> {
    return this.importer.importWire(items);
  }

  /**
   * Stores every item or none (a character pack): new ones added, the others written over the library
   * item they name, in one transaction with `alongside`. Returns each item's library id, in order;
   * throws the first failure with nothing written.
   */
  importAll(items: readonly AtomicImportItem[], alongside: AlongsideWrite | null = null): Promise<string[]> {
    return importAll(this.ctx, this.thumbnails, items, alongside);
  }

  /** Every stored asset of a character (with its bytes as a Blob), for packing it. */
  assetsOf(characterId: string): Promise<AssetRow[]> {
    return this.db.assets.where('characterId').equals(characterId).toArray();
  }

  /** The panel's quick character: a name, a description and maybe an avatar (a data URL, already validated). */
  createCharacter(input: NewCharacter, now = this.ctx.now()): Promise<CharacterSummary> {
    return this.characters.createCharacter(input, now);
  }

  // Listing and search ----------------------------------------------------------------------

  /** One page of characters, searched, filtered by tag and sorted. */
  query(query: LibraryQuery): Promise<LibraryPage> {
    return this.queries.query(query);
  }

  /** Every tag in use with its count. */
  tags(): Promise<TagCount[]> {
    return this.queries.tags();
  }

  /** Summaries for the older whole-list call: the most recently changed, at most MAX_LIST_SUMMARIES. */
  summaries(): Promise<CharacterSummary[]> {
    return this.queries.summaries();
  }

  /** One character's summary with its full description (what the chat prompt uses), or null. */
  summary(id: string): Promise<CharacterSummary | null> {
    return this.characters.summary(id);
  }

  // One character: read, edit, assets -------------------------------------------------------

  /** The whole card of a character (a CCv3 object), or null when there is no such character. */
  readCard(id: string): Promise<Character | null> {
    return readCard(this.db, id);
  }

  /** Troupe's own options for a character (long-term memory…), or null when there is no such character. */
  characterOptions(id: string): Promise<CharacterOptions | null> {
    return readOptions(this.db, id);
  }

  /** Changes Troupe's own options for a character (synced with it, never in its card). */
  setCharacterOptions(id: string, patch: Partial<CharacterOptions>): Promise<CharacterOptions> {
    return this.characters.setOptions(id, patch);
  }

  /** Everything the editor shows about one character. */
  character(id: string): Promise<CharacterDetail> {
    return this.characters.character(id);
  }

  /** Applies the editor's changes; the index row follows the card in the same transaction. */
  updateCharacter(id: string, patch: CharacterPatch): Promise<CharacterDetail> {
    return this.characters.updateCharacter(id, patch);
  }

  /** An image asset's bytes as a data URL, for viewing. */
  assetDataUrl(assetId: string): Promise<{ id: string; mime: string; dataUrl: string }> {
    return this.characters.assetDataUrl(assetId);
  }

  /** Adds an image to a character's assets; an `icon` named `main` becomes the avatar. */
  addAsset(characterId: string, input: { type: string; name: string; bytes: Uint8Array }): Promise<CharacterDetail> {
    return this.characters.addAsset(characterId, input);
  }

  /** Removes one asset (its Blob and its entry in the card). */
  removeAsset(characterId: string, assetId: string): Promise<CharacterDetail> {
    return this.characters.removeAsset(characterId, assetId);
  }

  /** Makes every pending thumbnail now; returns how many (see Thumbnails.fill). */
  fillThumbnails(): Promise<number> {
    return this.thumbnails.fill();
  }

  // Lorebooks -------------------------------------------------------------------------------

  /** Standalone lorebooks, by name; `search` matches their name and description. */
  lorebooks(search = ''): Promise<LorebookItem[]> {
    return this.books.lorebooks(search);
  }

  /**
   * Which library book a character links to (`data.extensions.world`) and its version (`updatedAt`),
   * without reading the book. Resolved by name: an exact match first, else ignoring case; the most
   * recently changed when several share the name.
   */
  linkedLorebookRef(characterId: string): Promise<{ id: string; version: number } | null> {
    return this.books.linkedLorebookRef(characterId);
  }

  /** Each lorebook's version (`updatedAt`), null for a book that is gone or waiting for deletion. One read for all. */
  lorebookVersions(ids: readonly string[]): Promise<(number | null)[]> {
    return this.books.lorebookVersions(ids);
  }

  /** A standalone lorebook as stored, null when it is gone. */
  readLorebook(id: string): Promise<Lorebook | null> {
    return this.books.readLorebook(id);
  }

  /** Creates an empty standalone lorebook. */
  createLorebook(name: string): Promise<LorebookItem> {
    return this.books.createLorebook(name);
  }

  /** One page of a lorebook's entries. */
  lore(target: LoreTarget, offset: number, limit: number): Promise<LoreView> {
    return this.books.lore(target, offset, limit);
  }

  /** Adds (key null) or replaces one lorebook entry; returns its key. */
  upsertLoreEntry(target: LoreTarget, key: string | null, raw: JsonObject): Promise<{ key: string }> {
    return this.books.upsertLoreEntry(target, key, raw);
  }

  removeLoreEntry(target: LoreTarget, key: string): Promise<void> {
    return this.books.removeLoreEntry(target, key);
  }

  updateLoreBook(target: LoreTarget, fields: LoreBookFields): Promise<void> {
    return this.books.updateLoreBook(target, fields);
  }

  // Export ----------------------------------------------------------------------------------

  exportCharacter(id: string, format: CharacterExportFormat): Promise<ExportFile> {
    return exportCharacter(this.ctx, id, format);
  }

  exportLorebook(id: string, format: LorebookExportFormat): Promise<ExportFile> {
    return exportLorebook(this.ctx, id, format);
  }

  // Delete with undo ------------------------------------------------------------------------

  /** Hides a character or lorebook at once; it is deleted for good once its undo window has passed. */
  remove(kind: DocKind, id: string): Promise<{ undoUntil: number }> {
    return this.trash.remove(kind, id);
  }

  /** Brings back an item hidden by `remove`, as long as it has not been purged. */
  undoRemove(kind: DocKind, id: string): Promise<void> {
    return this.trash.undoRemove(kind, id);
  }

  /** Deletes for good everything whose undo window has passed; returns how many. */
  purgeExpired(): Promise<number> {
    return this.trash.purgeExpired();
  }

  /** Stops timers (tests, and a database being closed). */
  dispose(): void {
    this.trash.dispose();
    this.thumbnails.dispose();
    this.firstPage?.dispose();
  }

  private changed(): void {
    this.firstPage?.changed();
    for (const listener of this.listeners) listener();
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

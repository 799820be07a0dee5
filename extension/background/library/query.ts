/**
 * Listing and search: pages of characters, tag counts and the older whole-list summaries. Owns the
 * in-memory search index (loaded from the rows on first use) and keeps it in step with every write,
 * including those made while it was loading; and the thumbnails of recent answers, so a keystroke's
 * answer is made in memory.
 */
import type { CharacterRow } from '../db/database.ts';
import type { CharacterSummary, LibraryItem, LibraryPage, LibraryQuery, TagCount } from '../../messaging/library-wire.ts';
import { MAX_CACHED_AVATARS, MAX_LIST_SUMMARIES } from '../../messaging/limits/library.ts';
import { reportUnlessClosed, type LibraryContext } from './context.ts';
import { toItem } from './rows.ts';
import { SearchIndex, searchTokens, type IndexSource } from './search-index.ts';

export class LibraryQueries {
  private index: SearchIndex | null = null;
  private indexLoading: Promise<SearchIndex> | null = null;
  /** Writes that happened while the index was loading, applied once it is (null = removed). */
  private readonly pendingIndex = new Map<string, IndexSource | null>();
  /** Thumbnails (data URL, or null for none) by character id, least recently used first. */
  private readonly avatars = new Map<string, string | null>();
  /** Grows whenever a thumbnail may have changed: a read that started before is not cached. */
  private avatarGeneration = 0;

  constructor(private readonly ctx: LibraryContext) {}

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
    const avatars = await this.avatarsOf(items.map((item) => item.id), (id) => index.mayHaveAvatar(id));
    return { total, offset: query.offset, items: items.map((item, i) => ({ ...item, avatar: avatars[i] ?? null })) };
  }

  /** Every tag in use with its count. */
  async tags(): Promise<TagCount[]> {
    return (await this.searchIndex()).tags();
  }

  /** Summaries for the older whole-list call: the most recently changed, at most MAX_LIST_SUMMARIES. */
  async summaries(): Promise<CharacterSummary[]> {
    const { db } = this.ctx;
    const rows = await db.characters.orderBy('updatedAt').reverse().filter((row) => row.deletedAt === undefined).limit(MAX_LIST_SUMMARIES).toArray();
    const thumbs = await db.thumbs.bulkGet(rows.map((row) => row.id));
    return rows.map((row, i) => ({ id: row.id, name: row.name, description: row.excerpt, avatar: thumbs[i]?.dataUrl || null, updatedAt: row.updatedAt }));
  }

  /** Tells the index about a write (null: gone or hidden). */
  indexed(id: string, source: IndexSource | null): void {
    this.thumbnailsChanged([id]);
    if (this.index) {
      if (source) this.index.upsert(source);
      else this.index.remove(id);
    } else if (this.indexLoading) {
      this.pendingIndex.set(id, source);
    }
  }

  /** Forgets the cached thumbnails of these characters (they were remade, removed, or their avatar moved). */
  thumbnailsChanged(ids: readonly string[]): void {
    this.avatarGeneration++;
    for (const id of ids) this.avatars.delete(id);
  }

  /**
   * A page read through an index of the rows, before the search index is loaded (a background that
   * just started). The first page, the one every list opens on, is a single bounded read.
   */
  private async directPage(query: LibraryQuery): Promise<LibraryPage> {
    const { db } = this.ctx;
    const field = query.sort === 'name' ? 'sortName' : query.sort === 'updated' ? 'updatedAt' : 'createdAt';
    const ordered = () => (query.direction === 'desc' ? db.characters.orderBy(field).reverse() : db.characters.orderBy(field));
    const { rows, total } = await db.transaction('r', db.characters, async () => {
      const [all, deleted] = await Promise.all([db.characters.count(), db.characters.where('deletedAt').aboveOrEqual(0).count()]);
      const live = (row: CharacterRow) => row.deletedAt === undefined;
      // Hidden rows are few (deletes waiting out their undo window): read that many more and drop them.
      const rows = query.offset === 0
        ? (await ordered().limit(query.limit + deleted).toArray()).filter(live).slice(0, query.limit)
        : await ordered().filter(live).offset(query.offset).limit(query.limit).toArray();
      return { rows, total: all - deleted };
    });
    const withAvatar = new Set(rows.filter((row) => row.avatarAssetId !== null).map((row) => row.id));
    const avatars = await this.avatarsOf(rows.map((row) => row.id), (id) => withAvatar.has(id));
    return { total, offset: query.offset, items: rows.map((row, i) => toItem(row, avatars[i] ?? null)) };
  }

  /**
   * The thumbnails of these characters: none for those without an avatar, from memory when a recent
   * answer (or the preload) read them, else from the table.
   */
  private async avatarsOf(ids: readonly string[], mayHaveAvatar: (id: string) => boolean): Promise<(string | null)[]> {
    const missing = ids.filter((id) => mayHaveAvatar(id) && !this.avatars.has(id));
    if (missing.length > 0) {
      const generation = this.avatarGeneration;
      const rows = await this.ctx.db.thumbs.bulkGet(missing);
      if (generation !== this.avatarGeneration) {
        // A thumbnail changed during the read: answer from the table, cache nothing.
        const fresh = await this.ctx.db.thumbs.bulkGet([...ids]);
        return fresh.map((row) => row?.dataUrl || null);
      }
      missing.forEach((id, i) => this.remember(id, rows[i]?.dataUrl || null));
    }
    return ids.map((id) => (mayHaveAvatar(id) ? this.remember(id, this.avatars.get(id) ?? null) : null));
  }

  /** Reads the thumbnails a list will show into memory, as many as are kept, once the search index is loaded. */
  private async preloadAvatars(): Promise<void> {
    const generation = this.avatarGeneration;
    const rows = await this.ctx.db.thumbs.limit(MAX_CACHED_AVATARS).toArray();
    if (generation !== this.avatarGeneration) return;
    for (const row of rows) if (!this.avatars.has(row.id)) this.remember(row.id, row.dataUrl || null);
  }

  /** Caches a thumbnail as the most recently used; the least recently used go past MAX_CACHED_AVATARS. */
  private remember(id: string, avatar: string | null): string | null {
    this.avatars.delete(id);
    this.avatars.set(id, avatar);
    if (this.avatars.size > MAX_CACHED_AVATARS) this.avatars.delete(this.avatars.keys().next().value!);
    return avatar;
  }

  /** The search index, loading it from the rows on first use. */
  private searchIndex(): Promise<SearchIndex> {
    if (this.index) return Promise.resolve(this.index);
    this.indexLoading ??= (async () => {
      const rows = await this.ctx.db.characters.toArray();
      const index = new SearchIndex();
      index.reset(rows.filter((row) => row.deletedAt === undefined));
      for (const [id, source] of this.pendingIndex) {
        if (source) index.upsert(source);
        else index.remove(id);
      }
      this.pendingIndex.clear();
      this.index = index;
      this.indexLoading = null;
      void this.preloadAvatars().catch(reportUnlessClosed('could not read thumbnails'));
      return index;
    })();
    return this.indexLoading;
  }
}

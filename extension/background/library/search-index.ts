/**
 * The library's in-memory search index: every character's searchable text (name, tags,
 * creator, description excerpt) folded once, and the three sort orders kept ready, so a keystroke
 * costs one pass of substring checks over the previous keystroke's matches and no sorting.
 * Lives in the background beside the database and is told about every write.
 */
import type { CharacterRow } from '../db/database.ts';
import type { LibraryItem, LibraryQuery, SortKey, TagCount } from '../../messaging/library-wire.ts';

export interface IndexedCharacter {
  id: string;
  /** What a list shows of it (all but the thumbnail), so a page needs no row reads. */
  item: Omit<LibraryItem, 'avatar'>;
  sortName: string;
  tagKeys: string[];
  tags: string[];
  createdAt: number;
  updatedAt: number;
  /** Folded text searched by substring. */
  haystack: string;
  /** False only when the row says it has no avatar (so a list needs no thumbnail read for it). */
  mayHaveAvatar: boolean;
}

export type IndexSource = Pick<CharacterRow, 'id' | 'name' | 'sortName' | 'tags' | 'creator' | 'excerpt' | 'world' | 'bookEntries' | 'createdAt' | 'updatedAt'>
  & Partial<Pick<CharacterRow, 'avatarAssetId'>>;

/** Lower case without accents, so "Séraphina" is found by "seraphina". */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a search, folded; empty words dropped. */
export function searchTokens(search: string): string[] {
  return foldText(search).split(/\s+/).filter((word) => word.length > 0);
}

const COMPARE: Record<SortKey, (a: IndexedCharacter, b: IndexedCharacter) => number> = {
  name: (a, b) => (a.sortName < b.sortName ? -1 : a.sortName > b.sortName ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  updated: (a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  created: (a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
};

interface LastQuery {
  folded: string;
  tokens: string[];
  tag: string | null;
  sort: SortKey;
  /** Matches in ascending sort order. */
  matches: IndexedCharacter[];
}

export class SearchIndex {
  private readonly byId = new Map<string, IndexedCharacter>();
  private sorted: Partial<Record<SortKey, IndexedCharacter[]>> = {};
  private last: LastQuery | null = null;

  get size(): number {
    return this.byId.size;
  }

  /** Adds or replaces one character. */
  upsert(source: IndexSource): void {
    this.byId.set(source.id, toIndexed(source));
    this.invalidate();
  }

  remove(id: string): void {
    if (this.byId.delete(id)) this.invalidate();
  }

  /** Replaces everything (first load). */
  reset(sources: Iterable<IndexSource>): void {
    this.byId.clear();
    for (const source of sources) this.byId.set(source.id, toIndexed(source));
    this.invalidate();
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Whether character `id` may have a thumbnail (unknown ids may). */
  mayHaveAvatar(id: string): boolean {
    return this.byId.get(id)?.mayHaveAvatar ?? true;
  }

  /** The list items of characters by id (ids it does not know are skipped). */
  items(ids: readonly string[]): Omit<LibraryItem, 'avatar'>[] {
    return ids.flatMap((id) => {
      const entry = this.byId.get(id);
      return entry ? [entry.item] : [];
    });
  }

  /**
   * The ids of one page of matches and how many matched in all.
   * @example index.query({ search: 'sera', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 50 })
   */
  query(query: LibraryQuery): { total: number; ids: string[] } {
    const matches = this.matches(query);
    const total = matches.length;
    const ids: string[] = [];
    const end = Math.min(total, query.offset + query.limit);
    for (let i = query.offset; i < end; i++) {
      const entry = query.direction === 'asc' ? matches[i]! : matches[total - 1 - i]!;
      ids.push(entry.id);
    }
    return { total, ids };
  }

  /** Every tag (folded: "NSFW" and "nsfw" are one) with how many characters carry it, most used first. */
  tags(): TagCount[] {
    const counts = new Map<string, TagCount>();
    for (const entry of this.byId.values()) {
      entry.tags.forEach((tag, i) => {
        const key = entry.tagKeys[i]!;
        const found = counts.get(key);
        if (!found) counts.set(key, { tag, count: 1 });
        else {
          found.count++;
          // Several spellings of one tag: show the same one whatever the insertion order.
          if (tag.localeCompare(found.tag) < 0) found.tag = tag;
        }
      });
    }
    return [...counts.values()].sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }

  private matches(query: LibraryQuery): IndexedCharacter[] {
    const folded = foldText(query.search).trim();
    const tokens = searchTokens(query.search);
    const tag = query.tag === null ? null : foldText(query.tag);
    const last = this.last;
    // A longer search (the next keystroke) can only match fewer: scan the previous matches, in order.
    const refines = last !== null && last.sort === query.sort && last.tag === tag && folded.startsWith(last.folded);
    const candidates = refines ? last.matches : this.sortedBy(query.sort);
    const matches = tokens.length === 0 && tag === null
      ? candidates
      : candidates.filter((entry) => (tag === null || entry.tagKeys.includes(tag)) && tokens.every((token) => entry.haystack.includes(token)));
    this.last = { folded, tokens, tag, sort: query.sort, matches };
    return matches;
  }

  private sortedBy(sort: SortKey): IndexedCharacter[] {
    let list = this.sorted[sort];
    if (!list) {
      list = [...this.byId.values()].sort(COMPARE[sort]);
      this.sorted[sort] = list;
    }
    return list;
  }

  private invalidate(): void {
    this.sorted = {};
    this.last = null;
  }
}

function toIndexed(source: IndexSource): IndexedCharacter {
  const text = [source.name, ...source.tags, source.creator, source.excerpt].join('\n');
  const { id, name, excerpt, tags, creator, world, bookEntries, createdAt, updatedAt } = source;
  return {
    id: source.id,
    item: { id, name, excerpt, tags, creator, world, bookEntries, createdAt, updatedAt },
    sortName: source.sortName,
    tags: source.tags,
    tagKeys: source.tags.map(foldText),
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
    haystack: foldText(text),
    mayHaveAvatar: source.avatarAssetId !== null,
  };
}

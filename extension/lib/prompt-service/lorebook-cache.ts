import type { Lorebook } from '@troupe/shared/cards';
import { loreBookFromCharacterBook, type LoreBook } from '@troupe/shared/lore';
import { MAX_CACHED_LOREBOOKS } from './limits.ts';

/** The name a library book goes by in the prompt and the inspector when it has none. */
export const UNNAMED_BOOK = 'World Info';

/**
 * Library lorebooks converted for the lore engine, one object per book version. The engine caches a
 * book's compiled form by object identity, so handing it the same object while the book is unchanged
 * keeps a 5,000-entry book from being recompiled on every request; a new version gets a new object.
 */
export class LorebookCache {
  private readonly books = new Map<string, { version: number; book: LoreBook }>();

  constructor(private readonly read: (id: string) => Promise<Lorebook | null>, private readonly limit = MAX_CACHED_LOREBOOKS) {}

  /** The book at `version`, read from the library only when that version is not held; null when it is gone. */
  async get(id: string, version: number): Promise<LoreBook | null> {
    const cached = this.books.get(id);
    if (cached && cached.version === version) {
      // Re-insert: Map order is the eviction order, least recently used first.
      this.books.delete(id);
      this.books.set(id, cached);
      return cached.book;
    }
    const source = await this.read(id);
    if (!source) {
      this.books.delete(id);
      return null;
    }
    const book = loreBookFromCharacterBook(source, source.name?.trim() || UNNAMED_BOOK);
    this.books.delete(id);
    this.books.set(id, { version, book });
    while (this.books.size > this.limit) this.books.delete(this.books.keys().next().value!);
    return book;
  }
}

import type { Lorebook } from '@troupe/shared/cards';
import { loreBookFromCharacterBook, type LoreBook } from '@troupe/shared/lore';
import { MAX_CACHED_LOREBOOKS } from '../../messaging/limits/prompt.ts';

/** The name a library book goes by in the prompt and the inspector when it has none. */
export const UNNAMED_BOOK = 'World Info';

/**
 * Library lorebooks converted for the lore engine, one object per book version. The engine caches a
 * book's compiled form by object identity, so handing it the same object while the book is unchanged
 * keeps a 5,000-entry book from being recompiled on every request; a new version gets a new object.
 */
export class LorebookCache {
  /** Each entry holds the read in flight too, so two builds asking at once read and convert the book once. */
  private readonly books = new Map<string, { version: number; book: Promise<LoreBook | null> }>();

  constructor(private readonly read: (id: string) => Promise<Lorebook | null>, private readonly limit = MAX_CACHED_LOREBOOKS) {}

  /** The book at `version`, read from the library only when that version is not held; null when it is gone. */
  get(id: string, version: number): Promise<LoreBook | null> {
    const cached = this.books.get(id);
    // Re-inserted either way: Map order is the eviction order, least recently used first.
    this.books.delete(id);
    if (cached && cached.version === version) {
      this.books.set(id, cached);
      return cached.book;
    }
    const book = this.read(id).then((source) => (source ? loreBookFromCharacterBook(source, source.name?.trim() || UNNAMED_BOOK) : null));
    const entry = { version, book };
    this.books.set(id, entry);
    while (this.books.size > this.limit) this.books.delete(this.books.keys().next().value!);
    // A book that is gone, or could not be read, is asked for again next time.
    const forget = () => { if (this.books.get(id) === entry) this.books.delete(id); };
    book.then((found) => { if (!found) forget(); }, forget);
    return book;
  }
}

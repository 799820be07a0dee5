import { compileBook, isCompiledBook, type CompileOptions, type CompiledBook, type CompiledEntry } from './compile.ts';
import { MAX_ORDER_CACHE } from './limits.ts';
import type { InsertionStrategy, LoreBook, LoreWarning } from './types.ts';

/** The books of one activation, by where they come from (SillyTavern's chat, persona, character, global lore). */
export interface LoreBookSet {
  /** Bound to this chat. Always scanned first. */
  chat?: readonly (LoreBook | CompiledBook)[];
  /** Bound to the user's persona. Scanned after chat lore. */
  persona?: readonly (LoreBook | CompiledBook)[];
  /** The character's own and extra books. */
  character?: readonly (LoreBook | CompiledBook)[];
  /** Books enabled for every chat. */
  global?: readonly (LoreBook | CompiledBook)[];
}

const compiledCache = new WeakMap<LoreBook, Map<string, CompiledBook>>();

/**
 * The compiled form of a book for these defaults: a compiled book that already matches is used as is,
 * anything else is compiled once and remembered for as long as the source book object lives.
 */
export function compiledFor(book: LoreBook | CompiledBook, options: CompileOptions): CompiledBook {
  if (isCompiledBook(book)) {
    if (book.options.caseSensitive === options.caseSensitive && book.options.matchWholeWords === options.matchWholeWords) return book;
    return compiledFor(book.source, options);
  }
  const slot = `${options.caseSensitive ? 1 : 0}${options.matchWholeWords ? 1 : 0}`;
  let variants = compiledCache.get(book);
  if (!variants) {
    variants = new Map();
    compiledCache.set(book, variants);
  }
  let compiled = variants.get(slot);
  if (!compiled) {
    compiled = compileBook(book, options);
    variants.set(slot, compiled);
  }
  return compiled;
}

/** Merges per-book lists already sorted by descending order; ties keep list order (a stable sort's result). */
function mergeSorted(lists: readonly (readonly CompiledEntry[])[]): CompiledEntry[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 0) return [];
  if (nonEmpty.length === 1) return [...(nonEmpty[0] ?? [])];
  const heads = nonEmpty.map(() => 0);
  const out: CompiledEntry[] = [];
  for (;;) {
    let best = -1;
    let bestOrder = -Infinity;
    for (let i = 0; i < nonEmpty.length; i++) {
      const item = nonEmpty[i]?.[heads[i] ?? 0];
      if (item && (best === -1 || item.entry.order > bestOrder)) {
        best = i;
        bestOrder = item.entry.order;
      }
    }
    if (best === -1) return out;
    const item = nonEmpty[best]?.[heads[best] ?? 0];
    if (item) out.push(item);
    heads[best] = (heads[best] ?? 0) + 1;
  }
}

export interface ResolvedBooks {
  books: readonly CompiledBook[];
  /** Every enabled entry in SillyTavern's scan priority order. */
  order: readonly CompiledEntry[];
  /** Per book: the position in `order` of each entry of its `sorted` list (by slot). */
  ranks: ReadonlyMap<CompiledBook, Int32Array>;
}

let nextSerial = 1;
const serials = new WeakMap<CompiledBook, number>();
function serialOf(book: CompiledBook): number {
  let serial = serials.get(book);
  if (serial === undefined) {
    serial = nextSerial++;
    serials.set(book, serial);
  }
  return serial;
}

/** Merged orders of recent book combinations: a chat re-activates the same books every turn. */
const orderCache = new Map<string, ResolvedBooks>();

/**
 * Compiles the set and orders its entries as SillyTavern does: chat lore first, then persona lore, then
 * character and global lore by the insertion strategy, each part sorted by descending order. A book
 * named in several places is used once, from the first of global, chat, persona, character.
 */
export function resolveBooks(set: LoreBookSet, strategy: InsertionStrategy, options: CompileOptions, warnings: LoreWarning[]): ResolvedBooks {
  const taken = new Map<string, CompiledBook>();
  const pick = (list: readonly (LoreBook | CompiledBook)[] | undefined): CompiledBook[] => {
    const out: CompiledBook[] = [];
    for (const raw of list ?? []) {
      const book = compiledFor(raw, options);
      const previous = taken.get(book.name);
      if (previous) {
        if (previous.source !== book.source) {
          warnings.push({ code: 'lore/duplicate-book', book: book.name, message: `Two different books are named "${book.name}"; only the first is used` });
        }
        continue;
      }
      taken.set(book.name, book);
      out.push(book);
    }
    return out;
  };
  const global = pick(set.global);
  const chat = pick(set.chat);
  const persona = pick(set.persona);
  const character = pick(set.character);

  const ids = (books: readonly CompiledBook[]) => books.map(serialOf).join(',');
  const cacheKey = `${strategy}|${ids(chat)}|${ids(persona)}|${ids(character)}|${ids(global)}`;
  const cached = orderCache.get(cacheKey);
  if (cached) return cached;

  const sorted = (books: readonly CompiledBook[]) => mergeSorted(books.map((book) => book.sorted));
  let rest: CompiledEntry[];
  if (strategy === 'evenly') rest = mergeSorted([sorted(global), sorted(character)]);
  else if (strategy === 'global_first') rest = [...sorted(global), ...sorted(character)];
  else rest = [...sorted(character), ...sorted(global)];

  const books = [...chat, ...persona, ...character, ...global];
  const order = [...sorted(chat), ...sorted(persona), ...rest];
  const ranks = new Map<CompiledBook, Int32Array>(books.map((book) => [book, new Int32Array(book.sorted.length)]));
  order.forEach((item, i) => {
    const rank = ranks.get(item.book);
    if (rank) rank[item.slot] = i;
  });
  const resolved: ResolvedBooks = { books, order, ranks };
  if (orderCache.size >= MAX_ORDER_CACHE) orderCache.delete(orderCache.keys().next().value ?? '');
  orderCache.set(cacheKey, resolved);
  return resolved;
}

/**
 * Lorebook editing, the same for a character's embedded book and a standalone World Info book:
 * entries are addressed by their stable key in the doc (see @troupe/shared/docs lorebook-doc).
 */
import type * as Y from 'yjs';
import { parseCardObject, type JsonObject, type Lorebook, type LorebookEntry } from '@troupe/shared/cards';
import {
  lorebookEntryKeys,
  readCharacterDoc,
  readLorebookDoc,
  removeLorebookEntry,
  upsertLorebookEntry,
  writeCharacterDoc,
  writeLorebookDoc,
} from '@troupe/shared/docs';
import { LibraryError } from './errors.ts';
import type { LoreBookFields, LoreView } from '../../messaging/library-wire.ts';

/** Reads a lorebook from a doc of either kind; `null` when a character has no embedded book. */
export function readBook(doc: Y.Doc, kind: 'character' | 'lorebook'): Lorebook | null {
  return kind === 'character' ? readCharacterDoc(doc).data.character_book ?? null : readLorebookDoc(doc);
}

/** One page of a book's entries with their keys. */
export function loreView(doc: Y.Doc, kind: 'character' | 'lorebook', offset: number, limit: number): LoreView {
  const book = readBook(doc, kind);
  if (!book) return { exists: false, fields: bookFields(null), extensions: {}, total: 0, offset: 0, entries: [] };
  const keys = lorebookEntryKeys(doc);
  const entries = book.entries.slice(offset, offset + limit).map((entry, i) => ({ key: keys[offset + i]!, entry }));
  return { exists: true, fields: bookFields(book), extensions: book.extensions, total: book.entries.length, offset, entries };
}

function bookFields(book: Lorebook | null): LoreBookFields {
  return {
    name: book?.name ?? '',
    description: book?.description ?? '',
    scan_depth: book?.scan_depth ?? null,
    token_budget: book?.token_budget ?? null,
    recursive_scanning: book?.recursive_scanning ?? false,
  };
}

/**
 * Normalises an entry from the editor with the card reader (so an entry stored here is one a
 * card file could have held) and gives a new entry the next free numeric id.
 */
export function normalizeEntry(raw: JsonObject): LorebookEntry {
  const parsed = parseCardObject({ entries: [raw] }, 'entry');
  const entry = parsed.kind === 'lorebook' ? parsed.lorebook.entries[0] : undefined;
  if (!entry) throw new LibraryError('lore/entry-not-found', 'The lorebook entry could not be read.');
  return entry;
}

/**
 * Replaces entry `key` (or adds a new one when `key` is null) and returns its key. A character
 * without a book gets one holding this entry.
 */
export function upsertEntry(doc: Y.Doc, kind: 'character' | 'lorebook', key: string | null, entry: LorebookEntry): string {
  const book = readBook(doc, kind);
  const keys = book ? lorebookEntryKeys(doc) : [];
  if (key !== null && !keys.includes(key)) throw new LibraryError('lore/entry-not-found', 'That lorebook entry no longer exists.');
  const withId = key === null && entry.id === undefined ? { ...entry, id: nextEntryId(book) } : entry;
  if (kind === 'character' && !book) {
    const card = readCharacterDoc(doc);
    writeCharacterDoc(doc, { ...card, data: { ...card.data, character_book: { extensions: {}, entries: [withId] } } });
    return lorebookEntryKeys(doc)[0]!;
  }
  const newKey = key ?? newEntryKey();
  upsertLorebookEntry(doc, newKey, withId);
  return newKey;
}

/** Removes entry `key`. */
export function removeEntry(doc: Y.Doc, kind: 'character' | 'lorebook', key: string): void {
  if (!readBook(doc, kind) || !lorebookEntryKeys(doc).includes(key)) throw new LibraryError('lore/entry-not-found', 'That lorebook entry no longer exists.');
  removeLorebookEntry(doc, key);
}

/** Changes the book-level fields (a character without a book gets an empty one). */
export function updateBookFields(doc: Y.Doc, kind: 'character' | 'lorebook', fields: LoreBookFields): Lorebook {
  const book = readBook(doc, kind) ?? { extensions: {}, entries: [] };
  const next: Lorebook = { ...book, name: fields.name, description: fields.description, recursive_scanning: fields.recursive_scanning };
  if (fields.scan_depth === null) delete next.scan_depth;
  else next.scan_depth = fields.scan_depth;
  if (fields.token_budget === null) delete next.token_budget;
  else next.token_budget = fields.token_budget;
  if (kind === 'lorebook') writeLorebookDoc(doc, next);
  else {
    const card = readCharacterDoc(doc);
    writeCharacterDoc(doc, { ...card, data: { ...card.data, character_book: next } });
  }
  return next;
}

function nextEntryId(book: Lorebook | null): number {
  let max = -1;
  for (const entry of book?.entries ?? []) if (typeof entry.id === 'number' && entry.id > max) max = entry.id;
  return max + 1;
}

/** A key no other device will pick: entries are keyed for life (see lorebook-doc.ts). */
function newEntryKey(): string {
  return `e-${crypto.randomUUID()}`;
}

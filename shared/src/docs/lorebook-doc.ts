import * as Y from 'yjs';
import type { JsonObject, Lorebook, LorebookEntry } from '../cards/index.ts';
import { DocError } from './errors.ts';
import { getJsonField, readJsonMap, setJsonField, writeJsonMap } from './json-map.ts';

/**
 * Layout of a lorebook, standalone (its own Y.Doc, `meta.kind = 'lorebook'`) or embedded in a
 * character doc:
 *   book       { every Lorebook field except entries }
 *   entries    { [entryKey]: LorebookEntry as JSON text }  — one key per entry: edits to different entries merge
 *   entryOrder [entryKey, …]                          — the book's order, kept for lossless export
 * An entry's key is stable for its life (created when it is first stored), never its array index.
 */
export const LOREBOOK_DOC_SCHEMA = 1;

const BOOK = 'book';
const ENTRIES = 'entries';
const ORDER = 'entryOrder';
const META = 'meta';

/** Writes a standalone lorebook into its own doc in one transaction. */
export function writeLorebookDoc(doc: Y.Doc, book: Lorebook): void {
  doc.transact(() => {
    const meta = doc.getMap(META);
    if (meta.get('kind') !== 'lorebook') meta.set('kind', 'lorebook');
    if (meta.get('schema') !== LOREBOOK_DOC_SCHEMA) meta.set('schema', LOREBOOK_DOC_SCHEMA);
    writeLorebookMaps(doc, book);
  });
}

/** Reads a standalone lorebook, refusing one from a newer Troupe. */
export function readLorebookDoc(doc: Y.Doc): Lorebook {
  const schema = doc.getMap(META).get('schema');
  if (typeof schema === 'number' && schema > LOREBOOK_DOC_SCHEMA) {
    throw new DocError('doc/too-new', `This lorebook was saved by a newer Troupe (layout ${schema}); update the extension to open it.`);
  }
  return readLorebookMaps(doc);
}

/** Writes the book maps (shared by standalone and embedded books). `null` removes an embedded book. */
export function writeLorebookMaps(doc: Y.Doc, book: Lorebook | null): void {
  const bookMap = doc.getMap(BOOK);
  const entries = doc.getMap(ENTRIES);
  const order = doc.getArray<string>(ORDER);
  if (book === null) {
    bookMap.clear();
    entries.clear();
    order.delete(0, order.length);
    return;
  }
  const { entries: list, ...fields } = book;
  writeJsonMap(bookMap, fields as JsonObject);
  // Reuse keys in order so re-importing the same book is a minimal change.
  const oldKeys = order.toArray();
  const keys = list.map((_, i) => oldKeys[i] ?? newEntryKey(doc, i));
  for (const key of oldKeys.slice(keys.length)) entries.delete(key);
  list.forEach((entry, i) => setJsonField(entries, keys[i]!, entry as JsonObject));
  if (oldKeys.length !== keys.length || oldKeys.some((k, i) => k !== keys[i])) {
    order.delete(0, order.length);
    order.insert(0, keys);
  }
}

/** Reads the book maps back into a Lorebook in its stored order. */
export function readLorebookMaps(doc: Y.Doc): Lorebook {
  const entries = doc.getMap(ENTRIES);
  const seen = new Set<string>();
  const list: LorebookEntry[] = [];
  for (const key of doc.getArray<string>(ORDER).toArray()) {
    // Concurrent edits can leave a key twice in the order, or a key whose entry was deleted.
    if (!entries.has(key) || seen.has(key)) continue;
    seen.add(key);
    list.push(getJsonField(entries, key) as LorebookEntry);
  }
  const fields = readJsonMap(doc.getMap(BOOK));
  return { extensions: {}, ...fields, entries: list } as Lorebook;
}

/** Replaces or adds one entry by key; other entries and their concurrent edits are untouched. */
export function upsertLorebookEntry(doc: Y.Doc, key: string, entry: LorebookEntry): void {
  doc.transact(() => {
    const entries = doc.getMap(ENTRIES);
    if (!entries.has(key)) doc.getArray<string>(ORDER).push([key]);
    setJsonField(entries, key, entry as JsonObject);
  });
}

/** Removes one entry by key. */
export function removeLorebookEntry(doc: Y.Doc, key: string): void {
  doc.transact(() => {
    doc.getMap(ENTRIES).delete(key);
    const order = doc.getArray<string>(ORDER);
    for (let i = order.length - 1; i >= 0; i--) if (order.get(i) === key) order.delete(i, 1);
  });
}

/** The stable keys of the book's entries, in order (for editors). */
export function lorebookEntryKeys(doc: Y.Doc): string[] {
  const entries = doc.getMap(ENTRIES);
  return [...new Set(doc.getArray<string>(ORDER).toArray())].filter((k) => entries.has(k));
}

function newEntryKey(doc: Y.Doc, index: number): string {
  // Unique across devices: the doc's client id plus a per-doc counter.
  return `${doc.clientID.toString(36)}-${Date.now().toString(36)}-${index.toString(36)}`;
}

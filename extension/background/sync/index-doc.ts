/**
 * The library index doc: one shared Y.Doc per pairing that lists every character and lorebook id,
 * so a device learns which docs exist and which changed without opening a room per doc.
 *
 * Layout (format 1):
 *   meta    Y.Map  { format: 1 }
 *   items   Y.Map  id -> { kind, stamp }   stamp changes whenever a device pushed a change to that doc
 *   deleted Y.Map  id -> { kind, at }      only ever grows: an id listed here is gone for good
 * Deletions live apart from items because a Y.Map key written by two devices keeps one value: a
 * `deleted` flag inside `items` could be overwritten by a concurrent edit and resurrect the doc.
 */
import * as Y from 'yjs';
import type { DocKind } from '../library/sync-hooks.ts';

export const INDEX_DOC_FORMAT = 1;

/** The doc id whose relay room carries the index (room names are derived from it, like any doc's). */
export const INDEX_DOC_ID = 'troupe.library-index';

export interface IndexEntry {
  id: string;
  kind: DocKind;
  stamp: string;
  deleted: boolean;
}

interface ItemValue { kind: DocKind; stamp: string }
interface DeletedValue { kind: DocKind; at: number }

function items(doc: Y.Doc): Y.Map<ItemValue> {
  return doc.getMap<ItemValue>('items');
}

function deletions(doc: Y.Doc): Y.Map<DeletedValue> {
  return doc.getMap<DeletedValue>('deleted');
}

function isKind(value: unknown): value is DocKind {
  return value === 'character' || value === 'lorebook';
}

/** Marks the doc's format (once); a doc written by a newer format is refused by `checkIndexFormat`. */
export function initIndexDoc(doc: Y.Doc): void {
  const meta = doc.getMap<number>('meta');
  if (meta.get('format') === undefined) meta.set('format', INDEX_DOC_FORMAT);
}

/** True when this build can read the index (its format is ours or not set yet). */
export function checkIndexFormat(doc: Y.Doc): boolean {
  const format = doc.getMap<number>('meta').get('format');
  return format === undefined || format <= INDEX_DOC_FORMAT;
}

/** Records that a device pushed a change to doc `id` (a new stamp tells the others to pull it). */
export function stampItem(doc: Y.Doc, kind: DocKind, id: string, stamp: string): void {
  if (deletions(doc).has(id)) return;
  items(doc).set(id, { kind, stamp });
}

/** Records a deletion for good; it cannot be undone through sync. */
export function markDeleted(doc: Y.Doc, kind: DocKind, id: string, at: number): void {
  doc.transact(() => {
    if (!deletions(doc).has(id)) deletions(doc).set(id, { kind, at });
    items(doc).delete(id);
  });
}

/** One entry, or null when the index does not know the id. */
export function indexEntry(doc: Y.Doc, id: string): IndexEntry | null {
  const gone = deletions(doc).get(id);
  if (gone && isKind(gone.kind)) return { id, kind: gone.kind, stamp: '', deleted: true };
  const item = items(doc).get(id);
  if (item && isKind(item.kind) && typeof item.stamp === 'string') return { id, kind: item.kind, stamp: item.stamp, deleted: false };
  return null;
}

/** Every entry the index lists (malformed values from a misbehaving peer are skipped). */
export function indexEntries(doc: Y.Doc): IndexEntry[] {
  const out: IndexEntry[] = [];
  deletions(doc).forEach((value, id) => {
    if (isKind(value?.kind)) out.push({ id, kind: value.kind, stamp: '', deleted: true });
  });
  items(doc).forEach((value, id) => {
    if (!deletions(doc).has(id) && isKind(value?.kind) && typeof value.stamp === 'string') out.push({ id, kind: value.kind, stamp: value.stamp, deleted: false });
  });
  return out;
}

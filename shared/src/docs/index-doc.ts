/**
 * The library index doc: one shared Y.Doc per pairing that lists every character, lorebook and chat
 * memory id, so a device learns which docs exist and which changed without opening a room per doc.
 *
 * Layout (format 1):
 *   meta    Y.Map  { format: 1 }
 *   items   Y.Map  id -> { kind, stamp }   stamp changes whenever a device pushed a change to that doc
 *   deleted Y.Map  id -> { kind, at }      only ever grows: an id listed here is gone for good
 *   assets  Y.Map  the asset manifest (asset-manifest.ts)
 * Deletions live apart from items because a Y.Map key written by two devices keeps one value: a
 * `deleted` flag inside `items` could be overwritten by a concurrent edit and resurrect the doc.
 *
 * Format 1 is an index whose `meta.format` is absent: no device writes 1. Two devices that set the key
 * at once keep one arbitrary value, so a device that marked a fresh index before it had synced could
 * undo a newer device's marker; only a newer build, having read the index, writes its number. An index from before asset sync has no `assets` map and
 * is format 1 too: it simply lists no assets. An index in a newer format is refused by every reader
 * and writer here with DocError('doc/too-new'): its entries may not mean what this build thinks.
 */
import type * as Y from 'yjs';
import { checkLayoutVersion, isReadableVersion, type LayoutVersion } from './layout-version.ts';

export const INDEX_DOC_FORMAT = 1;

const INDEX_LAYOUT: LayoutVersion = { name: 'The library index', current: INDEX_DOC_FORMAT, unversioned: 1 };

/** The doc id whose relay room carries the index (room names are derived from it, like any doc's). */
export const INDEX_DOC_ID = 'troupe.library-index';

/**
 * The kinds of doc the index lists, each synced in a room of its own. A kind added later ('memory': a
 * chat's memory, keyed by its chat key) needs no new format: a build that does not know a kind skips its
 * entries as malformed, so it simply does not sync those docs.
 */
export type DocKind = 'character' | 'lorebook' | 'memory';

const KINDS: ReadonlySet<unknown> = new Set<DocKind>(['character', 'lorebook', 'memory']);

export interface IndexEntry {
  id: string;
  kind: DocKind;
  stamp: string;
  deleted: boolean;
}

interface ItemValue { kind: DocKind; stamp: string }
interface DeletedValue { kind: DocKind; at: number }

function meta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('meta');
}

function items(doc: Y.Doc): Y.Map<ItemValue> {
  return doc.getMap<ItemValue>('items');
}

function deletions(doc: Y.Doc): Y.Map<DeletedValue> {
  return doc.getMap<DeletedValue>('deleted');
}

function isKind(value: unknown): value is DocKind {
  return KINDS.has(value);
}


/**
 * The index's format; throws DocError('doc/too-new') when a newer Troupe wrote it and
 * DocError('doc/invalid-field') when its format is not a number.
 */
export function checkIndexFormat(doc: Y.Doc): number {
  return checkLayoutVersion(INDEX_LAYOUT, meta(doc).get('format'));
}

/** True when this build can read and write the index (a cheap check for callers that must not throw). */
export function isIndexReadable(doc: Y.Doc): boolean {
  return isReadableVersion(INDEX_LAYOUT, meta(doc).get('format'));
}

/** Records that a device pushed a change to doc `id` (a new stamp tells the others to pull it). */
export function stampItem(doc: Y.Doc, kind: DocKind, id: string, stamp: string): void {
  checkIndexFormat(doc);
  if (deletions(doc).has(id)) return;
  items(doc).set(id, { kind, stamp });
}

/** Records a deletion for good; it cannot be undone through sync. */
export function markDeleted(doc: Y.Doc, kind: DocKind, id: string, at: number): void {
  checkIndexFormat(doc);
  doc.transact(() => {
    if (!deletions(doc).has(id)) deletions(doc).set(id, { kind, at });
    items(doc).delete(id);
  });
}

/** One entry, or null when the index does not know the id. */
export function indexEntry(doc: Y.Doc, id: string): IndexEntry | null {
  checkIndexFormat(doc);
  const gone = deletions(doc).get(id);
  if (gone && isKind(gone.kind)) return { id, kind: gone.kind, stamp: '', deleted: true };
  const item = items(doc).get(id);
  if (item && isKind(item.kind) && typeof item.stamp === 'string') return { id, kind: item.kind, stamp: item.stamp, deleted: false };
  return null;
}

/** Every entry the index lists (malformed values from a misbehaving peer are skipped). */
export function indexEntries(doc: Y.Doc): IndexEntry[] {
  checkIndexFormat(doc);
  const out: IndexEntry[] = [];
  deletions(doc).forEach((value, id) => {
    if (isKind(value?.kind)) out.push({ id, kind: value.kind, stamp: '', deleted: true });
  });
  items(doc).forEach((value, id) => {
    if (!deletions(doc).has(id) && isKind(value?.kind) && typeof value.stamp === 'string') out.push({ id, kind: value.kind, stamp: value.stamp, deleted: false });
  });
  return out;
}

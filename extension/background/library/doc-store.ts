/**
 * Reading and changing the library's Y.Docs straight from y-dexie's update tables, inside the
 * caller's Dexie transaction: a change to a card and the index row that mirrors it commit together,
 * or neither does. (y-dexie's own provider writes a doc's updates on its own, after the fact; it
 * still sees these updates, since they are ordinary rows of its table.)
 */
import * as Y from 'yjs';
import type { Table } from 'dexie';
import { CHARACTER_DOC_UPDATES, LOREBOOK_DOC_UPDATES, MEMORY_DOC_UPDATES, type TroupeDb } from '../db/database.ts';

/** y-dexie's row: `k` the owning row's id, `u` a Yjs V2 update, `f: 1` marks a local update (to sync). */
export interface DocUpdateRow {
  i?: number;
  k: string;
  u: Uint8Array;
  f?: number;
}

/** The library's docs (what sync, trash and export handle). */
export type DocKind = 'character' | 'lorebook';
/** Every kind of doc stored in y-dexie's update tables: the library's, and chats' memory. */
export type StoredDocKind = DocKind | 'memory';

const UPDATE_TABLES: Readonly<Record<StoredDocKind, string>> = { character: CHARACTER_DOC_UPDATES, lorebook: LOREBOOK_DOC_UPDATES, memory: MEMORY_DOC_UPDATES };

/** The update table of one kind of doc. */
export function updatesTable(db: TroupeDb, kind: StoredDocKind): Table<DocUpdateRow, number> {
  return db.table(UPDATE_TABLES[kind]);
}

/** A fresh Y.Doc holding every stored update of row `id` (empty when it has none). Destroy it when done. */
export async function loadDoc(db: TroupeDb, kind: StoredDocKind, id: string): Promise<Y.Doc> {
  const updates = await updatesTable(db, kind).where('k').equals(id).toArray();
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdateV2(doc, update.u);
  });
  return doc;
}

/**
 * Loads row `id`'s doc, runs `change` on it and stores what changed as one update. Call it inside
 * a 'rw' transaction that includes the update table; returns whatever `change` returned.
 */
export async function changeDoc<T>(db: TroupeDb, kind: StoredDocKind, id: string, change: (doc: Y.Doc) => T): Promise<T> {
  const doc = await loadDoc(db, kind, id);
  try {
    // Yjs reports each transaction that changed something; a change that rewrites equal values reports nothing.
    const updates: Uint8Array[] = [];
    doc.on('updateV2', (update: Uint8Array) => updates.push(update));
    const result = change(doc);
    if (updates.length > 0) await updatesTable(db, kind).add({ k: id, u: updates.length === 1 ? updates[0]! : Y.mergeUpdatesV2(updates), f: 1 });
    return result;
  } finally {
    doc.destroy();
  }
}

/** Applies a Yjs V2 update to `doc`; false when the doc already held all of it (nothing to store). */
export function applyNewUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  const before = Y.encodeStateVector(doc);
  Y.applyUpdateV2(doc, update);
  const after = Y.encodeStateVector(doc);
  return before.length !== after.length || before.some((byte, i) => byte !== after[i]);
}

/** Removes every update of row `id` (part of a real delete). */
export async function deleteDocUpdates(db: TroupeDb, kind: StoredDocKind, id: string): Promise<void> {
  await updatesTable(db, kind).where('k').equals(id).delete();
}

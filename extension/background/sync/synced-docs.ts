/**
 * The docs sync carries, by kind: the library's characters and lorebooks (library/sync-hooks.ts) and
 * chats' memory (memory/memory-sync.ts). Sync's parts reach stored docs only through here, so a kind
 * added later is wired in one place.
 */
import type * as Y from 'yjs';
import type { DocKind } from '@troupe/shared/docs';
import { changeFeedFor } from '../changes/change-feed.ts';
import type { TroupeDb } from '../db/database.ts';
import { loadDoc } from '../library/doc-store.ts';
import { applyRemoteUpdate, deleteForRemote, localDocIds, localTombstones, watchLocalChanges, type LocalChangeListener } from '../library/sync-hooks.ts';
import { applyRemoteMemoryUpdate, deleteMemoryForRemote, localMemoryIds } from '../memory/memory-sync.ts';

export interface SyncedChangeListener {
  /** A doc was created or changed on this device. */
  changed(kind: DocKind, id: string): void;
  /** A doc was deleted for good on this device. */
  deleted(kind: DocKind, id: string): void;
}

/**
 * Calls `listener` after this device's own writes to synced docs (never sync's: they would echo back).
 * A chat's memory changes with the person's edits, the kept transcript and the summaries made here.
 */
export function watchSyncedChanges(db: TroupeDb, listener: SyncedChangeListener): () => void {
  const library: LocalChangeListener = listener;
  const stopLibrary = watchLocalChanges(db, library);
  const stopMemory = changeFeedFor(db).subscribe((change) => {
    if (change.table === 'memories' && change.origin !== 'sync') for (const id of change.ids) listener.changed('memory', id);
  });
  return () => {
    stopLibrary();
    stopMemory();
  };
}

/** Every synced doc this device holds. */
export async function syncedDocIds(db: TroupeDb): Promise<{ kind: DocKind; id: string }[]> {
  const [library, memories] = await Promise.all([localDocIds(db), localMemoryIds(db)]);
  return [...library, ...memories.map((id) => ({ kind: 'memory' as const, id }))];
}

/** Synced docs deleted for good on this device. */
export function syncedTombstones(db: TroupeDb): Promise<{ kind: DocKind; id: string }[]> {
  return localTombstones(db);
}

/** The doc as stored here (a fresh Y.Doc: destroy it when done). */
export function loadSyncedDoc(db: TroupeDb, kind: DocKind, id: string): Promise<Y.Doc> {
  return loadDoc(db, kind, id);
}

/** Stores an update from another device; false when nothing was stored (deleted here, or already held). */
export function applyRemoteDocUpdate(db: TroupeDb, kind: DocKind, id: string, update: Uint8Array): Promise<boolean> {
  return kind === 'memory' ? applyRemoteMemoryUpdate(db, id, update) : applyRemoteUpdate(db, kind, id, update);
}

/** Carries out a deletion made on another device. */
export function deleteDocForRemote(db: TroupeDb, kind: DocKind, id: string): Promise<void> {
  return kind === 'memory' ? deleteMemoryForRemote(db, id) : deleteForRemote(db, kind, id);
}

/**
 * What sync keeps across service-worker restarts, and how a state saved by an earlier build is read:
 * the worker stops after ~30 s idle, and must resume with the same index, the same pending pushes and
 * the same owed uploads, whichever build saved them.
 */
import { base64ToBytes, bytesToBase64 } from '@troupe/shared/bytes';
import type { DocKind } from '@troupe/shared/docs';
import type { PendingUpload } from './blob-sync.ts';
import { SAVE_DELAY_MS } from './limits.ts';

/**
 * The saved state: the index doc, which docs still need a push or were pulled, and (format 2) which
 * blobs still need an upload. Format 1 is read as format 2 without uploads (see `readSyncState`).
 */
export interface PersistedSyncState {
  format: 1 | 2;
  /** Y.encodeStateAsUpdate of the index doc, base64. */
  index: string;
  /** id -> the index stamp this device last synced. */
  seen: Record<string, string>;
  /** id -> kind, for docs changed here and not yet synced. */
  dirty: Record<string, DocKind>;
  /** Format 2: blobs this device owes the relay. */
  uploads?: PendingUpload[];
  /**
   * Format 2: false until this device has listed the assets of characters it synced before asset
   * sync existed (a format-1 state); those docs are not dirty, so no push would list them.
   */
  assetsListed?: boolean;
}

export interface SyncStateStore {
  load(): Promise<PersistedSyncState | null>;
  save(state: PersistedSyncState): Promise<void>;
}

/** A saved state as this build works with it, whatever format it was saved in. */
export interface RestoredSyncState {
  /** The index doc's state, ready for Y.applyUpdate. */
  index: Uint8Array;
  seen: Record<string, string>;
  dirty: Record<string, DocKind>;
  uploads: PendingUpload[];
  assetsListed: boolean;
}

/**
 * Reads a saved state of format 1 or 2. A format-1 state was saved before asset sync: it owes no
 * uploads, and the assets of the characters it synced still have to be listed. Anything else (no
 * state, or one from a newer build) is null: sync then starts afresh, which loses no data (every doc
 * is compared with the index again), only time.
 */
export function readSyncState(saved: PersistedSyncState | null): RestoredSyncState | null {
  if (saved?.format !== 1 && saved?.format !== 2) return null;
  return {
    index: base64ToBytes(saved.index),
    seen: { ...saved.seen },
    dirty: { ...saved.dirty },
    uploads: saved.format === 2 ? [...(saved.uploads ?? [])] : [],
    assetsListed: saved.format === 2 && saved.assetsListed !== false,
  };
}

/** The state to save, always in the newest format. */
export function writeSyncState(state: RestoredSyncState): PersistedSyncState {
  return {
    format: 2,
    index: bytesToBase64(state.index),
    seen: { ...state.seen },
    dirty: { ...state.dirty },
    uploads: [...state.uploads],
    assetsListed: state.assetsListed,
  };
}

/**
 * Saves the state a while after a change, so a burst of changes (a first sync stamps hundreds of docs)
 * costs one write, and once more when sync stops.
 */
export class StateSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly store: SyncStateStore, private readonly current: () => RestoredSyncState) {}

  /** Saves SAVE_DELAY_MS from now, unless a save is already due. */
  schedule(): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save().catch((error: unknown) => console.error('Troupe sync: could not save its state', error));
    }, SAVE_DELAY_MS);
  }

  /** Saves now, for the last time: later `schedule` calls do nothing. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.save();
  }

  private save(): Promise<void> {
    return this.store.save(writeSyncState(this.current()));
  }
}

/**
 * This device's side of the library index: the index doc, which docs have edits to push (`dirty`) and
 * which index stamp each doc was last synced at (`seen`). From these it decides which docs need a
 * round in their room, records what each round did, and carries deletions both ways. It opens no
 * room itself (doc-rooms.ts does) and writes nothing to the library but what its events ask for.
 */
import * as Y from 'yjs';
import { checkIndexFormat, DocError, indexEntries, indexEntry, markDeleted, stampItem, type DocKind, type IndexEntry } from '@troupe/shared/docs';
import type { RestoredSyncState } from './sync-state.ts';

export interface IndexSyncEvents {
  /** The doc needs a round in its room (a pull of another device's change). */
  wanted(kind: DocKind, id: string): void;
  /** Another device deleted the doc: stop syncing it and delete it here. */
  deletedElsewhere(kind: DocKind, id: string): void;
  /** Bookkeeping or the index changed: worth saving. */
  changed(): void;
}

/** How a doc's round in its room ended, as the index records it. */
export interface RoundDone {
  kind: DocKind;
  id: string;
  /** This device's state reached the relay (it had edits, or made some while the room was open). */
  pushed: boolean;
  /** The index stamp when the room opened: what a pull brought this device up to. */
  startStamp: string;
  /** A local edit arrived after the room stopped taking them: the doc needs another round. */
  changedAfterSync: boolean;
}

/** Origin of this device's writes to the index doc (anything else came from the relay). */
const LOCAL = Symbol('troupe-index-local');

export class IndexSync {
  readonly doc = new Y.Doc();
  private seen: Record<string, string> = {};
  private dirty: Record<string, DocKind> = {};
  /** Why this build cannot use the index (made by a newer Troupe), or null. */
  private refusal: string | null = null;

  constructor(private readonly events: IndexSyncEvents) {}

  /** Takes over the saved index and bookkeeping, if any, and marks the index's format. */
  load(saved: RestoredSyncState | null): void {
    if (saved) {
      Y.applyUpdate(this.doc, saved.index);
      this.seen = { ...saved.seen };
      this.dirty = { ...saved.dirty };
    }
  }

  /**
   * Brings in what this device holds that the index never heard of (made before pairing, or deleted
   * while the worker slept unpaired). Returns every doc with edits to push.
   */
  adopt(tombstones: readonly { kind: DocKind; id: string }[], local: readonly { kind: DocKind; id: string }[]): { kind: DocKind; id: string }[] {
    if (this.usable()) {
      for (const { kind, id } of tombstones) if (!indexEntry(this.doc, id)?.deleted) markDeleted(this.doc, kind, id, Date.now());
      for (const { kind, id } of local) if (!indexEntry(this.doc, id)) this.dirty[id] = kind;
    }
    return Object.entries(this.dirty).map(([id, kind]) => ({ kind, id }));
  }

  /** Runs `change` on the index as this device's write (the relay's writes trigger `reconcile`, ours do not). */
  transactLocal(change: () => void): void {
    this.doc.transact(change, LOCAL);
  }

  isRemote(origin: unknown): boolean {
    return origin !== LOCAL;
  }

  /** True when this build can read and write the index. */
  usable(): boolean {
    return this.formatProblem() === null;
  }

  /** Why the index cannot be used (for the status), or null. */
  refused(): string | null {
    return this.refusal;
  }

  /** The doc's entry, or null when the index does not list it or cannot be read. */
  entry(id: string): IndexEntry | null {
    return this.usable() ? indexEntry(this.doc, id) : null;
  }

  /** True when this device has edits to push for the doc. */
  isDirty(id: string): boolean {
    return this.dirty[id] !== undefined;
  }

  /** A doc was edited here; false when it is deleted for good (the edit goes nowhere). */
  changedHere(kind: DocKind, id: string): boolean {
    if (this.entry(id)?.deleted) return false;
    this.dirty[id] = kind;
    this.events.changed();
    return true;
  }

  /** A doc was deleted here for good: the index says so to every device. Call inside `transactLocal`. */
  deletedHere(kind: DocKind, id: string): void {
    if (this.usable()) markDeleted(this.doc, kind, id, Date.now());
    this.forget(id);
  }

  /** Applies what the index says: remote deletions here, stale or new docs wanted for a pull. */
  reconcile(): void {
    const problem = this.formatProblem();
    this.refusal = problem && (problem.code === 'doc/too-new' ? 'index made by a newer Troupe' : 'index unreadable');
    if (problem) {
      this.events.changed();
      return;
    }
    for (const entry of indexEntries(this.doc)) {
      if (entry.deleted) {
        if (this.seen[entry.id] !== '' || this.dirty[entry.id]) {
          this.forget(entry.id);
          this.events.deletedElsewhere(entry.kind, entry.id);
        }
      } else if (this.seen[entry.id] !== entry.stamp) {
        this.events.wanted(entry.kind, entry.id);
      }
    }
    this.events.changed();
  }

  /** The stamp a room opening now starts from. */
  stampOf(id: string): string {
    return this.entry(id)?.stamp ?? '';
  }

  /**
   * Records a finished round: after a push a new stamp tells the other devices to pull; after a pull
   * the doc is as new as the stamp the room started from. Returns true when the doc needs another round.
   */
  roundDone(round: RoundDone): boolean {
    const { kind, id } = round;
    if (!this.usable()) return false;
    let again: boolean;
    if (round.pushed) {
      const stamp = crypto.randomUUID();
      this.transactLocal(() => stampItem(this.doc, kind, id, stamp));
      this.seen[id] = stamp;
      again = round.changedAfterSync;
      if (!again) delete this.dirty[id];
    } else {
      this.seen[id] = round.startStamp;
      // Only this entry can have moved on while its room was open (a full reconcile per pulled doc
      // made a first sync quadratic in the library's size).
      const now = indexEntry(this.doc, id);
      again = now !== null && !now.deleted && now.stamp !== round.startStamp;
    }
    this.events.changed();
    return again;
  }

  /** The index and bookkeeping as they are saved. */
  saved(): Pick<RestoredSyncState, 'index' | 'seen' | 'dirty'> {
    return { index: Y.encodeStateAsUpdate(this.doc), seen: { ...this.seen }, dirty: { ...this.dirty } };
  }

  destroy(): void {
    this.doc.destroy();
  }

  /** A deleted doc: nothing to push, and never pulled again. */
  private forget(id: string): void {
    delete this.dirty[id];
    this.seen[id] = '';
  }

  private formatProblem(): DocError | null {
    try {
      checkIndexFormat(this.doc);
      return null;
    } catch (error) {
      if (error instanceof DocError) return error;
      throw error;
    }
  }
}

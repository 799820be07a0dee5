/**
 * Moves asset blobs through blob rooms (one room per part; the part layout is blob-parts.ts in
 * @troupe/shared/docs), on a queue of its own with a few rooms open at once, so that a big
 * library's avatars never hold its characters' text back. Three jobs:
 *   upload    this device's asset, part by part, into rooms that do not have it yet;
 *   download  an asset the index lists and this device lacks: every part, joined, checked against
 *             its hash, stored (the library then points the avatar at it and makes the thumbnail);
 *   clear     empties the rooms of a blob that no character refers to any more (best effort: the
 *             relay has no way to drop a room, but its compaction drops the deleted bytes).
 * A download whose blob is not on the relay yet is tried again later, a few times per session.
 */
import * as Y from 'yjs';
import type { PairingKeys } from '@troupe/shared/pairing';
import { blobPartDocId, clearPart, hasPart, joinVerified, partBytes, partCount, readPart, writePart, type AssetEntry } from '@troupe/shared/docs';
import type { TroupeDb } from '../db/database.ts';
import { localAssetBytes, localAssetState, storeSyncedAsset } from '../library/sync-hooks.ts';
import { SyncError } from './errors.ts';
import { DRAIN_POLL_MS, MAX_BLOB_ATTEMPTS, type SyncLimits } from './limits.ts';
import type { SyncTransport } from './transport.ts';

/** Origin of this device's writes to a part doc. */
const LOCAL = Symbol('troupe-blob-local');


export type BlobJob =
  | { kind: 'upload'; characterId: string; hash: string; size: number }
  | { kind: 'download'; characterId: string; entry: AssetEntry }
  | { kind: 'clear'; hash: string; size: number };

/** An upload still owed to the relay, as the manager persists it across restarts. */
export interface PendingUpload {
  characterId: string;
  hash: string;
  size: number;
}

export interface BlobSyncOptions {
  db: TroupeDb;
  keys: PairingKeys;
  transport: SyncTransport;
  limits: SyncLimits;
  /** Whether rooms may be opened now (connected, index in sync, not stopped). */
  online(): boolean;
  /** Whether some character still refers to the blob (checked right before clearing its rooms). */
  inUse(hash: string): boolean;
  /** The queue changed: status and persisted uploads may need refreshing. */
  changed(): void;
}

function jobKey(job: BlobJob): string {
  if (job.kind === 'upload') return `u ${job.hash}`;
  if (job.kind === 'clear') return `c ${job.hash}`;
  return `d ${job.characterId} ${job.entry.uri}`;
}

/** The room could not be used now (offline, refused, too slow): the job goes back on the queue. */
class RoomUnavailable extends Error {}

/** A part the relay does not have yet. */
class PartAbsent extends Error {}

/** The relay closed the room for good (a 44xx code, e.g. a frame over its limit): asking at once again would loop. */
class RoomRefused extends Error {}

/** True when the room's part is exactly `bytes` (and says it is that part of that blob). */
function samePart(doc: Y.Doc, hash: string, size: number, part: number, bytes: Uint8Array): boolean {
  try {
    const held = readPart(doc, hash, size, part);
    return held !== null && held.length === bytes.length && held.every((byte, i) => byte === bytes[i]);
  } catch {
    return false;
  }
}

/** Read through functions so the compiler does not narrow a state that callbacks change. */
function lostConnection(seen: { state: string }): boolean {
  return seen.state === 'lost';
}

function refused(seen: { state: string }): boolean {
  return seen.state === 'refused';
}

export class BlobSync {
  private readonly queue = new Map<string, BlobJob>();
  private readonly running = new Map<string, BlobJob>();
  private readonly retries = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly attempts = new Map<string, number>();
  /** Blobs known to be on the relay this session: every push of a character re-publishes its assets, and these need no room. */
  private readonly onRelay = new Set<string>();
  /** Wakes the rooms waiting for their sync, so that `stop` closes them at once. */
  private readonly wakers = new Set<() => void>();
  private stopped = false;

  constructor(private readonly options: BlobSyncOptions) {}

  /** Queues a job (a job for the same blob or asset already queued is replaced) and starts what can start. */
  add(job: BlobJob): void {
    if (this.stopped) return;
    const key = jobKey(job);
    if (job.kind === 'upload') {
      if (this.onRelay.has(job.hash)) return;
      this.queue.delete(`c ${job.hash}`);
    }
    if (job.kind === 'clear') this.onRelay.delete(job.hash);
    const timer = this.retries.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.retries.delete(key);
    this.queue.set(key, job);
    this.options.changed();
    this.pump();
  }

  /** Queues downloads for the entries of a character that this device lacks. */
  async check(characterId: string, entries: readonly AssetEntry[], fresh = false): Promise<void> {
    for (const entry of entries) {
      if (this.stopped) return;
      const key = jobKey({ kind: 'download', characterId, entry });
      if (fresh) this.attempts.delete(key);
      if (this.queue.has(key) || this.running.has(key) || this.retries.has(key)) continue;
      if ((this.attempts.get(key) ?? 0) >= MAX_BLOB_ATTEMPTS) continue;
      if ((await localAssetState(this.options.db, characterId, entry.uri, entry.hash)) === 'missing') this.add({ kind: 'download', characterId, entry });
    }
  }

  /** Jobs queued or running (those waiting to be retried are not: nothing is happening for them). */
  pending(): number {
    return this.queue.size + this.running.size;
  }

  /** Uploads not yet done, for the manager's saved state. */
  pendingUploads(): PendingUpload[] {
    const out: PendingUpload[] = [];
    for (const job of [...this.running.values(), ...this.queue.values()]) {
      if (job.kind === 'upload') out.push({ characterId: job.characterId, hash: job.hash, size: job.size });
    }
    return out;
  }

  /** Starts queued jobs while fewer than `maxOpenBlobRooms` run and rooms may be opened. */
  pump(): void {
    if (this.stopped || !this.options.online()) return;
    for (const [key, job] of this.queue) {
      if (this.running.size >= this.options.limits.maxOpenBlobRooms) break;
      this.queue.delete(key);
      this.running.set(key, job);
      this.run(job).then(
        () => this.settle(key, null),
        (error: unknown) => this.settle(key, error),
      );
    }
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    this.queue.clear();
    for (const wake of this.wakers) wake();
  }

  private settle(key: string, error: unknown): void {
    const job = this.running.get(key);
    this.running.delete(key);
    if (job && !this.stopped) {
      if (error instanceof RoomUnavailable) {
        // Offline or refused: back on the queue, started again when the manager is back online.
        if (!this.queue.has(key)) this.queue.set(key, job);
      } else if (error instanceof PartAbsent || error instanceof RoomRefused) {
        const attempts = (this.attempts.get(key) ?? 0) + 1;
        this.attempts.set(key, attempts);
        if (attempts < MAX_BLOB_ATTEMPTS) this.retryLater(key, job);
      } else if (error) {
        console.error('Troupe sync: an asset could not be synced', error);
      } else {
        this.attempts.delete(key);
        if (job.kind === 'upload') this.onRelay.add(job.hash);
      }
    }
    this.options.changed();
    this.pump();
  }

  private retryLater(key: string, job: BlobJob): void {
    this.retries.set(key, setTimeout(() => {
      this.retries.delete(key);
      if (!this.stopped && !this.queue.has(key)) this.add(job);
    }, this.options.limits.blobRetryMs));
  }

  private async run(job: BlobJob): Promise<void> {
    if (job.kind === 'upload') return this.upload(job.characterId, job.hash, job.size);
    if (job.kind === 'clear') return this.clear(job.hash, job.size);
    return this.download(job.characterId, job.entry);
  }

  private async upload(characterId: string, hash: string, size: number): Promise<void> {
    const bytes = await localAssetBytes(this.options.db, characterId, hash);
    // Removed here since it was queued: nothing to send (its entry went with it).
    if (!bytes) return;
    for (let part = 0; part < partCount(size); part++) {
      const mine = partBytes(bytes, part);
      await this.withPart(hash, part, (doc) => {
        // Written again when what the room holds is not this part (a damaged or foreign write): readers check the hash and would refuse it forever.
        if (!hasPart(doc) || !samePart(doc, hash, size, part, mine)) writePart(doc, hash, size, part, mine, LOCAL);
      });
    }
  }

  private async download(characterId: string, entry: AssetEntry): Promise<void> {
    const { db } = this.options;
    if ((await localAssetState(db, characterId, entry.uri, entry.hash)) !== 'missing') return;
    const parts: Uint8Array[] = [];
    for (let part = 0; part < partCount(entry.size); part++) {
      await this.withPart(entry.hash, part, (doc) => {
        const bytes = readPart(doc, entry.hash, entry.size, part);
        if (!bytes) throw new PartAbsent();
        // Copied: the part doc is destroyed when its room closes.
        parts.push(bytes.slice());
      });
    }
    const bytes = await joinVerified(parts, entry.hash, entry.size);
    await storeSyncedAsset(db, characterId, entry, bytes);
  }

  private async clear(hash: string, size: number): Promise<void> {
    for (let part = 0; part < partCount(size); part++) {
      if (this.options.inUse(hash)) return;
      await this.withPart(hash, part, (doc) => {
        if (hasPart(doc)) clearPart(doc, LOCAL);
      });
    }
  }

  /** Opens one part's room, waits until it is in sync, runs `use`, waits until what it wrote left the socket, closes. */
  private async withPart(hash: string, part: number, use: (doc: Y.Doc) => void): Promise<void> {
    const room = await this.options.keys.join(blobPartDocId(hash, part));
    if (this.stopped) throw new RoomUnavailable();
    const doc = new Y.Doc();
    // An object, not a `let`: callbacks change it behind the compiler's back.
    const seen: { state: 'waiting' | 'synced' | 'lost' | 'refused' } = { state: 'waiting' };
    let wakeRoom: () => void = () => {};
    const wake = () => wakeRoom();
    this.wakers.add(wake);
    const connection = this.options.transport.open(room, doc, {
      onSynced: () => { if (seen.state === 'waiting') seen.state = 'synced'; wake(); },
      // Before the first sync a drop is the transport reconnecting; the deadline bounds that.
      onConnected: (connected) => { if (!connected && seen.state === 'synced') { seen.state = 'lost'; wake(); } },
      onRefused: (code) => { seen.state = 'refused'; console.error(new SyncError('sync/blob-refused', `The relay refused a blob room (close code ${code}).`)); wake(); },
    });
    try {
      const deadline = Date.now() + this.options.limits.docSyncTimeoutMs;
      while (seen.state === 'waiting' && !this.stopped && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, deadline - Date.now());
          wakeRoom = () => { clearTimeout(timer); resolve(); };
        });
      }
      if (refused(seen)) throw new RoomRefused();
      if (seen.state !== 'synced') throw new RoomUnavailable();
      use(doc);
      while (!connection.drained) {
        if (refused(seen)) throw new RoomRefused();
        if (this.stopped || lostConnection(seen)) throw new RoomUnavailable();
        await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
      }
    } finally {
      this.wakers.delete(wake);
      connection.close();
      doc.destroy();
    }
  }
}

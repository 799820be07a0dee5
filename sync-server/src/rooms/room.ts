import * as Y from 'yjs';
import type { RelayLimits } from '../limits.ts';
import { applyInSlices } from './apply-in-slices.ts';
import { AwarenessTable, encodeAwarenessUpdate, parseAwarenessUpdate, type AwarenessEntry } from './awareness-table.ts';
import { RelayError } from './errors.ts';
import { encodeAwarenessFrame, encodeStep1Frame, encodeStep2Frame, encodeUpdateFrame } from './frame-encode.ts';
import { isEmptyUpdate, parseClientFrame } from './frame.ts';
import type { Fanout, FanoutMessage, RelayHooks, RelayLog } from './hooks.ts';
import type { Session } from './session.ts';

/** What a room needs from the relay that owns it. */
export interface RoomEnv {
  hooks: RelayHooks;
  fanout: Fanout | null;
  limits: RelayLimits;
  log: RelayLog;
  now: () => number;
  /** Called when the room has had no client for `roomIdleMs`. */
  onIdle(room: Room): void;
  /** Called when another node reports the room deleted. */
  onDeletedElsewhere(room: Room): void;
}

/** First wait after a failed store write; doubles up to STORE_RETRY_MAX_MS. */
const STORE_RETRY_MIN_MS = 100;
/** Longest wait between store retries: a store that is down is retried for as long as it takes. */
const STORE_RETRY_MAX_MS = 5_000;
/**
 * How long the first update of a batch waits for company before it is written. Forwarding never
 * waits for the store; this only trades a few ms of durability (clients still hold the update and
 * resend it after a crash) for far fewer store round trips while someone types.
 */
const WRITE_BATCH_MS = 10;
/** Quiet time after the last write before a room over its row threshold is compacted. */
const COMPACT_QUIET_MS = 2_000;
/** Rows (as a multiple of the threshold) at which a busy room is compacted anyway, to bound load time. */
const COMPACT_FORCE_FACTOR = 10;

/**
 * One document in memory: a Y.Doc, the connections editing it, their presence, and the queue of
 * updates on their way to the store. Incoming updates are applied to the doc, forwarded unchanged to
 * the room's other connections and to other nodes, and appended to the store in batches (one write
 * in flight per room, so a slow store batches more rather than queueing more writes).
 */
export class Room {
  readonly doc = new Y.Doc();
  readonly sessions = new Set<Session>();
  readonly awareness: AwarenessTable;
  state: 'loading' | 'ready' | 'unloading' | 'gone' = 'loading';
  /** SHA-256 (hex) of the token admitted while the room is in memory, to skip the store on rejoin. */
  tokenHash: string | null = null;
  /** Sessions between authentication and `attach`; they keep the room from going idle. */
  joining = 0;
  /** Approximate document size: bytes of the updates it was built from. */
  bytes = 0;
  /** Rows in the store for this room, as far as this node knows. */
  rows = 0;
  /** Settles when the room is ready; rejects when loading failed. */
  loaded: Promise<void> = Promise.resolve();
  /** Settles once `unload` finished (the room is gone from memory). */
  unloaded: Promise<void> | null = null;
  private writeQueue: Uint8Array[] = [];
  private writing: Promise<void> | null = null;
  /** Learned state from other nodes that this node is not the one to persist. */
  private remoteDirty = false;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private compactTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly name: string,
    private readonly env: RoomEnv,
  ) {
    this.awareness = new AwarenessTable(env.now);
  }

  /** Subscribes to other nodes first (so nothing published meanwhile is missed), then loads the store. */
  async load(): Promise<void> {
    const { fanout, hooks, log } = this.env;
    if (fanout) await fanout.subscribe(this.name, (message) => this.fromFanout(message));
    const rows = await hooks.load(this.name);
    this.bytes += await applyInSlices(this.doc, rows, (index, error) => {
      log.error('skipped an unreadable stored update', { room: this.name, bytes: rows[index]?.length, error: String(error) });
    });
    this.rows = rows.length;
    if (this.state !== 'loading') return;
    this.state = 'ready';
    fanout?.publish(this.name, { kind: 'sync-request', payload: Y.encodeStateVector(this.doc) });
  }

  /** A session joins: it gets the relay's state vector (to send what the relay lacks) and current presence. */
  attach(session: Session): void {
    this.cancelIdle();
    this.sessions.add(session);
    session.send(encodeStep1Frame(Y.encodeStateVector(this.doc)));
    const present = this.awareness.current();
    if (present.length > 0) session.send(encodeAwarenessFrame(encodeAwarenessUpdate(present)));
  }

  /** A session left: announce its presence as gone, and start the idle clock if it was the last. */
  detach(session: Session): void {
    if (!this.sessions.delete(session)) return;
    if (session.awarenessIds.size > 0) {
      const removed = this.awareness.remove(session.awarenessIds);
      session.awarenessIds.clear();
      if (removed.length > 0) this.shareAwareness(removed, null, null);
    }
    this.checkIdle();
  }

  /** Handles one frame from a session; a bad frame closes that session only. */
  receive(session: Session, raw: Uint8Array): void {
    if (this.state !== 'ready') return;
    try {
      const frame = parseClientFrame(raw);
      switch (frame.kind) {
        case 'sync-step1':
          session.send(encodeStep2Frame(Y.encodeStateAsUpdate(this.doc, frame.stateVector)));
          return;
        case 'update':
          this.applyClientUpdate(session, frame.update, frame.step2 ? null : raw);
          return;
        case 'awareness':
          this.applyClientAwareness(session, frame.entries, raw);
          return;
        case 'query-awareness':
          session.send(encodeAwarenessFrame(encodeAwarenessUpdate(this.awareness.current())));
          return;
      }
    } catch (error) {
      if (error instanceof RelayError) return session.fail(error);
      this.env.log.warn('frame rejected by Yjs', { room: this.name, error: String(error) });
      session.fail(new RelayError('frame/malformed', 'update could not be applied'));
    }
  }

  private applyClientUpdate(origin: Session, update: Uint8Array, rawUpdateFrame: Uint8Array | null): void {
    if (isEmptyUpdate(update)) return;
    if (this.bytes + update.length > this.env.limits.maxDocBytes) {
      throw new RelayError('room/doc-too-large', `document would exceed ${this.env.limits.maxDocBytes} bytes`);
    }
    Y.applyUpdate(this.doc, update, origin);
    this.bytes += update.length;
    // A step-2 payload is re-framed as a plain update: forwarded as step 2 it would tell the
    // receiving client that its own initial sync had completed.
    const out = rawUpdateFrame ?? encodeUpdateFrame(update);
    for (const session of this.sessions) if (session !== origin) session.send(out);
    this.env.fanout?.publish(this.name, { kind: 'update', payload: update });
    this.persist(update);
  }

  private applyClientAwareness(origin: Session, entries: AwarenessEntry[], raw: Uint8Array): void {
    const changed = this.awareness.apply(entries);
    if (changed.length === 0) return;
    for (const entry of changed) {
      if (entry.state === 'null') origin.awarenessIds.delete(entry.clientId);
      else origin.awarenessIds.add(entry.clientId);
    }
    this.shareAwareness(changed, changed.length === entries.length ? raw : null, null);
  }

  /**
   * Sends presence changes to every session, the sender included: y-websocket clients reconnect
   * when they hear nothing for 30 s, and the echo of their own 15-second renewal is what a client
   * alone in a room hears.
   */
  private shareAwareness(changed: AwarenessEntry[], raw: Uint8Array | null, fromNode: 'remote' | null): void {
    const update = encodeAwarenessUpdate(changed);
    const frame = raw ?? encodeAwarenessFrame(update);
    for (const session of this.sessions) session.send(frame);
    if (fromNode === null) this.env.fanout?.publish(this.name, { kind: 'awareness', payload: update });
  }

  private fromFanout(message: FanoutMessage): void {
    if (this.state === 'gone' || this.state === 'unloading') return;
    try {
      switch (message.kind) {
        case 'update': {
          Y.applyUpdate(this.doc, message.payload);
          this.bytes += message.payload.length;
          this.remoteDirty = true;
          const frame = encodeUpdateFrame(message.payload);
          for (const session of this.sessions) session.send(frame);
          return;
        }
        case 'awareness': {
          const changed = this.awareness.apply(parseAwarenessUpdate(message.payload));
          if (changed.length > 0) this.shareAwareness(changed, null, 'remote');
          return;
        }
        case 'sync-request': {
          if (this.state !== 'ready') return;
          const diff = Y.encodeStateAsUpdate(this.doc, message.payload);
          if (!isEmptyUpdate(diff)) this.env.fanout?.publish(this.name, { kind: 'update', payload: diff });
          const present = this.awareness.current();
          if (present.length > 0) this.env.fanout?.publish(this.name, { kind: 'awareness', payload: encodeAwarenessUpdate(present) });
          return;
        }
        case 'deleted':
          this.env.onDeletedElsewhere(this);
          return;
        case 'reconnected':
          if (this.state === 'ready') this.env.fanout?.publish(this.name, { kind: 'sync-request', payload: Y.encodeStateVector(this.doc) });
          return;
      }
    } catch (error) {
      this.env.log.error('could not apply a message from another node', { room: this.name, kind: message.kind, error: String(error) });
    }
  }

  /**
   * Queues an update for the store. The first write waits WRITE_BATCH_MS so that a burst (or
   * steady typing) goes in one transaction; after that one write is in flight per room and the
   * rest batch behind it.
   */
  private persist(update: Uint8Array): void {
    this.writeQueue.push(update);
    this.writing ??= new Promise<void>((resolve) => setTimeout(resolve, WRITE_BATCH_MS)).then(() => this.drain());
  }

  private async drain(): Promise<void> {
    const { hooks, limits, log } = this.env;
    let retryMs = STORE_RETRY_MIN_MS;
    while (this.writeQueue.length > 0) {
      const batch = this.writeQueue;
      this.writeQueue = [];
      try {
        await hooks.store(this.name, batch);
        this.rows += batch.length;
        retryMs = STORE_RETRY_MIN_MS;
      } catch (error) {
        this.writeQueue = batch.concat(this.writeQueue);
        log.error('store write failed; retrying', { room: this.name, updates: batch.length, retryMs, error: String(error) });
        await new Promise((resolve) => setTimeout(resolve, retryMs));
        retryMs = Math.min(retryMs * 2, STORE_RETRY_MAX_MS);
        continue;
      }
      if (this.rows >= limits.compactAfterRows * COMPACT_FORCE_FACTOR) await this.compact();
      else if (this.rows >= limits.compactAfterRows) this.compactWhenQuiet();
    }
    this.writing = null;
  }

  /**
   * Compaction costs milliseconds of event-loop time, so it waits until the room has been quiet for
   * COMPACT_QUIET_MS instead of landing in the middle of someone's typing (each new write restarts
   * the wait). A room that is never quiet is compacted at COMPACT_FORCE_FACTOR times the threshold.
   */
  private compactWhenQuiet(): void {
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      this.compactTimer = null;
      if (this.state !== 'ready' || this.rows < this.env.limits.compactAfterRows) return;
      this.writing ??= this.compact().then(() => this.drain());
    }, COMPACT_QUIET_MS);
    this.compactTimer.unref?.();
  }

  /** Resolves when everything queued so far is in the store. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async compact(): Promise<void> {
    try {
      const after = await this.env.hooks.compact(this.name);
      this.rows = after.rows;
      // The snapshot is garbage-collected, so it is a better size estimate than the sum of updates.
      if (this.writeQueue.length === 0 && !this.remoteDirty) this.bytes = after.bytes;
    } catch (error) {
      this.env.log.error('compaction failed; rows kept as they are', { room: this.name, error: String(error) });
    }
  }

  checkIdle(): void {
    if (this.state !== 'ready' || this.sessions.size > 0 || this.joining > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.sessions.size === 0 && this.joining === 0) this.env.onIdle(this);
    }, this.env.limits.roomIdleMs);
    this.idleTimer.unref?.();
  }

  private cancelIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /**
   * Leaves memory with persistence flushed: stops listening to other nodes, stores what only this
   * node saw from them, waits for pending writes, compacts, and frees the doc. Idempotent.
   */
  unload(): Promise<void> {
    this.unloaded ??= this.doUnload();
    return this.unloaded;
  }

  private async doUnload(): Promise<void> {
    this.cancelIdle();
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.state = 'unloading';
    await this.env.fanout?.unsubscribe(this.name).catch((error: unknown) => {
      this.env.log.warn('fan-out unsubscribe failed', { room: this.name, error: String(error) });
    });
    // Updates that arrived from other nodes are persisted by the node that received them from a
    // client; if that node died before its write, this snapshot is what keeps them.
    if (this.remoteDirty) this.persist(Y.encodeStateAsUpdate(this.doc));
    await this.flush();
    if (this.rows > 1) await this.compact();
    this.state = 'gone';
    this.doc.destroy();
  }

  /** Drops the room without writing anything (it was deleted). Waits for a write already in flight. */
  async discard(reason: RelayError): Promise<void> {
    this.cancelIdle();
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.state = 'gone';
    this.writeQueue = [];
    for (const session of [...this.sessions]) session.fail(reason);
    await this.env.fanout?.unsubscribe(this.name).catch(() => {});
    await this.flush();
    this.doc.destroy();
  }
}

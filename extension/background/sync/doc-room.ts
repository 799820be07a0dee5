/**
 * One synced doc's room (a character, a lorebook, a chat's memory) for as long as it has something to exchange: sync, then close
 * once what we sent has left the socket, lingering until quiet only when this device has edits to
 * push (so a burst of edits shares one connection). Remote changes are stored as they arrive.
 */
import * as Y from 'yjs';
import type { DocKind } from '@troupe/shared/docs';
import type { PairingKeys } from '@troupe/shared/pairing';
import type { TroupeDb } from '../db/database.ts';
import { applyRemoteDocUpdate, loadSyncedDoc } from './synced-docs.ts';
import { DRAIN_POLL_MS, type SyncLimits } from './limits.ts';
import type { SyncConnection, SyncTransport } from './transport.ts';

/** How a room's round ended: `pushed` when a local edit went out while it was open. */
export type RoomResult = 'pulled' | 'pushed' | 'timeout' | 'aborted';

export interface DocRoomContext {
  db: TroupeDb;
  keys: PairingKeys;
  transport: SyncTransport;
  limits: SyncLimits;
}

/** Origin of this device's changes to a room's doc (anything else came from the relay). */
const LOCAL = Symbol('troupe-doc-local');

export class DocRoom {
  private readonly doc = new Y.Doc();
  private connection: SyncConnection | null = null;
  private lastActivity = Date.now();
  private aborted = false;
  private wake: (() => void) | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  private pushedLocal = false;
  private failedWrite = false;
  /** A local change arrived after the room closed its books: the doc needs another round. */
  changedLocallyAfterSync = false;
  private closing = false;

  constructor(
    private readonly context: DocRoomContext,
    private readonly kind: DocKind,
    private readonly id: string,
    private readonly pushing: boolean,
  ) {}

  async run(): Promise<RoomResult> {
    const { db, keys, transport, limits } = this.context;
    const local = await loadSyncedDoc(db, this.kind, this.id);
    try {
      Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(local), LOCAL);
    } finally {
      local.destroy();
    }
    this.doc.on('updateV2', (update: Uint8Array, origin: unknown) => {
      this.lastActivity = Date.now();
      if (origin === LOCAL) return;
      this.writes = this.writes.then(() => applyRemoteDocUpdate(db, this.kind, this.id, update)).catch((error: unknown) => {
        // Not marked as pulled: the room is opened again later and the relay sends the change again.
        this.failedWrite = true;
        console.error('Troupe sync: could not store a remote change', error);
      });
    });
    const room = await keys.join(this.id);
    if (this.aborted) return this.finish('aborted');
    let synced = false;
    let lost = false;
    this.connection = transport.open(room, this.doc, {
      onSynced: () => { synced = true; this.poke(); },
      onConnected: (connected) => { if (!connected && synced) { lost = true; this.poke(); } },
      onRefused: () => { lost = true; this.poke(); },
    });
    const deadline = Date.now() + limits.docSyncTimeoutMs;
    while (!synced && !this.aborted && Date.now() < deadline) await this.sleep(deadline - Date.now());
    if (this.aborted) return this.finish('aborted');
    if (!synced) return this.finish('timeout');
    // Stay until what we sent has left the socket, and while updates flow when we have edits to push.
    for (;;) {
      const linger = this.pushing || this.pushedLocal ? limits.docLingerMs : limits.pullLingerMs;
      const quietFor = Date.now() - this.lastActivity;
      if (this.aborted) return this.finish('aborted');
      // The socket dropped before we knew our state left it: try again on the next connection.
      if (lost) return this.finish('timeout');
      if (quietFor >= linger && (this.connection?.drained ?? true)) break;
      await this.sleep(Math.max(linger - quietFor, DRAIN_POLL_MS));
    }
    this.closing = true;
    await this.writes;
    if (this.failedWrite) return this.finish('timeout');
    return this.finish(this.pushedLocal ? 'pushed' : 'pulled');
  }

  /** Sends this device's newest state of the doc through the open room. */
  pushLocal(): void {
    if (this.closing) {
      this.changedLocallyAfterSync = true;
      return;
    }
    this.pushedLocal = true;
    loadSyncedDoc(this.context.db, this.kind, this.id).then((local) => {
      try {
        if (!this.aborted) Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(local, Y.encodeStateVector(this.doc)), LOCAL);
      } finally {
        local.destroy();
      }
    }, (error: unknown) => console.error('Troupe sync: could not read a local change', error));
  }

  abort(): void {
    this.aborted = true;
    this.poke();
  }

  private finish(result: RoomResult): RoomResult {
    this.connection?.close();
    this.doc.destroy();
    return result;
  }

  private poke(): void {
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() { clearTimeout(timer); resolve(); }
      this.wake = done;
    });
  }
}

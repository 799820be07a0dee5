/**
 * The doc rooms: a queue of docs that need a round, and at most `maxOpenDocRooms` rooms open at once
 * (each is a WebSocket and a relay room, so a big library must not open hundreds). What a finished
 * round means for the index is not decided here: `finished` says, and whether the doc needs another.
 */
import type { DocKind } from '@troupe/shared/docs';
import { DocRoom, type DocRoomContext } from './doc-room.ts';
import type { RoundDone } from './index-sync.ts';

export interface DocRoomsOptions extends DocRoomContext {
  /** Whether rooms may be opened now (connected, index in sync and usable, not stopped). */
  online(): boolean;
  /** Whether this device has edits to push for the doc (its room then lingers for more). */
  pushing(id: string): boolean;
  /** The index stamp a room opening now starts from. */
  stampOf(id: string): string;
  /** A round ended with the doc in step with the relay; returns true when it needs another round. */
  finished(round: RoundDone): boolean;
  /** Rooms opened or closed: the status may have changed. */
  changed(): void;
}

export class DocRooms {
  /** Docs waiting for a room, in the order they were asked for. */
  private readonly queue = new Map<string, DocKind>();
  private readonly open = new Map<string, DocRoom>();
  private stopped = false;

  constructor(private readonly options: DocRoomsOptions) {}

  /** Queues a round for the doc unless its room is open (that room's result decides whether it needs another); call `pump` after. */
  request(kind: DocKind, id: string): void {
    if (!this.open.has(id)) this.queue.set(id, kind);
  }

  /** A local edit: sent through the doc's open room, or the doc is queued for one. */
  pushLocal(kind: DocKind, id: string): void {
    const room = this.open.get(id);
    if (room) {
      room.pushLocal();
      return;
    }
    this.queue.set(id, kind);
    this.pump();
  }

  /** The doc was deleted: no round for it, and an open room closes at once. */
  cancel(id: string): void {
    this.queue.delete(id);
    this.open.get(id)?.abort();
  }

  /** Rooms queued or open. */
  pending(): number {
    return this.queue.size + this.open.size;
  }

  /** Opens rooms for queued docs while fewer than `maxOpenDocRooms` are open and the relay is reachable. */
  pump(): void {
    if (!this.stopped && this.options.online()) {
      for (const [id, kind] of this.queue) {
        if (this.open.size >= this.options.limits.maxOpenDocRooms) break;
        if (this.open.has(id)) continue;
        this.queue.delete(id);
        this.run(kind, id);
      }
    }
    this.options.changed();
  }

  stop(): void {
    this.stopped = true;
    for (const room of this.open.values()) room.abort();
    this.open.clear();
    this.queue.clear();
  }

  private run(kind: DocKind, id: string): void {
    const pushing = this.options.pushing(id);
    const room = new DocRoom(this.options, kind, id, pushing);
    this.open.set(id, room);
    const startStamp = this.options.stampOf(id);
    room.run().then((result) => {
      if (this.open.get(id) === room) this.open.delete(id);
      if (this.stopped) return;
      if (result === 'timeout') {
        this.queue.set(id, kind);
      } else if (result !== 'aborted') {
        const pushed = pushing || result === 'pushed';
        if (this.options.finished({ kind, id, pushed, startStamp, changedAfterSync: room.changedLocallyAfterSync })) this.queue.set(id, kind);
      }
      this.pump();
    }, (error: unknown) => {
      console.error('Troupe sync: a document room failed', error);
      if (this.open.get(id) === room) this.open.delete(id);
      this.pump();
    });
  }
}

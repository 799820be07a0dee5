import type { RelayLimits } from '../limits.ts';
import type { Connection } from './connection.ts';
import { RelayError, closeReason } from './errors.ts';
import { TokenBucket } from './rate-limiter.ts';

/**
 * Frames a client may send before its room is ready (y-websocket sends sync step 1 and its
 * awareness on open, before the relay has answered). Beyond this the client is flooding.
 */
const MAX_EARLY_FRAMES = 32;

/** What a session needs of its room (the room knows sessions; a session knows only this, so the two do not import each other). */
export interface SessionRoom {
  attach(session: Session): void;
  receive(session: Session, frame: Uint8Array): void;
  detach(session: Session): void;
}

/**
 * One client connection as the relay sees it. The transport feeds it frames (`receive`) and tells
 * it when the socket closed (`disconnected`); everything else happens in the room.
 */
export class Session {
  state: 'joining' | 'open' | 'closed' = 'joining';
  room: SessionRoom | null = null;
  /** Awareness client ids this connection speaks for; announced as gone when it closes. */
  readonly awarenessIds = new Set<number>();
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private readonly bucket: TokenBucket;

  constructor(
    private readonly conn: Connection,
    private readonly limits: RelayLimits,
    private readonly onClosed: (session: Session) => void,
    now: () => number,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
  }

  /** True once the connection closed (state can change across awaits, hence a method). */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** The transport calls this with every frame; text frames are not part of the protocol. */
  receive(frame: Uint8Array | string): void {
    if (this.state === 'closed') return;
    if (typeof frame === 'string') return this.fail(new RelayError('frame/malformed', 'text frames are not accepted'));
    if (frame.length > this.limits.maxFrameBytes) {
      return this.fail(new RelayError('frame/too-large', `frame of ${frame.length} bytes exceeds ${this.limits.maxFrameBytes}`));
    }
    if (!this.bucket.take()) return this.fail(new RelayError('conn/rate-limited', `more than ${this.limits.messagesPerSecond} messages/s`));
    if (this.state === 'joining') {
      this.early.push(frame);
      this.earlyBytes += frame.length;
      if (this.early.length > MAX_EARLY_FRAMES || this.earlyBytes > this.limits.maxBufferedBytes) {
        this.fail(new RelayError('conn/rate-limited', 'too much sent before the room was ready'));
      }
      return;
    }
    this.room?.receive(this, frame);
  }

  /** The transport calls this once the socket is closed, whoever closed it. */
  disconnected(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.early = [];
    this.room?.detach(this);
    this.onClosed(this);
  }

  /** Joins the ready room, then handles what the client sent while it waited. */
  open(room: SessionRoom): void {
    if (this.state !== 'joining') return;
    this.state = 'open';
    this.room = room;
    room.attach(this);
    const early = this.early;
    this.early = [];
    this.earlyBytes = 0;
    for (const frame of early) {
      if (this.state !== 'open') return;
      room.receive(this, frame);
    }
  }

  /** Sends a frame unless the client stopped reading, in which case it is dropped as a slow consumer. */
  send(frame: Uint8Array): void {
    if (this.state !== 'open') return;
    if (this.conn.bufferedAmount() > this.limits.maxBufferedBytes) {
      this.fail(new RelayError('conn/slow-consumer', 'client is not reading'));
      return;
    }
    this.conn.send(frame);
  }

  /** Closes this connection with the error's close code; affects nothing else. */
  fail(error: RelayError): void {
    if (this.state === 'closed') return;
    try {
      this.conn.close(error.closeCode, closeReason(error));
    } finally {
      this.disconnected();
    }
  }
}

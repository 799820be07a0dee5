import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_TYPE } from '@troupe/shared/protocol';
import type { Connection } from '../rooms/connection.ts';
import type { JoinRequest, Relay } from '../rooms/relay.ts';
import type { Session } from '../rooms/session.ts';

/**
 * An in-memory y-websocket client for relay-core tests: it is the relay's Connection, keeps a Y.Doc
 * in sync with y-protocols exactly as y-websocket's provider does, and records every frame and the
 * close code. No sockets, so core behaviour is tested without transport.
 */
export class ProtocolClient implements Connection {
  readonly doc: Y.Doc;
  readonly frames: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  buffered = 0;
  session!: Session;
  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.SYNC);
    syncProtocol.writeUpdate(encoder, update);
    this.session.receive(encoding.toUint8Array(encoder));
  };

  constructor(doc: Y.Doc = new Y.Doc()) {
    this.doc = doc;
    doc.on('update', this.onUpdate);
  }

  /** Connects to `relay` and sends sync step 1 at once, as y-websocket does on open. */
  static join(relay: Relay, join: Partial<JoinRequest> & { room: string }, doc?: Y.Doc): ProtocolClient {
    const client = new ProtocolClient(doc);
    client.session = relay.connect(client, { token: 'test-token-0123456789', versions: [1], ...join });
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.SYNC);
    syncProtocol.writeSyncStep1(encoder, client.doc);
    client.session.receive(encoding.toUint8Array(encoder));
    return client;
  }

  send(frame: Uint8Array): void {
    this.frames.push(frame);
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.SYNC) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.SYNC);
    syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
    if (encoding.length(encoder) > 1) {
      const reply = encoding.toUint8Array(encoder);
      queueMicrotask(() => this.session.receive(reply));
    }
  }

  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }

  bufferedAmount(): number {
    return this.buffered;
  }

  /** Frames of one message type (and sync sub-type) received so far. */
  framesOf(type: number, syncType?: number): Uint8Array[] {
    return this.frames.filter((frame) => frame[0] === type && (syncType === undefined || frame[1] === syncType));
  }

  /** Closes from the client side. */
  leave(): void {
    this.doc.off('update', this.onUpdate);
    this.session.disconnected();
  }
}

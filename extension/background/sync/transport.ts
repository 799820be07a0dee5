/**
 * The one seam between sync and the network: open a room for a Y.Doc, hear its state, close it.
 * The WebSocket relay is one implementation; end-to-end encryption will wrap this interface.
 */
import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { joinProtocols, SYNC_PATH } from '@troupe/shared/protocol';

/** A room on the relay, as derived from the pairing secret (the secret itself never travels). */
export interface RoomAccess {
  roomName: string;
  token: string;
}

export interface ConnectionEvents {
  /** The socket opened (true) or dropped (false); reconnecting is the transport's business. */
  onConnected?(connected: boolean): void;
  /** Both sides have exchanged state: the doc now holds everything the relay had. */
  onSynced?(): void;
  /** The relay closed the room for good (a 44xx close code): reconnecting will not help. */
  onRefused?(code: number): void;
}

export interface SyncConnection {
  /** True when nothing we sent is still waiting in the socket's buffer. */
  readonly drained: boolean;
  close(): void;
}

/** Opens rooms. Updates to `doc` travel both ways until the connection is closed. */
export interface SyncTransport {
  open(room: RoomAccess, doc: Y.Doc, events: ConnectionEvents): SyncConnection;
}

/** y-websocket against Troupe's relay; the join token travels in the subprotocol list, never in the URL. */
export function websocketTransport(relayUrl: string, WebSocketImpl?: typeof WebSocket): SyncTransport {
  return {
    open(room, doc, events) {
      const provider = new WebsocketProvider(`${relayUrl.replace(/\/+$/, '')}${SYNC_PATH}`, room.roomName, doc, {
        protocols: joinProtocols(room.token),
        // Rooms are per pairing, not per tab: BroadcastChannel would let a provider skip the relay.
        disableBc: true,
        ...(WebSocketImpl ? { WebSocketPolyfill: WebSocketImpl } : {}),
      });
      provider.on('status', ({ status }: { status: string }) => events.onConnected?.(status === 'connected'));
      provider.on('sync', (synced: boolean) => { if (synced) events.onSynced?.(); });
      provider.on('closed', (close: { code: number }) => events.onRefused?.(close.code));
      return {
        get drained() { return (provider.ws?.bufferedAmount ?? 0) === 0; },
        close() { provider.destroy(); },
      };
    },
  };
}

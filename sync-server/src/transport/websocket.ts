import type { WebSocketLike } from '@hono/node-server';
import type { WSContext } from 'hono/ws';
import { WebSocket, WebSocketServer } from 'ws';
import { SYNC_SUBPROTOCOL } from '@troupe/shared/protocol';

const SYNC_SUBPROTOCOL_FAMILY = 'troupe-sync.';
import type { RelayLimits } from '../limits.ts';
import type { Connection } from '../rooms/connection.ts';

/**
 * The WebSocket server handed to @hono/node-server's `serve`. It answers the handshake with a
 * sync subprotocol (browsers fail a handshake that offered protocols and got none back) and never
 * with the token offered beside it. A client offering only other versions still gets one of them
 * back, so the handshake completes and the relay can tell it why it closes (4426). Its `maxPayload`
 * is a hard stop at twice the frame limit: frames between the two are refused by the relay with
 * TOO_LARGE (4413), larger ones are cut off by ws (1009) before they are buffered.
 */
export function createWebSocketServer(limits: Pick<RelayLimits, 'maxFrameBytes'>): WebSocketServer {
  return new WebSocketServer({
    noServer: true,
    maxPayload: 2 * limits.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (offered) => {
      if (offered.has(SYNC_SUBPROTOCOL)) return SYNC_SUBPROTOCOL;
      for (const protocol of offered) if (protocol.startsWith(SYNC_SUBPROTOCOL_FAMILY)) return protocol;
      return false;
    },
  });
}

/** Adapts Hono's WebSocket context to the relay core's Connection. */
export function connectionFor(ws: WSContext<WebSocketLike>): Connection {
  const raw = ws.raw;
  const socket = raw instanceof WebSocket ? raw : null;
  return {
    send: (frame) => (socket ? socket.send(frame) : raw?.send(frame)),
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => socket?.bufferedAmount ?? 0,
  };
}

/** Interval between pings; a client that missed one full interval is cut off (its TCP peer is gone). */
export const HEARTBEAT_MS = 30_000;

/**
 * Pings every client each interval and terminates those that did not answer the previous ping, so
 * sockets whose peer vanished without a FIN (sleeping laptop, dropped Wi-Fi) leave their rooms.
 * Returns a function that stops the heartbeat.
 */
export function startHeartbeat(wss: WebSocketServer, intervalMs = HEARTBEAT_MS): () => void {
  const alive = new WeakSet<WebSocket>();
  const onConnection = (socket: WebSocket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  };
  wss.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wss.off('connection', onConnection);
  };
}

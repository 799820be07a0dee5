import { upgradeWebSocket } from '@hono/node-server';
import { Hono } from 'hono';
import { parseJoinProtocols } from '@troupe/shared/protocol';
import { RelayError } from '../rooms/errors.ts';
import type { Relay } from '../rooms/relay.ts';
import type { Session } from '../rooms/session.ts';
import { connectionFor } from '../transport/websocket.ts';

/**
 * `/sync/:room`: the WebSocket endpoint (y-websocket framing, join token in the subprotocol list),
 * and `DELETE /sync/:room` with `Authorization: Bearer <token>` to forget a room (unpairing).
 * Transport only: the relay core decides everything.
 */
export function syncRoutes(relay: Relay): Hono {
  const app = new Hono();

  app.get(
    '/sync/:room',
    upgradeWebSocket((c) => {
      const room = c.req.param('room') ?? '';
      const offer = parseJoinProtocols(c.req.header('sec-websocket-protocol'));
      let session: Session | null = null;
      return {
        onOpen: (_event, ws) => {
          session = relay.connect(connectionFor(ws), { room, token: offer.token, versions: offer.versions });
        },
        onMessage: (event) => {
          const data = event.data;
          session?.receive(typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : '');
        },
        onClose: () => session?.disconnected(),
      };
    }),
    (c) => c.json({ error: 'upgrade-required', message: 'Connect with a WebSocket (y-websocket protocol).' }, 426),
  );

  app.delete('/sync/:room', async (c) => {
    const token = /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return c.json({ error: 'auth/missing-token', message: 'Send the join token as a Bearer token.' }, 401);
    try {
      await relay.deleteRoom(c.req.param('room'), token);
    } catch (error) {
      if (!(error instanceof RelayError)) throw error;
      const status = error.code === 'auth/token-mismatch' ? 403 : error.code === 'room/bad-name' ? 400 : 500;
      return c.json({ error: error.code, message: error.message }, status);
    }
    return c.body(null, 204);
  });

  return app;
}

/**
 * WebSocket close codes the relay sends, in the private range 4000-4999 (RFC 6455).
 *
 * Convention shared with y-websocket 3's `WebsocketProvider`: 4400-4499 mirror HTTP 4xx and mean
 * "reconnecting will not help" (the provider stops and emits `closed`); 4500-4599 mirror HTTP 5xx
 * and mean "try again later" (the provider backs off and reconnects). Rate limiting is therefore
 * 4529 rather than a 44xx code: a client that bursts should come back, not give up for good.
 */
export const CLOSE_CODES = {
  /** A frame that is not a well-formed y-websocket message, or an invalid room name. */
  BAD_FRAME: 4400,
  /** No join token was offered. */
  UNAUTHORISED: 4401,
  /** The join token does not match the one bound to the room on first use. */
  FORBIDDEN: 4403,
  /** The client speaks a protocol version this relay does not. */
  UNSUPPORTED_PROTOCOL: 4426,
  /** A frame above the frame limit, or an update that would push the document past its limit. */
  TOO_LARGE: 4413,
  /** The room's data was deleted while this client was connected. */
  ROOM_DELETED: 4410,
  /** Internal failure (e.g. the store is unreachable); retry later. */
  INTERNAL: 4500,
  /** The relay is shutting down or handing the room over; retry later (possibly elsewhere). */
  GOING_AWAY: 4502,
  /** This relay process holds its maximum number of rooms; retry later. */
  ROOM_LIMIT: 4503,
  /** The client read too slowly and its send buffer overflowed; retry later. */
  SLOW_CONSUMER: 4508,
  /** The client sent more messages per second than allowed; retry after a backoff. */
  RATE_LIMITED: 4529,
} as const;

export type CloseCodeName = keyof typeof CLOSE_CODES;
export type CloseCode = (typeof CLOSE_CODES)[CloseCodeName];

/** True when a close code means the client should not reconnect with the same credentials. */
export function isPermanentClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/** The constant's name for a close code, for logs and UI messages (`undefined` for codes we do not send). */
export function closeCodeName(code: number): CloseCodeName | undefined {
  for (const [name, value] of Object.entries(CLOSE_CODES)) if (value === code) return name as CloseCodeName;
  return undefined;
}

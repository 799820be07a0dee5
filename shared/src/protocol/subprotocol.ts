import { PROTOCOL_VERSION } from './version.ts';

/**
 * How a client joins a room: the URL is `/sync/<roomName>` and the join token travels in the
 * WebSocket subprotocol list (`Sec-WebSocket-Protocol`), never in the query string, so it stays
 * out of access logs, proxies' URL logs and browser history. y-websocket's provider passes a
 * `protocols` option straight to `new WebSocket(url, protocols)`, so no client change is needed:
 *
 * @example
 *   new WebsocketProvider(`${relayUrl}/sync`, roomName, doc, { protocols: joinProtocols(token) })
 *
 * The relay answers with `SYNC_SUBPROTOCOL` (browsers fail a handshake whose answer names a
 * protocol they did not offer, or names none when they offered some) and never echoes the token.
 */
export const SYNC_SUBPROTOCOL = `troupe-sync.v${PROTOCOL_VERSION}`;

/** Prefix of the subprotocol entry that carries the join token (base64url is valid token syntax). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'troupe-token.';

const SYNC_SUBPROTOCOL_PATTERN = /^troupe-sync\.v(\d{1,6})$/;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;

/** The subprotocol list a client offers to join a room with `token`. */
export function joinProtocols(token: string): string[] {
  if (!TOKEN_PATTERN.test(token)) throw new RangeError('A join token must be 16-256 base64url characters');
  return [SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX + token];
}

/** What a client offered in its `Sec-WebSocket-Protocol` header. */
export interface JoinOffer {
  /** Every `troupe-sync.vN` version offered (a client may speak several), in the order offered. */
  versions: number[];
  /** The join token, or null when none (or a malformed one) was offered. */
  token: string | null;
}

/** Reads a `Sec-WebSocket-Protocol` header (comma-separated) into a version and token. */
export function parseJoinProtocols(header: string | null | undefined): JoinOffer {
  const versions: number[] = [];
  let token: string | null = null;
  for (const raw of (header ?? '').split(',')) {
    const entry = raw.trim();
    const match = SYNC_SUBPROTOCOL_PATTERN.exec(entry);
    if (match?.[1] !== undefined) versions.push(Number(match[1]));
    else if (entry.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) {
      const candidate = entry.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
      if (TOKEN_PATTERN.test(candidate)) token = candidate;
    }
  }
  return { versions, token };
}

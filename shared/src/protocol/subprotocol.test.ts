import { describe, expect, it } from 'vitest';
import { SYNC_SUBPROTOCOL, joinProtocols, parseJoinProtocols } from './subprotocol.ts';
import { PROTOCOL_VERSION } from './version.ts';

const TOKEN = 'abcdefghijklmnopqrstuvwxyz_-0123456789ABCDE';

describe('join subprotocols', () => {
  it('offers the versioned sync protocol first, then the token', () => {
    expect(joinProtocols(TOKEN)).toEqual([`troupe-sync.v${PROTOCOL_VERSION}`, `troupe-token.${TOKEN}`]);
    expect(SYNC_SUBPROTOCOL).toBe(`troupe-sync.v${PROTOCOL_VERSION}`);
  });

  it('refuses tokens that are not base64url (they would break the header syntax)', () => {
    expect(() => joinProtocols('has space in it, and a comma')).toThrow(RangeError);
    expect(() => joinProtocols('short')).toThrow(RangeError);
  });

  it('round-trips through a Sec-WebSocket-Protocol header', () => {
    expect(parseJoinProtocols(joinProtocols(TOKEN).join(', '))).toEqual({ versions: [PROTOCOL_VERSION], token: TOKEN });
  });

  it('reports a missing token and a missing version as null', () => {
    expect(parseJoinProtocols(undefined)).toEqual({ versions: [], token: null });
    expect(parseJoinProtocols('chat, superchat')).toEqual({ versions: [], token: null });
    expect(parseJoinProtocols(SYNC_SUBPROTOCOL)).toEqual({ versions: [PROTOCOL_VERSION], token: null });
  });

  it('ignores malformed tokens and lists every offered version', () => {
    expect(parseJoinProtocols('troupe-sync.v7,troupe-sync.v1,troupe-token.bad!')).toEqual({ versions: [7, 1], token: null });
  });
});

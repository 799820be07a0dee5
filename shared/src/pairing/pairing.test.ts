import { describe, expect, it } from 'vitest';
import { PairingKeys, deriveJoinToken, deriveRoomName } from './derive.ts';
import { PairingError } from './errors.ts';
import { formatPairLink, parsePairLink } from './link.ts';
import { createPairingSecret, pairingSecretBytes } from './secret.ts';
import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { isValidRoomName, joinProtocols } from '../protocol/index.ts';

// Fixed vectors (computed independently with OpenSSL's HMAC-SHA256). They pin the derivation:
// changing it would silently move every paired device to new, empty rooms.
const SECRET = bytesToBase64Url(Uint8Array.from({ length: 32 }, (_, i) => i));
const DOC_ID = 'character/seraphina';
const ROOM = 'AnCmSa8C1H1ZkKhUxEf0AnWMNHjPjnZfLO4LFpMXiIY';
const TOKEN = '1AmAOxOfWPlt_JeHjnKnCtCCDIxzHqedrmpdrzO-DHs';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PairingError) return error.code;
    throw error;
  }
  return undefined;
}

describe('pairing secret', () => {
  it('holds 256 random bits as base64url', () => {
    const a = createPairingSecret();
    const b = createPairingSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(base64UrlToBytes(a)?.length).toBe(32);
    expect(a).not.toBe(b);
  });

  it('refuses secrets under 128 bits or not base64url', () => {
    expect(codeOf(() => pairingSecretBytes(bytesToBase64Url(new Uint8Array(15))))).toBe('pairing/bad-secret');
    expect(codeOf(() => pairingSecretBytes('not base64!'))).toBe('pairing/bad-secret');
    expect(pairingSecretBytes(bytesToBase64Url(new Uint8Array(16))).length).toBe(16);
  });
});

describe('share link', () => {
  it('round-trips a secret alone', () => {
    const link = formatPairLink({ secret: SECRET });
    expect(link).toBe(`troupe-pair:v1:${SECRET}`);
    expect(parsePairLink(`  ${link}\n`)).toEqual({ version: 1, secret: SECRET });
  });

  it('round-trips a secret with the relay address', () => {
    const link = formatPairLink({ secret: SECRET, relayUrl: 'wss://relay.example/sync' });
    expect(link).toBe(`troupe-pair:v1:${SECRET}:d3NzOi8vcmVsYXkuZXhhbXBsZS9zeW5j`);
    expect(parsePairLink(link)).toEqual({ version: 1, secret: SECRET, relayUrl: 'wss://relay.example/sync' });
  });

  it('names what is wrong with a bad link', () => {
    expect(codeOf(() => parsePairLink('https://example.com'))).toBe('pairing/not-a-link');
    expect(codeOf(() => parsePairLink(`troupe-pair:v2:${SECRET}`))).toBe('pairing/unsupported-version');
    expect(codeOf(() => parsePairLink('troupe-pair:v1:AAAA'))).toBe('pairing/bad-secret');
    expect(codeOf(() => parsePairLink(`troupe-pair:v1:${SECRET}:${bytesToBase64Url(Uint8Array.from('http://x', (c) => c.charCodeAt(0)))}`))).toBe(
      'pairing/bad-relay-url',
    );
    expect(codeOf(() => parsePairLink(`troupe-pair:v1:${SECRET}:AAAA:BBBB`))).toBe('pairing/not-a-link');
    expect(codeOf(() => formatPairLink({ secret: SECRET, relayUrl: 'wss://relay.example/?token=x' }))).toBe('pairing/bad-relay-url');
  });
});

describe('derived room names and tokens', () => {
  it('match the fixed HMAC-SHA256 vectors', async () => {
    expect(await deriveRoomName(SECRET, DOC_ID)).toBe(ROOM);
    expect(await deriveJoinToken(SECRET, ROOM)).toBe(TOKEN);
    const keys = await PairingKeys.fromSecret(SECRET);
    expect(await keys.join(DOC_ID)).toEqual({ roomName: ROOM, token: TOKEN });
  });

  it('are valid on the wire and reveal neither secret nor document id', async () => {
    const keys = await PairingKeys.fromSecret(SECRET);
    const { roomName, token } = await keys.join(DOC_ID);
    expect(isValidRoomName(roomName)).toBe(true);
    expect(joinProtocols(token)).toHaveLength(2);
    for (const value of [roomName, token]) {
      expect(value).not.toContain(SECRET);
      expect(value).not.toContain('seraphina');
    }
  });

  it('differ per document and per pairing (re-pairing moves to new rooms)', async () => {
    const keys = await PairingKeys.fromSecret(SECRET);
    const other = await PairingKeys.fromSecret(createPairingSecret());
    expect(await keys.roomName('doc-a')).not.toBe(await keys.roomName('doc-b'));
    expect(await keys.roomName('doc-a')).not.toBe(await other.roomName('doc-a'));
    expect(await keys.fingerprint()).not.toBe(await other.fingerprint());
  });

  it('give both devices the same short fingerprint', async () => {
    const first = await (await PairingKeys.fromSecret(SECRET)).fingerprint();
    const second = await (await PairingKeys.fromSecret(parsePairLink(formatPairLink({ secret: SECRET })).secret)).fingerprint();
    expect(first).toMatch(/^[A-Z0-9X]{4}-[A-Z0-9X]{4}$/);
    expect(second).toBe(first);
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeRelayUrl } from './relay-url.ts';

describe('normalizeRelayUrl', () => {
  it('keeps ws and wss addresses, trimmed and without a trailing slash', () => {
    expect(normalizeRelayUrl(' ws://127.0.0.1:8787/ ')).toBe('ws://127.0.0.1:8787');
    expect(normalizeRelayUrl('wss://relay.example/troupe')).toBe('wss://relay.example/troupe');
  });

  it('refuses other schemes, queries and fragments with a coded error', () => {
    for (const bad of ['http://relay.example', 'relay.example', 'ws://host/?token=x', 'ws://host/#k', '']) {
      expect(() => normalizeRelayUrl(bad)).toThrow(expect.objectContaining({ code: 'sync/bad-relay-url' }));
    }
  });
});

import { describe, expect, it } from 'vitest';
import { SYNC_VALIDATORS } from './sync-protocol.ts';

describe('sync protocol validators', () => {
  it('accepts well-formed requests and drops unknown fields', () => {
    expect(SYNC_VALIDATORS['sync.pair']({ link: 'troupe-pair:v1:abc', extra: 1 })).toEqual({ link: 'troupe-pair:v1:abc' });
    expect(SYNC_VALIDATORS['sync.setRelay']({ url: 'ws://127.0.0.1:8787' })).toEqual({ url: 'ws://127.0.0.1:8787' });
    expect(SYNC_VALIDATORS['sync.status']({})).toEqual({});
  });

  it('refuses missing, empty, non-text and oversized fields', () => {
    for (const payload of [null, {}, { link: '' }, { link: 7 }, { link: 'x'.repeat(5_000) }]) {
      expect(() => SYNC_VALIDATORS['sync.pair'](payload)).toThrow(expect.objectContaining({ code: 'message/invalid' }));
    }
    expect(() => SYNC_VALIDATORS['sync.setRelay']({ url: 'x'.repeat(5_000) })).toThrow(expect.objectContaining({ code: 'message/invalid' }));
  });
});

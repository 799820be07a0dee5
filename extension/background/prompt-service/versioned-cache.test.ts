import { describe, expect, it } from 'vitest';
import { VersionedCache } from './versioned-cache.ts';

describe('VersionedCache', () => {
  it('reads once per version, again for a newer one, and not a failed read', async () => {
    const cache = new VersionedCache<number>();
    let reads = 0;
    const load = async () => ++reads;
    expect(await cache.get('a', 1, load)).toBe(1);
    expect(await cache.get('a', 1, load)).toBe(1);
    expect(await cache.get('a', 2, load)).toBe(2);
    expect(await cache.get('b', 2, load)).toBe(3);
    await expect(cache.get('c', 1, async () => { throw new Error('busy'); })).rejects.toThrow('busy');
    expect(await cache.get('c', 1, load)).toBe(4);
  });
});

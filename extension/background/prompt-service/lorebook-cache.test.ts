import { describe, expect, it } from 'vitest';
import type { Lorebook } from '@troupe/shared/cards';
import { LorebookCache, UNNAMED_BOOK } from './lorebook-cache.ts';

const stored = (name: string | undefined): Lorebook => ({ ...(name === undefined ? {} : { name }), extensions: {}, entries: [
  { keys: ['k'], content: 'c', extensions: {}, enabled: true, insertion_order: 100, use_regex: false },
] });

describe('LorebookCache', () => {
  it('hands out the same object while the version holds (so the engine keeps its compiled book) and a new one after a change', async () => {
    const reads: string[] = [];
    const cache = new LorebookCache(async (id) => { reads.push(id); return stored('Coast'); });
    const first = await cache.get('b1', 1);
    expect(await cache.get('b1', 1)).toBe(first);
    const changed = await cache.get('b1', 2);
    expect(changed).not.toBe(first);
    expect(changed).toMatchObject({ name: 'Coast', entries: [{ keys: ['k'], content: 'c' }] });
    expect(reads).toEqual(['b1', 'b1']);
  });

  it('names an unnamed book, returns null for a book that is gone, and forgets the least recently used past its limit', async () => {
    const present = new Set(['a', 'b', 'c']);
    const reads: string[] = [];
    const cache = new LorebookCache(async (id) => { reads.push(id); return present.has(id) ? stored(undefined) : null; }, 2);
    expect((await cache.get('a', 1))?.name).toBe(UNNAMED_BOOK);
    await cache.get('b', 1);
    await cache.get('a', 1); // a is now the most recent
    await cache.get('c', 1); // evicts b
    await cache.get('a', 1);
    await cache.get('b', 1);
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
    expect(await cache.get('gone', 1)).toBeNull();
  });

  it('reads a book once when two builds ask at once, and again after a failed read', async () => {
    let reads = 0;
    let fail = true;
    const cache = new LorebookCache(async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('database busy');
      return stored('Coast');
    });
    await expect(Promise.all([cache.get('b1', 1), cache.get('b1', 1)])).rejects.toThrow('database busy');
    expect(reads).toBe(1);
    fail = false;
    const [one, two] = await Promise.all([cache.get('b1', 1), cache.get('b1', 1)]);
    expect(one).toBe(two);
    expect(reads).toBe(2);
  });
});

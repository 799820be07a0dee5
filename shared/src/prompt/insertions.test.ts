import { describe, expect, it } from 'vitest';
import { groupInsertions, insertionDepth, placeInsertions, type Insertion } from './insertions.ts';

describe('insertionDepth', () => {
  it.each<[unknown, number]>([
    [4, 4], [0, 0], [2.7, 2], [-1, 0], [1e308, 10_000], [Number.NaN, 4], ['3', 4], [undefined, 4], [null, 4],
  ])('%s -> %i', (value, expected) => {
    expect(insertionDepth(value)).toBe(expected);
  });
});

describe('groupInsertions', () => {
  it('merges one depth and role into one message, author note, depth prompt, lore', () => {
    const items: Insertion[] = [
      { depth: 2, role: 'system', kind: 'lore', text: 'L' },
      { depth: 2, role: 'system', kind: 'depth-prompt', text: ' D ' },
      { depth: 2, role: 'system', kind: 'author-note', text: 'A' },
      { depth: 2, role: 'system', kind: 'lore', text: '  ' },
    ];
    expect(groupInsertions(items)).toEqual([{ depth: 2, role: 'system', kinds: ['author-note', 'depth-prompt', 'lore'], text: 'A\nD\nL' }]);
  });

  it('orders deepest first, then assistant, user, system', () => {
    const items: Insertion[] = [
      { depth: 1, role: 'system', kind: 'lore', text: 's1' },
      { depth: 1, role: 'user', kind: 'lore', text: 'u1' },
      { depth: 3, role: 'system', kind: 'lore', text: 's3' },
      { depth: 1, role: 'assistant', kind: 'lore', text: 'a1' },
    ];
    expect(groupInsertions(items).map((group) => group.text)).toEqual(['s3', 'a1', 'u1', 's1']);
  });
});

describe('placeInsertions', () => {
  const groups = (...depths: number[]) => groupInsertions(depths.map((depth) => ({ depth, role: 'system' as const, kind: 'lore' as const, text: `d${depth}` })));
  const show = (history: string[], depths: number[]) =>
    placeInsertions(history, groups(...depths)).map((item) => (typeof item === 'string' ? item : `[${item.text}]`));

  it.each<[string[], number[], string[]]>([
    [['a', 'b', 'c'], [0], ['a', 'b', 'c', '[d0]']],
    [['a', 'b', 'c'], [1], ['a', 'b', '[d1]', 'c']],
    [['a', 'b', 'c'], [3], ['[d3]', 'a', 'b', 'c']],
    [['a', 'b', 'c'], [0, 2, 9, 5], ['[d9]', '[d5]', 'a', '[d2]', 'b', 'c', '[d0]']],
    [[], [0, 4], ['[d4]', '[d0]']],
  ])('%j with depths %j', (history, depths, expected) => {
    expect(show(history, depths)).toEqual(expected);
  });
});

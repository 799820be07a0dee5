import { describe, expect, it } from 'vitest';
import { run, sequence, uids, type EntryInit } from './test-support.ts';

const messages = ['a red dragon attacks the castle'];

describe('activate: inclusion groups', () => {
  it.each<[string, EntryInit[], number, (number | string)[]]>([
    [
      'one winner per group, drawn by weight (low roll)',
      [
        { uid: 1, keys: ['dragon'], group: 'g', groupWeight: 100 },
        { uid: 2, keys: ['dragon'], group: 'g', groupWeight: 300 },
      ],
      0.2, // 0.2 * 400 = 80 <= 100
      [1],
    ],
    [
      'one winner per group, drawn by weight (high roll)',
      [
        { uid: 1, keys: ['dragon'], group: 'g', groupWeight: 100 },
        { uid: 2, keys: ['dragon'], group: 'g', groupWeight: 300 },
      ],
      0.5, // 200 > 100
      [2],
    ],
    [
      'groupOverride wins outright, highest order first',
      [
        { uid: 1, keys: ['dragon'], group: 'g', groupWeight: 10000 },
        { uid: 2, keys: ['dragon'], group: 'g', groupOverride: true, order: 10 },
        { uid: 3, keys: ['dragon'], group: 'g', groupOverride: true, order: 20 },
      ],
      0,
      [3],
    ],
    [
      'entries without a group are unaffected',
      [
        { uid: 1, keys: ['dragon'], group: 'g' },
        { uid: 2, keys: ['dragon'], group: 'g' },
        { uid: 3, keys: ['dragon'] },
      ],
      0,
      [1, 3],
    ],
    [
      'different groups each get a winner',
      [
        { uid: 1, keys: ['dragon'], group: 'a' },
        { uid: 2, keys: ['dragon'], group: 'a' },
        { uid: 3, keys: ['castle'], group: 'b' },
        { uid: 4, keys: ['castle'], group: 'b' },
      ],
      0,
      [1, 3],
    ],
    [
      'comma-separated groups: losing one group removes the entry',
      [
        { uid: 1, keys: ['dragon'], group: 'a, b', groupOverride: true },
        { uid: 2, keys: ['dragon'], group: 'a' },
        { uid: 3, keys: ['dragon'], group: 'b' },
      ],
      0,
      [1],
    ],
    [
      'a lone group member activates normally',
      [{ uid: 1, keys: ['dragon'], group: 'g' }],
      0.99,
      [1],
    ],
    [
      'group scoring keeps the member matching more keys',
      [
        { uid: 1, keys: ['dragon'], group: 'g', useGroupScoring: true },
        { uid: 2, keys: ['dragon', 'red'], group: 'g', useGroupScoring: true },
      ],
      0,
      [2],
    ],
    [
      'group scoring counts AND_ANY secondary keys',
      [
        { uid: 1, keys: ['dragon', 'castle'], group: 'g', useGroupScoring: true },
        { uid: 2, keys: ['dragon'], secondaryKeys: ['red', 'attacks'], selectiveLogic: 0, group: 'g', useGroupScoring: true },
      ],
      0,
      [2],
    ],
    [
      'group scoring ties fall back to the draw',
      [
        { uid: 1, keys: ['dragon'], group: 'g', useGroupScoring: true },
        { uid: 2, keys: ['castle'], group: 'g', useGroupScoring: true },
      ],
      0.9,
      [2],
    ],
  ])('%s', (_name, entries, roll, expected) => {
    expect(uids(run(entries, { messages, rng: sequence(roll) }))).toEqual(expected);
  });

  it('the group-scoring setting applies to entries that leave it unset', () => {
    const entries: EntryInit[] = [
      { uid: 1, keys: ['dragon'], group: 'g' },
      { uid: 2, keys: ['dragon', 'red'], group: 'g' },
    ];
    expect(uids(run(entries, { messages, rng: sequence(0), settings: { useGroupScoring: true } }))).toEqual([2]);
    expect(uids(run(entries, { messages, rng: sequence(0) }))).toEqual([1]);
  });

  it('a group already filled in an earlier pass takes no new members', () => {
    const entries: EntryInit[] = [
      { uid: 1, keys: ['castle'], group: 'g', content: 'A dragon sleeps here.' },
      { uid: 2, keys: ['dragon'], group: 'g' },
    ];
    expect(uids(run(entries, { messages: ['the castle'], settings: { recursive: true } }))).toEqual([1]);
  });

  it('a sticky member keeps its group', () => {
    const entries: EntryInit[] = [
      { uid: 1, keys: ['dragon'], group: 'g', sticky: 5 },
      { uid: 2, keys: ['dragon'], group: 'g', groupOverride: true },
    ];
    const timedState = { version: 1 as const, sticky: { 'test.1': { start: 1, end: 9, protected: false } }, cooldown: {} };
    expect(uids(run(entries, { messages: ['x', 'a dragon'], timedState }))).toEqual([1]);
  });
});

import { describe, expect, it } from 'vitest';
import { loreBudget } from './activate.ts';
import { run, uids, type EntryInit } from './test-support.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const all = (entries: EntryInit[]) => entries.map((entry) => ({ constant: true, ...entry }));

describe('loreBudget', () => {
  it.each([
    [{ budgetPercent: 25, budgetCap: 0 }, 8192, 2048],
    [{ budgetPercent: 25, budgetCap: 1000 }, 8192, 1000],
    [{ budgetPercent: 10, budgetCap: 0 }, 100, 10],
    [{ budgetPercent: 0, budgetCap: 0 }, 100, 1],
  ])('%j of %i tokens is %i', (settings, context, expected) => {
    expect(loreBudget(settings, context)).toBe(expected);
  });
});

describe('activate: token budget', () => {
  // contextSize 100 at 10% = a budget of 10 tokens (one token per word in these tests).
  const tight = { contextSize: 100, settings: { budgetPercent: 10 } };

  it.each<[string, EntryInit[], (number | string)[]]>([
    ['everything fits', all([{ uid: 1, content: words(4) }, { uid: 2, content: words(6) }]), [1, 2]],
    ['higher order is kept first', all([{ uid: 1, order: 10, content: words(6) }, { uid: 2, order: 20, content: words(6) }]), [2]],
    [
      'once spent, lower-order entries are skipped even if they would fit (SillyTavern)',
      all([
        { uid: 1, order: 30, content: words(6) },
        { uid: 2, order: 20, content: words(6) },
        { uid: 3, order: 10, content: words(1) },
      ]),
      [1],
    ],
    [
      'ignoreBudget entries go in regardless',
      all([
        { uid: 1, order: 30, content: words(9) },
        { uid: 2, order: 20, content: words(6) },
        { uid: 3, order: 10, content: words(50), ignoreBudget: true },
      ]),
      [1, 3],
    ],
  ])('%s', (_name, entries, expected) => {
    expect(uids(run(entries, { messages: [], ...tight }))).toEqual(expected);
  });

  it('reports the limit, what was used and what was skipped', () => {
    const result = run(
      all([
        { uid: 1, order: 30, content: words(6) },
        { uid: 2, order: 20, content: words(6), comment: 'too big' },
        { uid: 3, order: 10, content: words(1) },
        { uid: 4, order: 5, content: words(20), ignoreBudget: true },
      ]),
      { messages: [], ...tight },
    );
    expect(result.budget).toEqual({ limit: 10, used: 6, overflowed: true });
    expect(result.skippedForBudget).toEqual([
      { book: 'test', uid: 2, id: 'test.2', comment: 'too big', tokens: 6, scope: 'budget' },
      { book: 'test', uid: 3, id: 'test.3', comment: '', tokens: null, scope: 'budget' },
    ]);
    expect(result.entries.find((entry) => entry.uid === 4)?.tokens).toBe(20);
  });

  it('budgetCap limits the budget', () => {
    const result = run(all([{ uid: 1, content: words(6) }]), { messages: [], contextSize: 1000, settings: { budgetCap: 5 } });
    expect(result.entries).toEqual([]);
    expect(result.budget.limit).toBe(5);
  });

  it('a book token budget caps that book inside the overall budget', () => {
    const result = run(
      all([
        { uid: 1, order: 30, content: words(4) },
        { uid: 2, order: 20, content: words(4) },
        { uid: 3, order: 10, content: words(1) },
      ]),
      { messages: [] },
      { tokenBudget: 5 },
    );
    expect(uids(result)).toEqual([1, 3]);
    expect(result.skippedForBudget.map((skip) => [skip.uid, skip.scope])).toEqual([[2, 'book-budget']]);
    expect(result.budget.overflowed).toBe(false);
  });

  it('running out of budget stops recursion', () => {
    const entries: EntryInit[] = [
      { uid: 1, keys: ['castle'], order: 30, content: 'a dragon' },
      { uid: 2, keys: ['castle'], order: 20, content: words(20) },
      { uid: 3, keys: ['dragon'], order: 10, content: 'x' },
    ];
    const result = run(entries, { messages: ['the castle'], contextSize: 100, settings: { budgetPercent: 10, recursive: true } });
    expect(uids(result)).toEqual([1]);
    expect(result.passes).toBe(1);
  });

  it('sticky entries claim the budget before others', () => {
    const timedState = { version: 1 as const, sticky: { 'test.2': { start: 1, end: 9, protected: false } }, cooldown: {} };
    const entries: EntryInit[] = [
      { uid: 1, keys: ['castle'], order: 90, content: words(6) },
      { uid: 2, keys: ['nothing'], order: 10, content: words(6), sticky: 8 },
    ];
    expect(uids(run(entries, { messages: ['x', 'the castle'], timedState, ...tight }))).toEqual([2]);
  });
});

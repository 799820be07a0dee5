import { describe, expect, it } from 'vitest';
import { contextBudget, fitHistory, fitReport } from './assemble-fit.ts';

describe('fitHistory', () => {
  it.each<[string, number, number[], number, { keepFrom: number; total: number; fits: boolean }]>([
    ['everything fits', 10, [5, 5, 5], 100, { keepFrom: 0, total: 25, fits: true }],
    ['the oldest go first', 10, [5, 6, 7], 24, { keepFrom: 1, total: 23, fits: true }],
    ['an exact fit keeps the message', 10, [5, 6, 7], 28, { keepFrom: 0, total: 28, fits: true }],
    ['a newer message that does not fit stops the walk, even if an older one would', 10, [1, 9, 5], 20, { keepFrom: 2, total: 15, fits: true }],
    ['the newest message is kept even when it does not fit', 10, [5, 6, 70], 50, { keepFrom: 2, total: 80, fits: false }],
    ['no history', 10, [], 50, { keepFrom: 0, total: 10, fits: true }],
    ['no history, fixed parts too big', 60, [], 50, { keepFrom: 0, total: 60, fits: false }],
  ])('%s', (_, fixed, history, available, expected) => {
    expect(fitHistory(fixed, history, available)).toEqual(expected);
  });
});

describe('fitReport', () => {
  it('adds the sentence for the user only when the prompt does not fit', () => {
    const budget = contextBudget({ messages: [], max_tokens: 100 }, 1000);
    expect(budget).toEqual({ contextSize: 1000, reserved: 100, available: 900 });
    expect(fitReport(budget, { keepFrom: 0, total: 500, fits: true })).toEqual({ contextSize: 1000, reserved: 100, available: 900, total: 500, fits: true });
    expect(fitReport(budget, { keepFrom: 3, total: 950, fits: false }).message).toMatch(/needs 950 tokens, but only 900 are free/);
  });
});

import { describe, expect, it } from 'vitest';
import { rollDice } from './dice.ts';

describe('rollDice', () => {
  it.each<[string, number, number | null]>([
    ['1d6', 0, 1],
    ['1d6', 0.999, 6],
    ['d20', 0.999, 20],
    ['6', 0.5, 4],
    ['2d6+3', 0, 5],
    ['2d6 - 1', 0.999, 11],
    ['10d10', 0, 10],
    ['1D8', 0.999, 8],
    ['', 0, null],
    ['d', 0, null],
    ['1d', 0, null],
    ['2x6', 0, null],
    ['1d6*2', 0, null],
    ['0d6', 0, null],
    ['1001d6', 0, null],
    ['1d1000001', 0, null],
  ])('%j with roll %d -> %s', (formula, roll, expected) => {
    expect(rollDice(formula, () => roll)).toBe(expected);
  });

  it('stays within range for every roll', () => {
    let seed = 1;
    const rng = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 500; i++) {
      const total = rollDice('3d6+2', rng) ?? 0;
      expect(total).toBeGreaterThanOrEqual(5);
      expect(total).toBeLessThanOrEqual(20);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { authorNoteDue } from './assemble-insertions.ts';

describe('authorNoteDue', () => {
  it.each<[number, number, boolean]>([
    [1, 0, true],
    [0, 0, true],
    [-2, 3, true],
    [2, 0, false],
    [2, 1, false],
    [2, 2, true],
    [3, 6, true],
    [3, 7, false],
  ])('every %i, at user turn %i: %s', (everyN, userTurns, expected) => {
    expect(authorNoteDue(everyN, userTurns)).toBe(expected);
  });
});

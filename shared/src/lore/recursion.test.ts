import { describe, expect, it } from 'vitest';
import { MAX_SCAN_PASSES } from './limits.ts';
import { RecursionSchedule } from './recursion.ts';
import type { LoreWarning } from './types.ts';

const books = (delayLevels: number[][], recursiveScanning: boolean | null = null) => delayLevels.map((levels) => ({ delayLevels: levels, recursiveScanning }));

/** Runs passes as `activate` does, feeding while `feeds(pass)` says so; returns the delay level of each pass. */
function levels(schedule: RecursionSchedule, feeds: (pass: number) => boolean, warnings: LoreWarning[] = []): number[] {
  const seen: number[] = [];
  while (schedule.startPass(warnings)) {
    seen.push(schedule.recursion ? schedule.delayLevel : 0);
    if (!schedule.continueAfter(feeds(schedule.passes))) break;
  }
  return seen;
}

describe('RecursionSchedule', () => {
  it('one pass when nothing feeds and no entry waits for recursion', () => {
    expect(levels(new RecursionSchedule(books([[]]), { recursive: true, maxRecursionSteps: 0 }), () => false)).toEqual([0]);
  });

  it('gives every delay level a pass of its own, lowest first, books merged', () => {
    const schedule = new RecursionSchedule(books([[3, 1], [1, 2]]), { recursive: true, maxRecursionSteps: 0 });
    expect(levels(schedule, () => false)).toEqual([0, 1, 2, 3]);
  });

  it('stays on a level while entries keep feeding', () => {
    const schedule = new RecursionSchedule(books([[1, 2]]), { recursive: true, maxRecursionSteps: 0 });
    expect(levels(schedule, (pass) => pass <= 2)).toEqual([0, 1, 1, 2]);
  });

  it('delay levels get no pass without recursion', () => {
    expect(levels(new RecursionSchedule(books([[1, 2]]), { recursive: false, maxRecursionSteps: 0 }), () => false)).toEqual([0]);
    expect(levels(new RecursionSchedule(books([[1]], true), { recursive: false, maxRecursionSteps: 0 }), () => false)).toEqual([0, 1]);
  });

  it("the user's step limit stops quietly; our ceiling warns", () => {
    const quiet: LoreWarning[] = [];
    expect(levels(new RecursionSchedule(books([[]]), { recursive: true, maxRecursionSteps: 3 }), () => true, quiet)).toHaveLength(3);
    expect(quiet).toEqual([]);
    const loud: LoreWarning[] = [];
    expect(levels(new RecursionSchedule(books([[]]), { recursive: true, maxRecursionSteps: 0 }), () => true, loud)).toHaveLength(MAX_SCAN_PASSES);
    expect(loud.map((warning) => warning.code)).toEqual(['lore/recursion-limit']);
  });
});

import { describe, expect, it } from 'vitest';
import { emptyTimedState } from './timed-effects.ts';
import { run, uids, type EntryInit } from './test-support.ts';
import type { ActivationResult } from './activate.ts';
import type { LoreTimedState } from './types.ts';

/** A chat of `length` messages whose newest message is `last`. */
const chat = (length: number, last: string) => [...Array.from({ length: length - 1 }, (_, i) => `filler ${i}`), last];

/** Runs one activation per chat length, carrying the timed state, and lists which turns the entry was in. */
function timeline(entry: Omit<EntryInit, 'uid'>, turns: [length: number, last: string][]): { active: number[]; results: ActivationResult[] } {
  let state: LoreTimedState | undefined;
  const active: number[] = [];
  const results: ActivationResult[] = [];
  for (const [length, last] of turns) {
    const result = run([{ uid: 1, ...entry }], { messages: chat(length, last), timedState: state, settings: { scanDepth: 1 } });
    state = result.timedState;
    results.push(result);
    if (result.entries.length > 0) active.push(length);
  }
  return { active, results };
}

const dragonAt = (length: number, mentioned: boolean): [number, string] => [length, mentioned ? 'a dragon' : 'quiet'];

describe('activate: timed effects (counted in messages)', () => {
  it.each<[string, Omit<EntryInit, 'uid'>, [number, string][], number[]]>([
    ['no effects: fires only when mentioned', { keys: ['dragon'] }, [dragonAt(5, true), dragonAt(6, false), dragonAt(7, true)], [5, 7]],
    ['sticky 2 keeps it for two messages', { keys: ['dragon'], sticky: 2 }, [dragonAt(5, true), dragonAt(6, false), dragonAt(7, false)], [5, 6]],
    ['cooldown 2 blocks the next message', { keys: ['dragon'], cooldown: 2 }, [dragonAt(5, true), dragonAt(6, true), dragonAt(7, true)], [5, 7]],
    [
      'sticky then cooldown: cooldown starts when sticky ends',
      { keys: ['dragon'], sticky: 2, cooldown: 3 },
      [dragonAt(5, true), dragonAt(6, false), dragonAt(7, true), dragonAt(8, true), dragonAt(9, true), dragonAt(10, true)],
      [5, 6, 10],
    ],
    ['delay 3 waits for three messages', { keys: ['dragon'], delay: 3 }, [dragonAt(2, true), dragonAt(3, true)], [3]],
    ['delay applies to constant entries too', { constant: true, delay: 3 }, [dragonAt(1, false), dragonAt(3, false)], [3]],
  ])('%s', (_name, entry, turns, expected) => {
    expect(timeline(entry, turns).active).toEqual(expected);
  });

  it('says an entry is active because it is sticky', () => {
    const { results } = timeline({ keys: ['dragon'], sticky: 3 }, [dragonAt(5, true), dragonAt(6, false)]);
    expect(results[1]?.entries[0]?.reason).toEqual({ kind: 'sticky' });
  });

  it('a regeneration at the same chat length re-decides instead of staying sticky', () => {
    const { active } = timeline({ keys: ['dragon'], sticky: 3 }, [dragonAt(5, true), dragonAt(5, false)]);
    expect(active).toEqual([5]);
  });

  it('a sticky entry skips its probability roll and its cooldown', () => {
    const timedState: LoreTimedState = {
      version: 1,
      sticky: { 'test.1': { start: 3, end: 10, protected: false } },
      cooldown: { 'test.1': { start: 3, end: 10, protected: false } },
    };
    const result = run([{ uid: 1, keys: ['dragon'], probability: 0, sticky: 7, cooldown: 7 }], { messages: chat(5, 'quiet'), timedState });
    expect(uids(result)).toEqual([1]);
  });

  it('stores effects under book.uid with the chat length at start', () => {
    const result = run([{ uid: 4, keys: ['dragon'], sticky: 2, cooldown: 1 }], { messages: chat(5, 'a dragon') });
    expect(result.timedState).toEqual({
      version: 1,
      sticky: { 'test.4': { start: 5, end: 7, protected: false } },
      cooldown: { 'test.4': { start: 5, end: 6, protected: false } },
    });
  });

  it('counts in chatLength when only the tail of the chat is passed', () => {
    const result = run([{ uid: 1, keys: ['dragon'], delay: 10 }], { messages: ['a dragon'], chatLength: 12 });
    expect(result.entries).toHaveLength(1);
  });

  it('a dry run honours effects but does not advance them', () => {
    const first = run([{ uid: 1, keys: ['dragon'], sticky: 2 }], { messages: chat(5, 'a dragon') });
    const preview = run([{ uid: 1, keys: ['dragon'], sticky: 2 }], { messages: chat(7, 'quiet'), timedState: first.timedState, dryRun: true });
    expect(preview.timedState).toEqual(first.timedState);
    const dryFirst = run([{ uid: 1, keys: ['dragon'], sticky: 2 }], { messages: chat(5, 'a dragon'), dryRun: true });
    expect(dryFirst.timedState).toEqual(emptyTimedState());
  });

  it('drops effects of entries that lost their timer or whose time is up', () => {
    const timedState: LoreTimedState = {
      version: 1,
      sticky: { 'test.1': { start: 1, end: 9, protected: false }, 'gone.7': { start: 1, end: 3, protected: false } },
      cooldown: {},
    };
    const result = run([{ uid: 1, keys: ['dragon'] }], { messages: chat(5, 'quiet'), timedState });
    expect(result.entries).toEqual([]);
    expect(result.timedState.sticky).toEqual({});
  });

  it('keeps effects of entries from books not loaded this time until they expire', () => {
    const timedState: LoreTimedState = { version: 1, sticky: { 'other.7': { start: 1, end: 9, protected: false } }, cooldown: {} };
    expect(run([], { messages: chat(5, 'quiet'), timedState }).timedState.sticky).toEqual(timedState.sticky);
  });

  it('returns a state that survives JSON', () => {
    const result = run([{ uid: 1, keys: ['dragon'], sticky: 2 }], { messages: chat(5, 'a dragon') });
    expect(JSON.parse(JSON.stringify(result.timedState))).toEqual(result.timedState);
  });

  it.each([[{ version: 99, sticky: {}, cooldown: {} }], ['garbage'], [42]])('resets an unreadable state (%j) with a warning', (stored) => {
    const result = run([], { messages: [], timedState: stored as unknown as LoreTimedState });
    expect(result.timedState).toEqual(emptyTimedState());
    expect(result.warnings.map((w) => w.code)).toEqual(['lore/timed-state-reset']);
  });

  it('does not change the state object it was given', () => {
    const timedState: LoreTimedState = { version: 1, sticky: { 'test.1': { start: 1, end: 3, protected: false } }, cooldown: {} };
    const before = JSON.stringify(timedState);
    run([{ uid: 1, keys: ['dragon'], sticky: 2 }], { messages: chat(5, 'a dragon'), timedState });
    expect(JSON.stringify(timedState)).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { activate } from './activate.ts';
import { MAX_SCAN_PASSES } from './limits.ts';
import { book, countWords, run, uids, type EntryInit } from './test-support.ts';

const castle: EntryInit = { uid: 1, keys: ['castle'], content: 'The castle is guarded by a dragon.' };
const dragon: EntryInit = { uid: 2, keys: ['dragon'], content: 'Dragons keep a hoard of gold.' };
const gold: EntryInit = { uid: 3, keys: ['gold'], content: 'Gold is cursed here.' };
const messages = ['We reach the castle gates.'];

describe('activate: recursion', () => {
  it.each<[string, EntryInit[], boolean, (number | string)[]]>([
    ['off by default (SillyTavern)', [castle, dragon], false, [1]],
    ['activated content triggers further entries', [castle, dragon], true, [1, 2]],
    ['chains run until nothing new fires', [castle, dragon, gold], true, [1, 2, 3]],
    ['preventRecursion stops the chain at that entry', [{ ...castle, preventRecursion: true }, dragon], true, [1]],
    ['excludeRecursion: cannot be triggered by entries', [castle, { ...dragon, excludeRecursion: true }], true, [1]],
  ])('%s', (_name, entries, recursive, expected) => {
    expect(uids(run(entries, { messages, settings: { recursive } }))).toEqual(expected);
  });

  it('excludeRecursion entries still fire from the chat itself', () => {
    const result = run([castle, { ...dragon, excludeRecursion: true }], { messages: ['castle and dragon'], settings: { recursive: true } });
    expect(uids(result)).toEqual([1, 2]);
  });

  it('records the pass that activated each entry', () => {
    const result = run([castle, dragon, gold], { messages, settings: { recursive: true } });
    expect(Object.fromEntries(result.entries.map((entry) => [entry.uid, entry.step]))).toEqual({ 1: 1, 2: 2, 3: 3 });
    // A fourth pass scans the last entry's content and finds nothing new.
    expect(result.passes).toBe(4);
  });

  it('maxRecursionSteps counts passes, the first included (SillyTavern)', () => {
    expect(uids(run([castle, dragon, gold], { messages, settings: { recursive: true, maxRecursionSteps: 2 } }))).toEqual([1, 2]);
    expect(uids(run([castle, dragon, gold], { messages, settings: { recursive: true, maxRecursionSteps: 1 } }))).toEqual([1]);
  });

  it(`stops at ${MAX_SCAN_PASSES} passes whatever the settings, with a warning`, () => {
    const chain: EntryInit[] = Array.from({ length: MAX_SCAN_PASSES + 4 }, (_, i) => ({ uid: i, keys: [`link${i}x`], content: `link${i + 1}x` }));
    const result = run(chain, { messages: ['link0x'], settings: { recursive: true } });
    expect(result.entries).toHaveLength(MAX_SCAN_PASSES);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'lore/recursion-limit' })]);
  });

  it('a book can turn recursion off for its own entries', () => {
    const result = run([castle, dragon], { messages, settings: { recursive: true } }, { recursiveScanning: false });
    expect(uids(result)).toEqual([1]);
  });

  it('a book can turn recursion on when the setting is off', () => {
    expect(uids(run([castle, dragon], { messages }, { recursiveScanning: true }))).toEqual([1, 2]);
  });

  it('text from a recursive book reaches entries of other books', () => {
    const result = activate({
      books: { character: [book('lore', [castle], { recursiveScanning: true })], global: [book('beasts', [dragon])] },
      messages,
      contextSize: 1000,
      countTokens: countWords,
    });
    expect(result.entries.map((entry) => entry.id).sort()).toEqual(['beasts.2', 'lore.1']);
  });
});

describe('activate: delayUntilRecursion', () => {
  it('waits for a recursion pass even when the chat matches', () => {
    const result = run([{ ...dragon, delayUntilRecursion: true }], { messages: ['a dragon'], settings: { recursive: true } });
    expect(result.entries.map((entry) => entry.step)).toEqual([2]);
  });

  it('never fires when recursion is off', () => {
    expect(run([{ ...dragon, delayUntilRecursion: true }], { messages: ['a dragon'] }).entries).toEqual([]);
  });

  it('fires once recursion reaches it', () => {
    const result = run([castle, { ...dragon, delayUntilRecursion: true }], { messages, settings: { recursive: true } });
    expect(Object.fromEntries(result.entries.map((entry) => [entry.uid, entry.step]))).toEqual({ 1: 1, 2: 2 });
  });

  it('numbered levels open one after another, each once the previous one settles', () => {
    const result = run(
      [
        { uid: 'a', keys: ['castle'], delayUntilRecursion: 2 },
        { uid: 'b', keys: ['castle'], delayUntilRecursion: 1 },
        { uid: 'c', keys: ['castle'] },
      ],
      { messages, settings: { recursive: true } },
    );
    // pass 1: c; pass 2 (level 1, fed by c): b; pass 3: nothing new at level 1; pass 4 (level 2): a.
    expect(Object.fromEntries(result.entries.map((entry) => [entry.uid, entry.step]))).toEqual({ a: 4, b: 2, c: 1 });
  });
});

import { describe, expect, it } from 'vitest';
import { activate } from './activate.ts';
import { resolveBooks } from './books.ts';
import { DEFAULT_COMPILE_OPTIONS } from './compile.ts';
import { arrangeForPrompt, type ActivatedEntry } from './output.ts';
import type { InsertionStrategy, LoreWarning } from './types.ts';
import { book, countWords, run } from './test-support.ts';

const activated = (uid: number, order: number, extra: Partial<ActivatedEntry> = {}): ActivatedEntry => ({
  book: 'b',
  uid,
  id: `b.${uid}`,
  comment: '',
  content: `c${uid}`,
  position: 'before_char',
  depth: 4,
  role: 'system',
  order,
  tokens: 1,
  ignoreBudget: false,
  reason: { kind: 'constant' },
  step: 1,
  ...extra,
});

describe('arrangeForPrompt', () => {
  it('orders each slot by ascending order', () => {
    const { entries, buckets } = arrangeForPrompt([activated(1, 300), activated(2, 100), activated(3, 200)]);
    expect(entries.map((entry) => entry.uid)).toEqual([2, 3, 1]);
    expect(buckets.before).toEqual(['c2', 'c3', 'c1']);
  });

  it('puts the later-activated entry first among equal orders (SillyTavern prepends)', () => {
    expect(arrangeForPrompt([activated(1, 100), activated(2, 100), activated(3, 100)]).buckets.before).toEqual(['c3', 'c2', 'c1']);
  });

  it.each([
    ['before_char', 'before'],
    ['after_char', 'after'],
    ['an_top', 'anTop'],
    ['an_bottom', 'anBottom'],
    ['em_top', 'emTop'],
    ['em_bottom', 'emBottom'],
  ] as const)('%s goes to %s', (position, slot) => {
    const { buckets } = arrangeForPrompt([activated(1, 100, { position })]);
    expect(buckets[slot]).toEqual(['c1']);
  });

  it('groups at_depth entries by depth and role, highest-order group first', () => {
    const { buckets } = arrangeForPrompt([
      activated(1, 100, { position: 'at_depth', depth: 2, role: 'system' }),
      activated(2, 300, { position: 'at_depth', depth: 4, role: 'user' }),
      activated(3, 200, { position: 'at_depth', depth: 2, role: 'system' }),
      activated(4, 50, { position: 'at_depth', depth: 2, role: 'user' }),
    ]);
    expect(buckets.atDepth).toEqual([
      { depth: 4, role: 'user', contents: ['c2'] },
      { depth: 2, role: 'system', contents: ['c1', 'c3'] },
      { depth: 2, role: 'user', contents: ['c4'] },
    ]);
  });

  it('leaves out entries with empty content', () => {
    const { entries, buckets } = arrangeForPrompt([activated(1, 100, { content: '' }), activated(2, 100)]);
    expect(entries.map((entry) => entry.uid)).toEqual([2]);
    expect(buckets.before).toEqual(['c2']);
  });
});

describe('resolveBooks: SillyTavern book order', () => {
  const chatBook = book('chat', [{ uid: 1, order: 1 }]);
  const personaBook = book('persona', [{ uid: 1, order: 2 }]);
  const charBook = book('char', [
    { uid: 1, order: 50 },
    { uid: 2, order: 200 },
  ]);
  const globalBook = book('global', [
    { uid: 1, order: 100 },
    { uid: 2, order: 50 },
  ]);
  const ids = (strategy: InsertionStrategy) =>
    resolveBooks({ chat: [chatBook], persona: [personaBook], character: [charBook], global: [globalBook] }, strategy, DEFAULT_COMPILE_OPTIONS, []).order.map(
      (item) => item.id,
    );

  it.each<[InsertionStrategy, string[]]>([
    ['character_first', ['chat.1', 'persona.1', 'char.2', 'char.1', 'global.1', 'global.2']],
    ['global_first', ['chat.1', 'persona.1', 'global.1', 'global.2', 'char.2', 'char.1']],
    // evenly: one list by order; on a tie, global entries come first
    ['evenly', ['chat.1', 'persona.1', 'char.2', 'global.1', 'global.2', 'char.1']],
  ])('%s', (strategy, expected) => {
    expect(ids(strategy)).toEqual(expected);
  });

  it('merges several books of one kind by order', () => {
    const a = book('a', [{ uid: 1, order: 10 }, { uid: 2, order: 30 }]);
    const b = book('b', [{ uid: 1, order: 20 }, { uid: 2, order: 10 }]);
    const order = resolveBooks({ character: [a, b] }, 'character_first', DEFAULT_COMPILE_OPTIONS, []).order.map((item) => item.id);
    expect(order).toEqual(['a.2', 'b.1', 'a.1', 'b.2']);
  });

  it('uses a book once when it is listed in several places, preferring global', () => {
    const shared = book('shared', [{ uid: 1 }]);
    const { order } = resolveBooks({ character: [shared], chat: [shared], global: [shared] }, 'character_first', DEFAULT_COMPILE_OPTIONS, []);
    expect(order.map((item) => item.id)).toEqual(['shared.1']);
  });

  it('warns when two different books share a name', () => {
    const warnings: LoreWarning[] = [];
    resolveBooks({ character: [book('x', [{ uid: 1 }])], global: [book('x', [{ uid: 2 }])] }, 'character_first', DEFAULT_COMPILE_OPTIONS, warnings);
    expect(warnings.map((warning) => warning.code)).toEqual(['lore/duplicate-book']);
  });

  it('drops disabled entries from the scan', () => {
    const { order } = resolveBooks({ global: [book('g', [{ uid: 1, enabled: false }, { uid: 2 }])] }, 'evenly', DEFAULT_COMPILE_OPTIONS, []);
    expect(order.map((item) => item.id)).toEqual(['g.2']);
  });
});

describe('activate: result order', () => {
  it('follows book priority under a tight budget: chat lore before character lore', () => {
    const result = activate({
      books: { character: [book('char', [{ uid: 1, constant: true, order: 999, content: 'a b c' }])], chat: [book('chat', [{ uid: 1, constant: true, order: 1, content: 'd e f' }])] },
      messages: [],
      contextSize: 10,
      settings: { budgetPercent: 50 },
      countTokens: countWords,
    });
    expect(result.entries.map((entry) => entry.id)).toEqual(['chat.1']);
  });

  it('returns entries in prompt order with their position, depth and role', () => {
    const result = run(
      [
        { uid: 1, constant: true, order: 5, position: 'after_char' },
        { uid: 2, constant: true, order: 1, position: 'at_depth', depth: 3, role: 'assistant' },
        { uid: 3, constant: true, order: 9 },
      ],
      { messages: [] },
    );
    expect(result.entries.map((entry) => [entry.uid, entry.position, entry.depth, entry.role])).toEqual([
      [2, 'at_depth', 3, 'assistant'],
      [1, 'after_char', 4, 'system'],
      [3, 'before_char', 4, 'system'],
    ]);
    expect(result.buckets.atDepth).toEqual([{ depth: 3, role: 'assistant', contents: ['content 2'] }]);
  });
});

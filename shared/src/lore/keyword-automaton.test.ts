import { describe, expect, it } from 'vitest';
import { KeywordAutomaton } from './keyword-automaton.ts';

function found(patterns: readonly string[], text: string): [string, number][] {
  const automaton = new KeywordAutomaton();
  patterns.forEach((pattern, id) => automaton.add(pattern, id));
  automaton.build();
  const hits: [string, number][] = [];
  automaton.scan(text, (id, end) => hits.push([patterns[id] ?? '?', end]));
  return hits.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

function naive(patterns: readonly string[], text: string): [string, number][] {
  const hits: [string, number][] = [];
  const unique = [...new Set(patterns)];
  for (const pattern of unique) {
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) hits.push([pattern, at + pattern.length]);
  }
  return hits.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
}

describe('KeywordAutomaton', () => {
  it.each([
    [['he', 'she', 'his', 'hers'], 'ushers'],
    [['a', 'aa', 'aaa'], 'aaaa'],
    [['dragon', 'drag', 'on'], 'the dragon dragged on'],
    [['ünïcødé', 'ødé', '龍'], 'an ünïcødé 龍 here'],
    [['abc'], 'ababcabc'],
    [['x'], ''],
  ])('finds every occurrence of %j in %j', (patterns, text) => {
    expect(found(patterns, text)).toEqual(naive(patterns, text));
  });

  it('agrees with indexOf on generated text', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const word = () => Array.from({ length: 1 + Math.floor(next() * 4) }, () => 'abcde'[Math.floor(next() * 5)]).join('');
    const patterns = Array.from({ length: 40 }, word);
    const text = Array.from({ length: 400 }, () => 'abcde '[Math.floor(next() * 6)]).join('');
    expect(found(patterns, text)).toEqual(naive(patterns, text));
  });

  it('keeps the first id for a repeated pattern and ignores empty ones', () => {
    const automaton = new KeywordAutomaton();
    automaton.add('cat', 4);
    automaton.add('cat', 9);
    automaton.add('', 1);
    const ids: number[] = [];
    automaton.scan('cat', (id) => ids.push(id));
    expect(ids).toEqual([4]);
  });
});

describe('KeywordAutomaton after build', () => {
  it('refuses new patterns with a typed error', () => {
    const automaton = new KeywordAutomaton();
    automaton.add('cat', 0);
    automaton.build();
    expect(() => automaton.add('dog', 1)).toThrow(expect.objectContaining({ code: 'lore/automaton-frozen' }));
  });
});

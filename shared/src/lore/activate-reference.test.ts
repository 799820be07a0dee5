import { describe, expect, it } from 'vitest';
import { parseKey } from './regex-key.ts';
import type { LoreEntry, LoreSettings } from './types.ts';
import { run, type EntryInit } from './test-support.ts';
import { makeLoreEntry } from './defaults.ts';

/**
 * The engine precompiles keys into an automaton, indexes entries by pattern and prefilters regex keys by
 * their literals. This checks all of that against a direct transcription of SillyTavern's matching
 * (buffer text rebuilt and every key re-tested for every entry on every pass) on generated books.
 */
function reference(entries: readonly LoreEntry[], messages: readonly string[], settings: Pick<LoreSettings, 'scanDepth' | 'recursive' | 'caseSensitive' | 'matchWholeWords'>): Set<number | string> {
  const newestFirst = messages.map((message) => message.trim()).reverse();
  const sorted = entries.filter((entry) => entry.enabled).sort((a, b) => b.order - a.order);
  const recursion: string[] = [];
  const activated = new Set<number | string>();
  const matches = (entry: LoreEntry, raw: string): boolean => {
    const key = raw.trim();
    if (!key) return false;
    const depth = entry.scanDepth ?? settings.scanDepth;
    if (depth <= 0) return false;
    let haystack = '\x01' + newestFirst.slice(0, depth).join('\n\x01');
    if (recursion.length > 0) haystack += '\n\x01' + recursion.join('\n\x01');
    const parsed = parseKey(key);
    if (parsed.kind === 'regex') return new RegExp(parsed.regex.source, parsed.regex.flags).test(haystack);
    if (parsed.kind === 'bad-regex') return false;
    const caseSensitive = entry.caseSensitive ?? settings.caseSensitive;
    const text = caseSensitive ? haystack : haystack.toLowerCase();
    const needle = caseSensitive ? key : key.toLowerCase();
    if (!(entry.matchWholeWords ?? settings.matchWholeWords) || /\s/.test(needle)) return text.includes(needle);
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?:^|\\W)(${escaped})(?:$|\\W)`).test(text);
  };
  for (;;) {
    const now: LoreEntry[] = [];
    for (const entry of sorted) {
      if (activated.has(entry.uid)) continue;
      if (entry.constant) {
        now.push(entry);
        continue;
      }
      if (!entry.keys.some((key) => matches(entry, key))) continue;
      if (entry.selective && entry.secondaryKeys.length > 0) {
        const hits = entry.secondaryKeys.map((key) => matches(entry, key));
        const ok = [hits.some(Boolean), hits.some((hit) => !hit), !hits.some(Boolean), hits.every(Boolean)][entry.selectiveLogic];
        if (!ok) continue;
      }
      now.push(entry);
    }
    for (const entry of now) activated.add(entry.uid);
    if (now.length === 0 || !settings.recursive) return activated;
    recursion.push(now.map((entry) => entry.content).join('\n'));
  }
}

function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 0x100000000;
  };
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  return { next, pick };
}

const WORDS = ['alpha', 'Alpha', 'beta', 'gamma', 'delta', 'al', 'pha', 'alphabet', 'Beta-max', 'omega'];
const KEYS = [...WORDS, 'big beta', ' gamma ', '/alp?ha/i', '/\\bbeta\\b/', '/gam+a/', '/(?:delta|omega)s?/i', '/Al/', '/[0-9]{2}/', '/e.a/'];
const FILLER = ['the', 'a', 'and', '!', 'x1', '42', 'zz', ','];

function scenario(seed: number) {
  const { next, pick } = generator(seed);
  const words = (n: number) => Array.from({ length: n }, () => (next() < 0.5 ? pick(WORDS) : pick(FILLER))).join(next() < 0.3 ? '' : ' ');
  const entries: EntryInit[] = Array.from({ length: 3 + Math.floor(next() * 10) }, (_, uid) => ({
    uid,
    keys: Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(KEYS)),
    secondaryKeys: next() < 0.3 ? [pick(KEYS)] : [],
    selectiveLogic: pick([0, 1, 2, 3] as const),
    content: words(1 + Math.floor(next() * 4)),
    order: Math.floor(next() * 5) * 10,
    constant: next() < 0.05,
    enabled: next() < 0.95,
    caseSensitive: pick([null, null, true, false]),
    matchWholeWords: pick([null, null, true, false]),
    scanDepth: pick([null, null, null, 0, 1, 3]),
  }));
  const messages = Array.from({ length: 1 + Math.floor(next() * 5) }, () => `${pick(['Ann', 'Bob'])}: ${words(2 + Math.floor(next() * 6))}`);
  const settings = {
    scanDepth: pick([1, 2, 3]),
    recursive: next() < 0.7,
    caseSensitive: next() < 0.3,
    matchWholeWords: next() < 0.3,
  };
  return { entries, messages, settings };
}

describe('activate agrees with a direct SillyTavern-style scan', () => {
  it('the generated cases exercise activation, recursion and misses', () => {
    const results = Array.from({ length: 300 }, (_, i) => {
      const { entries, messages, settings } = scenario(i + 1);
      return run(entries, { messages, settings });
    });
    const withRecursion = results.filter((result) => result.entries.some((entry) => entry.step > 1)).length;
    const empty = results.filter((result) => result.entries.length === 0).length;
    expect(withRecursion).toBeGreaterThan(30);
    expect(empty).toBeGreaterThan(10);
    expect(empty).toBeLessThan(200);
  });

  it.each(Array.from({ length: 300 }, (_, i) => [i + 1]))('generated case %i', (seed) => {
    const { entries, messages, settings } = scenario(seed);
    const result = run(entries, { messages, settings });
    const expected = reference(entries.map((entry) => makeLoreEntry({ content: `content ${String(entry.uid)}`, ...entry })), messages, settings);
    expect(new Set(result.entries.map((entry) => entry.uid))).toEqual(expected);
  });
});

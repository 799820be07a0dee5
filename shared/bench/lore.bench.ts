/**
 * Lorebook activation benchmark: a synthetic 5,000-entry book (10% regex keys, recursion on) against a
 * 500-message chat, timed for our engine and for a naive SillyTavern-style scan (every key re-parsed,
 * lower-cased and searched per entry per call) in the same run. Both must activate the same entries.
 */
import { activate, compileBook, makeLoreEntry, parseKey, type LoreBook, type LoreEntry } from '../src/lore/index.ts';
import { tokenizerFor } from '../src/tokens/index.ts';
import { useBundledEncodings } from '../src/tokens/bundled-encodings.ts';

useBundledEncodings();
import type { BenchRow } from './types.ts';
import { prng } from './prng.ts';

const ENTRIES = 5000;
const REGEX_SHARE = 0.1;
const MESSAGES = 500;
const CONTEXT_SIZE = 128_000;
const SCAN_DEPTH = 2;
const WARMUP_RUNS = 300;
const COMPILE_RUNS = 5;

const clock = (globalThis as unknown as { performance: { now(): number } }).performance;


const FILLER = (
  'the a an and or but so of to in on at by for with from into over under about after before while as is was are were be been ' +
  'it its he she they we you i me him her them us my your our their this that these those there here then now very just only ' +
  'not no yes all some any each every more most less few many much other another such same own again still even also too ' +
  'said asked looked walked turned smiled nodded went came took gave made saw knew thought felt heard told found left kept ' +
  'door room road hill river sky light night day morning hand eye voice face head heart word time way place thing moment'
).split(' ');

const SYLLABLES = 'ka lo mir an tes vu rel dor sha qui zen bal ori fen gal hut ix mor nal pyr sev tov ul wyn'.split(' ');

/** The lore bench's data: a synthetic book and chat (`Ann: …` / `Seraphina: …` lines, oldest first). */
export interface Scenario {
  book: LoreBook;
  messages: string[];
}

/** Builds the same 5,000-entry book and 500-message chat on every run (shared with the prompt bench). */
export function buildScenario(): Scenario {
  const random = prng(20261101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = new Set<string>();
  // Three syllables each: names this long rarely occur inside one another, as real proper nouns rarely do.
  while (names.size < ENTRIES * 2) names.add(Array.from({ length: 3 }, () => pick(SYLLABLES)).join(''));
  const keywords = [...names];
  const sentence = (words: number, keywordChance: number) =>
    Array.from({ length: words }, () => (random() < keywordChance ? pick(keywords) : pick(FILLER))).join(' ');

  const entries: LoreEntry[] = [];
  for (let uid = 0; uid < ENTRIES; uid++) {
    const keys = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(keywords));
    if (random() < REGEX_SHARE) keys[0] = `/\\b(?:${pick(keywords)}|${pick(keywords)})s?\\b/i`;
    entries.push(
      makeLoreEntry({
        uid,
        keys,
        content: sentence(30 + Math.floor(random() * 20), 0.01),
        order: Math.floor(random() * 1000),
        constant: random() < 0.005,
      }),
    );
  }
  const speakers = ['Ann', 'Seraphina'];
  const messages = Array.from({ length: MESSAGES }, (_, i) => `${speakers[i % 2]}: ${sentence(25 + Math.floor(random() * 15), 0.08)}`);
  return { book: { name: 'bench', entries }, messages };
}

/** The straightforward scan: what a port of SillyTavern's loop does when nothing is precompiled. */
function naiveActivate(book: LoreBook, messages: readonly string[], countTokens: (text: string) => number, budget: number): Set<number | string> {
  const newestFirst = messages.map((message) => message.trim()).reverse();
  const sorted = book.entries.filter((entry) => entry.enabled).sort((a, b) => b.order - a.order);
  const recursion: string[] = [];
  const activated = new Set<number | string>();
  let used = 0;
  const haystackFor = () => {
    let text = '\x01' + newestFirst.slice(0, SCAN_DEPTH).join('\n\x01');
    if (recursion.length > 0) text += '\n\x01' + recursion.join('\n\x01');
    return text;
  };
  const matchKey = (haystack: string, raw: string) => {
    const key = raw.trim();
    if (!key) return false;
    const parsed = parseKey(key);
    if (parsed.kind === 'regex') return parsed.regex.test(haystack);
    if (parsed.kind === 'bad-regex') return false;
    return haystack.toLowerCase().includes(key.toLowerCase());
  };
  for (;;) {
    const now: LoreEntry[] = [];
    for (const entry of sorted) {
      if (activated.has(entry.uid)) continue;
      if (entry.constant) {
        now.push(entry);
        continue;
      }
      const haystack = haystackFor();
      if (entry.keys.some((key) => matchKey(haystack, key))) now.push(entry);
    }
    const feed: string[] = [];
    for (const entry of now) {
      const tokens = countTokens(entry.content);
      if (used + tokens > budget) return activated;
      used += tokens;
      activated.add(entry.uid);
      feed.push(entry.content);
    }
    if (feed.length === 0) return activated;
    recursion.push(feed.join('\n'));
  }
}

/** The p-th percentile (nearest rank) of timing samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function time(fn: () => void): number {
  const start = clock.now();
  fn();
  return clock.now() - start;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/** Runs the lore benchmark and returns its table rows (timings in milliseconds). */
export async function runLoreBench(options: { runs?: number; baselineRuns?: number } = {}): Promise<BenchRow[]> {
  const runs = options.runs ?? 1000;
  const baselineRuns = options.baselineRuns ?? 20;
  const { book, messages } = buildScenario();
  const tokenizer = await tokenizerFor('gpt-4o');
  const countTokens = tokenizer.count;
  const settings = { recursive: true, scanDepth: SCAN_DEPTH };

  let compiled = compileBook(book);
  const compileMs = percentile(
    Array.from({ length: COMPILE_RUNS }, () =>
      time(() => {
        compiled = compileBook(book);
      }),
    ),
    50,
  );
  // The tokenizer builds its tables on first use; that is not the engine's cost.
  countTokens('warm up the tokenizer');
  const ours = () => activate({ books: { character: [compiled] }, messages, contextSize: CONTEXT_SIZE, countTokens, settings });
  const coldStart = clock.now();
  const first = ours();
  const coldMs = clock.now() - coldStart;
  const naive = naiveActivate(book, messages, countTokens, first.budget.limit);
  const mine = new Set(first.entries.map((entry) => entry.uid));
  if (mine.size !== naive.size || [...mine].some((uid) => !naive.has(uid))) {
    throw new Error(`lore bench: engine activated ${mine.size} entries, the naive scan ${naive.size}; they must agree`);
  }

  // Warm up until the JIT has optimised the hot paths, so the samples measure steady state.
  for (let i = 0; i < WARMUP_RUNS; i++) ours();
  const oursMs = Array.from({ length: runs }, () => time(ours));
  for (let i = 0; i < 2; i++) naiveActivate(book, messages, countTokens, first.budget.limit);
  const naiveMs = Array.from({ length: baselineRuns }, () => time(() => naiveActivate(book, messages, countTokens, first.budget.limit)));

  const row = (name: string, value: number, reference: number): BenchRow => ({
    name,
    unit: 'ms',
    value: round(value),
    reference: round(reference),
    ratio: Math.round((reference / value) * 10) / 10,
  });
  return [
    row('lore activate p50 (5k entries, 10% regex, recursion, 500 msgs)', percentile(oursMs, 50), percentile(naiveMs, 50)),
    row('lore activate p95 (5k entries, 10% regex, recursion, 500 msgs)', percentile(oursMs, 95), percentile(naiveMs, 95)),
    { name: 'lore activate first call (cold JIT, contents not yet counted)', unit: 'ms', value: round(coldMs) },
    { name: 'lore compile p50 (5k entries, once per book change)', unit: 'ms', value: round(compileMs) },
    { name: 'lore entries activated', unit: 'entries', value: first.entries.length, reference: naive.size },
    { name: 'lore scan passes', unit: 'passes', value: first.passes },
  ];
}

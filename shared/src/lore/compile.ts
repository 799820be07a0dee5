import { parseDecorators, type EntryDecorators } from './decorators.ts';
import { KeywordAutomaton } from './keyword-automaton.ts';
import { MAX_SCAN_DEPTH } from './limits.ts';
import { parseKey } from './regex-key.ts';
import { requiredLiterals } from './regex-literals.ts';
import type { LoreBook, LoreEntry, LorePosition, LoreRole, LoreWarning } from './types.ts';

/** Global defaults that decide how keys compile where neither the entry nor the book says. */
export interface CompileOptions {
  caseSensitive: boolean;
  matchWholeWords: boolean;
}

/**
 * A key ready to match. `plain` keys live in the book's automaton under `pattern`; `regex` keys carry their
 * RegExp and, when its required literals are known, their automaton patterns (`prefilter`: the regex only
 * runs when one of them occurs); `dynamic` keys contain macros (`{{char}}`) and compile per activation.
 */
export type CompiledKey =
  | { kind: 'plain'; text: string; pattern: number; word: boolean }
  | { kind: 'regex'; text: string; regex: RegExp; prefilter: readonly number[] | null }
  | { kind: 'dynamic'; text: string; caseSensitive: boolean; matchWholeWords: boolean };

export interface CompiledEntry {
  readonly entry: LoreEntry;
  readonly book: CompiledBook;
  /** `book.uid`: the identity timed effects are stored under. */
  readonly id: string;
  /** Content with decorator lines removed. */
  readonly content: string;
  readonly decorators: EntryDecorators;
  readonly primary: readonly CompiledKey[];
  readonly secondary: readonly CompiledKey[];
  readonly exclude: readonly CompiledKey[];
  readonly position: LorePosition;
  readonly depth: number;
  readonly role: LoreRole;
  /** Entry (or decorator, or book) scan depth; null = the settings' depth. */
  readonly scanDepth: number | null;
  readonly groups: readonly string[];
  /** Recursion level this entry waits for; 0 = none. */
  readonly delayLevel: number;
  /** Index in the book's `sorted` list; -1 for a disabled entry. */
  readonly slot: number;
}

/**
 * Which enabled entries (by slot) a scan must look at: those whose primary keys include a pattern that
 * occurs in the text (`start`/`slots`, CSR by pattern id), plus those that can fire without a pattern hit
 * (`always`: constant, `@@activate`, regex keys without known literals, macro keys).
 */
export interface EntryIndex {
  readonly start: Int32Array;
  readonly slots: Int32Array;
  readonly always: Int32Array;
}

/** Per-book matching machinery shared by every activation of the book. */
export interface BookMatcher {
  readonly insensitive: KeywordAutomaton;
  readonly sensitive: KeywordAutomaton;
  readonly patternCount: number;
  /** 1 where some key needs whole-word occurrences of the pattern. */
  readonly needsWord: Uint8Array;
  readonly patternLength: Int32Array;
  /** Substituted dynamic key text -> what it parsed to; bounded by MAX_DYNAMIC_KEY_CACHE. */
  readonly dynamicKeys: Map<string, CompiledKey | null>;
}

/** A book compiled once for fast activations. Recompile when the book changes. */
export interface CompiledBook {
  readonly kind: 'compiled-lore-book';
  readonly source: LoreBook;
  readonly name: string;
  readonly options: Readonly<CompileOptions>;
  /** Every entry, in book order. */
  readonly entries: readonly CompiledEntry[];
  /** Enabled entries by descending order (ties keep book order): SillyTavern's per-book sort. */
  readonly sorted: readonly CompiledEntry[];
  readonly byId: ReadonlyMap<string, CompiledEntry>;
  readonly index: EntryIndex;
  /** Distinct `delayUntilRecursion` levels among enabled entries, ascending. */
  readonly delayLevels: readonly number[];
  readonly warnings: readonly LoreWarning[];
  readonly matcher: BookMatcher;
  /** Largest explicit scan depth among enabled entries; null when all follow the settings. */
  readonly maxScanDepth: number | null;
  readonly recursiveScanning: boolean | null;
  readonly tokenBudget: number | null;
}

export const DEFAULT_COMPILE_OPTIONS: Readonly<CompileOptions> = Object.freeze({ caseSensitive: false, matchWholeWords: false });

const MACRO_IN_KEY = /\{\{|<(?:user|bot|char|charifnotgroup|group)>/i;

/** True when a whole-word key must match between non-word characters (SillyTavern: single words only). */
export function needsWordBoundary(key: string, matchWholeWords: boolean): boolean {
  return matchWholeWords && !/\s/.test(key);
}

/** The strings of a list field, tolerating data that skipped normalisation (stored docs, old imports). */
function strings(value: readonly string[] | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function finiteOr<T>(value: number | null | undefined, fallback: T): number | T {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function clampDepth(value: number | null): number | null {
  if (value === null) return null;
  return Math.max(0, Math.min(MAX_SCAN_DEPTH, Math.floor(value)));
}

function delayLevel(value: boolean | number): number {
  if (value === true) return 1;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  return 0;
}

/**
 * Compiles a book once: parses decorators, classifies every key (plain, regex, macro-dependent), builds
 * one keyword automaton per case mode and sorts entries by order. A regex key that does not compile is
 * dropped with a warning; compilation never throws. Activation then does no per-key parsing at all.
 *
 * @example const compiled = compileBook(book); activate({ books: { character: [compiled] }, ... })
 */
export function compileBook(book: LoreBook, options: Partial<CompileOptions> = {}): CompiledBook {
  const resolved: CompileOptions = { ...DEFAULT_COMPILE_OPTIONS, ...options };
  const warnings: LoreWarning[] = [];
  const insensitive = new KeywordAutomaton();
  const sensitive = new KeywordAutomaton();
  const patternIds = { sensitive: new Map<string, number>(), insensitive: new Map<string, number>() };
  const needsWord: number[] = [];
  const patternLength: number[] = [];
  const entries: CompiledEntry[] = [];
  const byId = new Map<string, CompiledEntry>();
  const bookScanDepth = clampDepth(finiteOr(book.scanDepth, null));
  const bookBudget = finiteOr(book.tokenBudget, null);

  const compiled: CompiledBook = {
    kind: 'compiled-lore-book',
    source: book,
    name: book.name,
    options: Object.freeze(resolved),
    entries,
    sorted: [],
    byId,
    index: { start: new Int32Array(1), slots: new Int32Array(0), always: new Int32Array(0) },
    delayLevels: [],
    warnings,
    matcher: {
      insensitive,
      sensitive,
      patternCount: 0,
      needsWord: new Uint8Array(0),
      patternLength: new Int32Array(0),
      dynamicKeys: new Map(),
    },
    maxScanDepth: null,
    recursiveScanning: typeof book.recursiveScanning === 'boolean' ? book.recursiveScanning : null,
    tokenBudget: bookBudget !== null && bookBudget > 0 ? bookBudget : null,
  };

  const patternFor = (needle: string, caseSensitive: boolean): number => {
    const ids = caseSensitive ? patternIds.sensitive : patternIds.insensitive;
    let pattern = ids.get(needle);
    if (pattern === undefined) {
      pattern = needsWord.length;
      ids.set(needle, pattern);
      needsWord.push(0);
      patternLength.push(needle.length);
      (caseSensitive ? sensitive : insensitive).add(needle, pattern);
    }
    return pattern;
  };

  const compileKey = (raw: string, entry: LoreEntry, caseSensitive: boolean, wholeWords: boolean): CompiledKey | null => {
    const text = raw.trim();
    if (text.length === 0) return null;
    if (MACRO_IN_KEY.test(text)) return { kind: 'dynamic', text, caseSensitive, matchWholeWords: wholeWords };
    const parsed = parseKey(text);
    if (parsed.kind === 'regex') {
      const { regex } = parsed;
      const literals = requiredLiterals(regex.source, regex.flags);
      const prefilter = literals?.map((needle) => patternFor(needle, !regex.flags.includes('i'))) ?? null;
      return { kind: 'regex', text, regex, prefilter };
    }
    if (parsed.kind === 'bad-regex') {
      warnings.push({
        code: 'lore/bad-regex',
        book: book.name,
        uid: entry.uid,
        detail: text,
        message: `Key ${text} of entry ${String(entry.uid)} is not a valid regular expression (${parsed.error}); the key is ignored`,
      });
      return null;
    }
    const needle = caseSensitive ? text : text.toLowerCase();
    const pattern = patternFor(needle, caseSensitive);
    const word = needsWordBoundary(needle, wholeWords);
    if (word) needsWord[pattern] = 1;
    return { kind: 'plain', text, pattern, word };
  };

  let maxScanDepth: number | null = null;
  for (const entry of book.entries) {
    const parsed = parseDecorators(typeof entry.content === 'string' ? entry.content : '');
    for (const problem of parsed.problems) {
      warnings.push({ code: problem.code, book: book.name, uid: entry.uid, detail: problem.line, message: problem.message });
    }
    const d = parsed.decorators;
    const caseSensitive = entry.caseSensitive ?? book.caseSensitive ?? resolved.caseSensitive;
    const wholeWords = entry.matchWholeWords ?? book.matchWholeWords ?? resolved.matchWholeWords;
    const keys = (list: readonly string[]) =>
      list.map((key) => compileKey(key, entry, caseSensitive, wholeWords)).filter((key): key is CompiledKey => key !== null);
    const scanDepth = clampDepth(d.scanDepth ?? finiteOr(entry.scanDepth, null) ?? bookScanDepth);
    if (entry.enabled && scanDepth !== null) maxScanDepth = Math.max(maxScanDepth ?? 0, scanDepth);
    const item: CompiledEntry = {
      entry,
      book: compiled,
      id: `${book.name}.${String(entry.uid)}`,
      content: parsed.content,
      decorators: d,
      primary: keys([...strings(entry.keys), ...d.additionalKeys]),
      secondary: keys(strings(entry.secondaryKeys)),
      exclude: keys(d.excludeKeys),
      position: d.position ?? (d.depth !== undefined ? 'at_depth' : entry.position),
      depth: d.depth ?? finiteOr(entry.depth, 0),
      role: d.role ?? entry.role,
      scanDepth,
      groups: (typeof entry.group === 'string' ? entry.group : '')
        .split(/,\s*/)
        .map((group) => group.trim())
        .filter((group) => group.length > 0),
      delayLevel: delayLevel(entry.delayUntilRecursion),
      slot: -1,
    };
    entries.push(item);
    byId.set(item.id, item);
  }

  insensitive.build();
  sensitive.build();
  const order = (item: CompiledEntry) => finiteOr(item.entry.order, 0);
  const sorted = entries.filter((item) => item.entry.enabled).sort((a, b) => order(b) - order(a));
  sorted.forEach((item, slot) => ((item as { slot: number }).slot = slot));
  return Object.assign(compiled, {
    sorted,
    index: indexEntries(sorted, needsWord.length),
    delayLevels: [...new Set(sorted.map((item) => item.delayLevel).filter((level) => level > 0))].sort((a, b) => a - b),
    maxScanDepth,
    matcher: { ...compiled.matcher, patternCount: needsWord.length, needsWord: Uint8Array.from(needsWord), patternLength: Int32Array.from(patternLength) },
  });
}

/** Builds the pattern -> entries index used to skip entries that cannot match. */
function indexEntries(sorted: readonly CompiledEntry[], patternCount: number): EntryIndex {
  const perPattern: number[][] = Array.from({ length: patternCount }, () => []);
  const always: number[] = [];
  for (const item of sorted) {
    const { entry, decorators } = item;
    let unconditional = entry.constant || decorators.activate;
    const patterns = new Set<number>();
    for (const key of item.primary) {
      if (key.kind === 'plain') patterns.add(key.pattern);
      else if (key.kind === 'regex' && key.prefilter) for (const p of key.prefilter) patterns.add(p);
      else unconditional = true;
    }
    if (unconditional) always.push(item.slot);
    else for (const p of patterns) perPattern[p]?.push(item.slot);
  }
  const start = new Int32Array(patternCount + 1);
  perPattern.forEach((list, p) => (start[p + 1] = (start[p] ?? 0) + list.length));
  return { start, slots: Int32Array.from(perPattern.flat()), always: Int32Array.from(always) };
}

/** True for a book that `compileBook` produced. */
export function isCompiledBook(book: LoreBook | CompiledBook): book is CompiledBook {
  return (book as Partial<CompiledBook>).kind === 'compiled-lore-book';
}

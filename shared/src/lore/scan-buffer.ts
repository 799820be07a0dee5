import type { CompiledBook, CompiledKey } from './compile.ts';
import { needsWordBoundary } from './compile.ts';
import { MAX_DYNAMIC_KEY_CACHE } from './limits.ts';
import { parseKey, regexMatches } from './regex-key.ts';

/** SillyTavern prefixes every scanned segment with \x01 and joins them with newlines; regex keys see that. */
const SEGMENT_MARK = '\x01';
const SEGMENT_JOIN = '\n\x01';
const NEVER = 0x7fffffff;

/** Per book: the shallowest message each pattern occurs in, and whether it occurs in any extra segment. */
interface BookScan {
  firstAny: Int32Array;
  firstWord: Int32Array;
  extraAny: Uint8Array;
  extraWord: Uint8Array;
  /** Patterns found anywhere so far, each once, in the order first found. */
  hits: number[];
  found: Uint8Array;
  segmentsSeen: number;
}

/**
 * Scan arrays kept per book between activations: they are sized by the book's pattern count (tens of
 * kilobytes for a large book), and reusing them keeps a turn from feeding the garbage collector.
 */
const spareScans = new WeakMap<CompiledBook, BookScan>();

function freshScan(book: CompiledBook): BookScan {
  const spare = spareScans.get(book);
  if (spare) {
    spareScans.delete(book);
    spare.firstAny.fill(NEVER);
    spare.firstWord.fill(NEVER);
    spare.extraAny.fill(0);
    spare.extraWord.fill(0);
    spare.found.fill(0);
    spare.hits.length = 0;
    spare.segmentsSeen = 0;
    return spare;
  }
  const count = book.matcher.patternCount;
  return {
    firstAny: new Int32Array(count).fill(NEVER),
    firstWord: new Int32Array(count).fill(NEVER),
    extraAny: new Uint8Array(count),
    extraWord: new Uint8Array(count),
    hits: [],
    found: new Uint8Array(count),
    segmentsSeen: 0,
  };
}

/** A macro-dependent key after substitution. */
type ResolvedDynamic = { regex: RegExp } | { needle: string; word: boolean; caseSensitive: boolean };

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Whether `text` has a whole-word occurrence of `needle` ending at `end` (SillyTavern's \W boundaries). */
function boundedAt(text: string, end: number, length: number): boolean {
  const start = end - length;
  return (start === 0 || !isWordCode(text.charCodeAt(start - 1))) && (end === text.length || !isWordCode(text.charCodeAt(end)));
}

function containsWord(haystack: string, needle: string): boolean {
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
    if (boundedAt(haystack, at + needle.length, needle.length)) return true;
  }
  return false;
}

/**
 * The text one activation scans: the newest messages (index 0 = newest), plus extra segments (injected
 * prompts, then the content of activated entries as recursion proceeds). Plain keys are answered from
 * one automaton pass per message and per segment; regex and macro keys test the joined text SillyTavern
 * would build for that depth.
 */
export class ScanBuffer {
  private readonly messages: string[];
  private lowered: string[] | null = null;
  private readonly segments: string[] = [];
  private readonly books = new Map<CompiledBook, BookScan>();
  private haystacks = new Map<number, string>();
  private loweredHaystacks = new Map<number, string>();
  private regexResults = new Map<number, Map<RegExp, boolean>>();
  private readonly substituted = new Map<string, string>();

  constructor(
    newestLast: readonly string[],
    maxDepth: number,
    injected: readonly string[],
    private readonly substitute: ((text: string) => string) | undefined,
  ) {
    const count = Math.min(maxDepth, newestLast.length);
    this.messages = [];
    for (let i = 0; i < count; i++) this.messages.push((newestLast[newestLast.length - 1 - i] ?? '').trim());
    for (const text of injected) if (text) this.segments.push(text);
  }

  /** Hands the per-book arrays back for the next activation; the buffer must not be used afterwards. */
  release(): void {
    for (const [book, scan] of this.books) spareScans.set(book, scan);
    this.books.clear();
  }

  /** Adds scanned text for later passes (the content of entries activated in this pass). */
  addSegment(text: string): void {
    if (!text) return;
    this.segments.push(text);
    this.haystacks = new Map();
    this.loweredHaystacks = new Map();
    this.regexResults = new Map();
  }

  /** Does `key` occur in the text an entry with scan depth `depth` sees? */
  matches(book: CompiledBook, key: CompiledKey, depth: number): boolean {
    if (depth <= 0) return false;
    switch (key.kind) {
      case 'plain': {
        const scan = this.scanOf(book);
        const p = key.pattern;
        return key.word
          ? (scan.firstWord[p] ?? NEVER) < depth || scan.extraWord[p] === 1
          : (scan.firstAny[p] ?? NEVER) < depth || scan.extraAny[p] === 1;
      }
      case 'regex':
        if (key.prefilter && !this.anyPresent(book, key.prefilter, depth)) return false;
        return this.regexAt(key.regex, depth);
      case 'dynamic': {
        const resolved = this.resolveDynamic(book, key);
        if (!resolved) return false;
        if ('regex' in resolved) return this.regexAt(resolved.regex, depth);
        const haystack = resolved.caseSensitive ? this.haystack(depth) : this.loweredHaystack(depth);
        return resolved.word ? containsWord(haystack, resolved.needle) : haystack.includes(resolved.needle);
      }
    }
  }

  /** Patterns of this book that occur anywhere in the scanned text (any depth, any segment). */
  hitsOf(book: CompiledBook): readonly number[] {
    return this.scanOf(book).hits;
  }

  /** Whether any of these patterns occurs in the text of this depth (a regex prefilter). */
  private anyPresent(book: CompiledBook, patterns: readonly number[], depth: number): boolean {
    const scan = this.scanOf(book);
    return patterns.some((p) => (scan.firstAny[p] ?? NEVER) < depth || scan.extraAny[p] === 1);
  }

  private regexAt(regex: RegExp, depth: number): boolean {
    let results = this.regexResults.get(depth);
    if (!results) {
      results = new Map();
      this.regexResults.set(depth, results);
    }
    let result = results.get(regex);
    if (result === undefined) {
      result = regexMatches(regex, this.haystack(depth));
      results.set(regex, result);
    }
    return result;
  }

  private resolveDynamic(book: CompiledBook, key: Extract<CompiledKey, { kind: 'dynamic' }>): ResolvedDynamic | null {
    let text = this.substituted.get(key.text);
    if (text === undefined) {
      text = (this.substitute ? this.substitute(key.text) : key.text).trim();
      this.substituted.set(key.text, text);
    }
    if (!text) return null;
    const cache = book.matcher.dynamicKeys;
    const slot = `${key.caseSensitive ? 's' : 'i'}${key.matchWholeWords ? 'w' : '-'}${text}`;
    const cached = cache.get(slot);
    if (cached !== undefined) return cached === null ? null : this.toResolved(cached, key);
    const parsed = parseKey(text);
    const compiled: CompiledKey | null =
      parsed.kind === 'regex'
        ? { kind: 'regex', text, regex: parsed.regex, prefilter: null }
        : parsed.kind === 'bad-regex'
          ? null
          : { kind: 'dynamic', text, caseSensitive: key.caseSensitive, matchWholeWords: key.matchWholeWords };
    if (cache.size >= MAX_DYNAMIC_KEY_CACHE) cache.clear();
    cache.set(slot, compiled);
    return compiled === null ? null : this.toResolved(compiled, key);
  }

  private toResolved(compiled: CompiledKey, key: Extract<CompiledKey, { kind: 'dynamic' }>): ResolvedDynamic {
    if (compiled.kind === 'regex') return { regex: compiled.regex };
    const needle = key.caseSensitive ? compiled.text : compiled.text.toLowerCase();
    return { needle, word: needsWordBoundary(needle, key.matchWholeWords), caseSensitive: key.caseSensitive };
  }

  /** The joined text SillyTavern's buffer would give an entry of this depth (newest message first). */
  private haystack(depth: number): string {
    let text = this.haystacks.get(depth);
    if (text === undefined) {
      text = SEGMENT_MARK + this.messages.slice(0, depth).join(SEGMENT_JOIN);
      if (this.segments.length > 0) text += SEGMENT_JOIN + this.segments.join(SEGMENT_JOIN);
      this.haystacks.set(depth, text);
    }
    return text;
  }

  private loweredHaystack(depth: number): string {
    let text = this.loweredHaystacks.get(depth);
    if (text === undefined) {
      text = this.haystack(depth).toLowerCase();
      this.loweredHaystacks.set(depth, text);
    }
    return text;
  }

  private scanOf(book: CompiledBook): BookScan {
    let scan = this.books.get(book);
    if (!scan) {
      scan = freshScan(book);
      this.books.set(book, scan);
      for (let depth = 0; depth < this.messages.length; depth++) {
        const found = scan;
        const d = depth;
        this.scanText(book, this.messages[depth] ?? '', () => this.loweredMessage(d), (p, text, end) => {
          if (found.found[p] === 0) {
            found.found[p] = 1;
            found.hits.push(p);
          }
          if ((found.firstAny[p] ?? NEVER) > d) found.firstAny[p] = d;
          if (book.matcher.needsWord[p] === 1 && (found.firstWord[p] ?? NEVER) > d && boundedAt(text, end, book.matcher.patternLength[p] ?? 0)) {
            found.firstWord[p] = d;
          }
        });
      }
    }
    while (scan.segmentsSeen < this.segments.length) {
      const found = scan;
      const segment = this.segments[scan.segmentsSeen] ?? '';
      this.scanText(book, segment, () => segment.toLowerCase(), (p, text, end) => {
        if (found.found[p] === 0) {
          found.found[p] = 1;
          found.hits.push(p);
        }
        found.extraAny[p] = 1;
        if (book.matcher.needsWord[p] === 1 && boundedAt(text, end, book.matcher.patternLength[p] ?? 0)) found.extraWord[p] = 1;
      });
      scan.segmentsSeen++;
    }
    return scan;
  }

  private loweredMessage(depth: number): string {
    if (!this.lowered) this.lowered = this.messages.map((message) => message.toLowerCase());
    return this.lowered[depth] ?? '';
  }

  private scanText(book: CompiledBook, raw: string, lower: () => string, hit: (pattern: number, text: string, end: number) => void): void {
    const { insensitive, sensitive } = book.matcher;
    if (insensitive.size > 1) {
      const text = lower();
      insensitive.scan(text, (p, end) => hit(p, text, end));
    }
    if (sensitive.size > 1) sensitive.scan(raw, (p, end) => hit(p, raw, end));
  }
}

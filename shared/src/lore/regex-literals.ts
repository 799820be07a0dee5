/**
 * Finds literal strings a regular expression cannot match without: "every match contains at least one
 * of these". The engine looks for them with its keyword automaton and only runs the regex when one is
 * present, which keeps hundreds of regex keys from each re-reading every scanned text.
 *
 * The analysis is conservative: when unsure it returns null (always run the regex). Literals never
 * contain control characters, so they cannot straddle the newline/\x01 joints between scanned messages.
 */

/** Shortest literal worth filtering on; one-character literals would match nearly any text. */
const MIN_LITERAL_LENGTH = 2;

type Needles = string[] | null;

interface Parser {
  src: string;
  at: number;
  ignoreCase: boolean;
  failed: boolean;
}

function isLiteralCode(code: number, ignoreCase: boolean): boolean {
  if (code < 0x20) return false;
  // Case-insensitive matching folds some non-ASCII letters together (σ/ς); only ASCII lower-cases safely.
  return !ignoreCase || code < 0x80;
}

/** Of several alternative needle sets, the one whose shortest needle is longest (the most selective). */
function best(candidates: readonly string[][]): Needles {
  let chosen: string[] | null = null;
  let score = -1;
  for (const set of candidates) {
    const shortest = Math.min(...set.map((needle) => needle.length));
    if (shortest > score || (shortest === score && chosen !== null && set.length < chosen.length)) {
      chosen = set;
      score = shortest;
    }
  }
  return chosen;
}

/** How often the atom before a quantifier must occur: `once` (no quantifier), `optional` (may be absent), `repeated` (one or more). */
type Repeat = 'once' | 'optional' | 'repeated';

/** Reads the quantifier after an atom, if any. */
function readQuantifier(p: Parser): Repeat {
  const c = p.src[p.at];
  let repeat: Repeat;
  if (c === '*' || c === '?') {
    repeat = 'optional';
    p.at++;
  } else if (c === '+') {
    repeat = 'repeated';
    p.at++;
  } else if (c === '{') {
    const match = /^\{(\d+)(?:,(\d*))?\}/.exec(p.src.slice(p.at));
    if (!match) return 'once';
    repeat = Number(match[1]) === 0 ? 'optional' : 'repeated';
    p.at += match[0].length;
  } else {
    return 'once';
  }
  if (p.src[p.at] === '?') p.at++;
  return repeat;
}

/** Skips a character class `[...]`; the caller stands on `[`. */
function skipClass(p: Parser): void {
  p.at++;
  if (p.src[p.at] === '^') p.at++;
  if (p.src[p.at] === ']') p.at++;
  while (p.at < p.src.length && p.src[p.at] !== ']') p.at += p.src[p.at] === '\\' ? 2 : 1;
  if (p.at >= p.src.length) p.failed = true;
  p.at++;
}

/** An escape: returns the literal character it stands for, or null for classes, anchors and references. */
function readEscape(p: Parser): string | null {
  const next = p.src[p.at + 1] ?? '';
  p.at += 2;
  if (/[dDwWsSbB]/.test(next)) return null;
  if (/[1-9]/.test(next)) {
    while (/[0-9]/.test(p.src[p.at] ?? '')) p.at++;
    return null;
  }
  if (next === 'x') {
    p.at += 2;
    return null;
  }
  if (next === 'u') {
    if (p.src[p.at] === '{') p.at = p.src.indexOf('}', p.at) + 1 || p.src.length;
    else p.at += 4;
    return null;
  }
  if (next === 'c') {
    p.at += 1;
    return null;
  }
  if (next === 'k' || next === 'p' || next === 'P') {
    const close = p.src[p.at] === '<' ? '>' : '}';
    if (p.src[p.at] === '<' || p.src[p.at] === '{') p.at = p.src.indexOf(close, p.at) + 1 || p.src.length;
    return null;
  }
  if (/[0nrtfv]/.test(next)) return null;
  return next;
}

function parseAlternation(p: Parser): Needles {
  const alternatives: Needles[] = [parseSequence(p)];
  while (p.src[p.at] === '|') {
    p.at++;
    alternatives.push(parseSequence(p));
  }
  if (alternatives.some((alt) => alt === null)) return null;
  return alternatives.flatMap((alt) => alt ?? []);
}

function parseSequence(p: Parser): Needles {
  const candidates: string[][] = [];
  let run = '';
  const flush = () => {
    if (run.length > 0) candidates.push([run]);
    run = '';
  };
  while (p.at < p.src.length && !p.failed) {
    const c = p.src[p.at] ?? '';
    if (c === '|' || c === ')') break;
    let literal: string | null = null;
    let group: Needles = null;
    if (c === '\\') {
      literal = readEscape(p);
    } else if (c === '[') {
      skipClass(p);
    } else if (c === '(') {
      const lookaround = /^\(\?(?:=|!|<=|<!)/.test(p.src.slice(p.at));
      const named = /^\(\?<[A-Za-z_$][\w$]*>/.exec(p.src.slice(p.at));
      p.at += lookaround ? (p.src[p.at + 2] === '<' ? 4 : 3) : named ? named[0].length : p.src.startsWith('(?:', p.at) ? 3 : 1;
      const inner = parseAlternation(p);
      if (p.src[p.at] !== ')') p.failed = true;
      p.at++;
      group = lookaround ? null : inner;
    } else if (c === '.' || c === '^' || c === '$') {
      p.at++;
    } else {
      literal = c;
      p.at++;
    }
    const repeat = c === '^' || c === '$' ? 'once' : readQuantifier(p);
    if (literal !== null && isLiteralCode(literal.charCodeAt(0), p.ignoreCase)) {
      if (repeat === 'optional') flush();
      else {
        run += p.ignoreCase ? literal.toLowerCase() : literal;
        // After a repeated character the next literal is no longer adjacent to the run.
        if (repeat === 'repeated') flush();
      }
    } else {
      flush();
      if (group !== null && group.length > 0 && repeat !== 'optional') candidates.push(group);
    }
  }
  flush();
  return best(candidates);
}

/**
 * Literals one of which occurs in every match of `/source/flags`, lower-cased for `i` regexes, or null
 * when none of at least MIN_LITERAL_LENGTH characters can be proven.
 *
 * @example requiredLiterals('\\b(?:keeper|warden)s?\\b', 'i') // ['keeper', 'warden']
 */
export function requiredLiterals(source: string, flags: string): string[] | null {
  const ignoreCase = flags.includes('i');
  // With u/v, case-insensitive matching uses Unicode case folding (ſ matches s); lower-casing cannot follow.
  if (ignoreCase && (flags.includes('u') || flags.includes('v'))) return null;
  if (flags.includes('v')) return null;
  const parser: Parser = { src: source, at: 0, ignoreCase, failed: false };
  const needles = parseAlternation(parser);
  if (parser.failed || parser.at < source.length || !needles || needles.length === 0) return null;
  if (needles.some((needle) => needle.length < MIN_LITERAL_LENGTH)) return null;
  return [...new Set(needles)];
}

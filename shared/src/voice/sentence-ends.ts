/**
 * Where a sentence ends in spoken text: the one rule the streaming splitter applies once it has seen
 * the character after a run of . ! ? … (the rule needs that character, so a sentence is complete when
 * the next one starts, a line ends, or the reply ends).
 */

/**
 * Words that end in a period without ending the sentence: titles before a name ("Dr. Vance") and
 * Latin abbreviations that run on ("e.g. Paris", "cf. the map"). Not "etc.": it usually ends its
 * sentence, and when it does not, a lower-case word follows, which the lower-case rule catches.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set(
  'mr mrs ms mx dr prof sr jr st mt ft capt cpt col gen lt sgt cmdr adm rev fr hon gov pres sen rep messrs mme mlle vs cf eg ie viz approx'.split(' '),
);

/** Abbreviations that come before a number: "No. 5", "ch. 3", "p. 12". */
const NUMBERED: ReadonlySet<string> = new Set('no nos vol ch pp p fig art sec'.split(' '));

/** Characters that end a sentence; a run of them ("?!", "...") is one end. */
export function isTerminal(char: string): boolean {
  return char === '.' || char === '!' || char === '?' || char === '…' || char === '。' || char === '！' || char === '？';
}

/** Closing quotes and brackets that belong to the sentence they follow: `"Go!"` ends after the quote. */
export function isCloser(char: string): boolean {
  return char.length === 1 && '"\'”’»«」』）)]】》〉'.includes(char);
}

const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const LOWER = /\p{Ll}/u;
const WORD_BEFORE = /[\p{L}.]+$/u;

/** The run of . ! ? … (with closing quotes) being decided, and what came before and after it. */
export interface PendingEnd {
  /** The terminal characters and closers as written, e.g. `."` or `?!`. */
  marks: string;
  /** Up to 40 characters of text before the marks (for the abbreviation check). */
  before: string;
  /** Whether whitespace came between the marks and `next`. */
  spaced: boolean;
}

/**
 * Whether the marks end the sentence, given the next spoken character. Not an end: a decimal or a web
 * address (no space after: "3.14", "x.com"), anything before a lower-case word ("Wait... what?",
 * '"Go!" she said'), a title or Latin abbreviation ("Mr.", "e.g."), "No." before a number, an initial
 * ("J. R. Tolkien") or a dotted acronym ("U.S. Army"). CJK 。！？ always end one, with or without a space.
 */
export function endsSentence(end: PendingEnd, next: string): boolean {
  const { marks, before, spaced } = end;
  if (/[。！？]/.test(marks)) return true;
  // No space after: a decimal, a web address, or CJK text written with half-width "!" and "?".
  if (!spaced) return CJK.test(next) && (marks[0] === '!' || marks[0] === '?');
  if (LOWER.test(next)) return false;
  // Only a bare period can end an abbreviation: '."', '!' and '...' always end the sentence here.
  if (marks !== '.') return true;
  const word = WORD_BEFORE.exec(before)?.[0] ?? '';
  const bare = word.toLowerCase().replaceAll('.', '');
  if (ABBREVIATIONS.has(bare)) return false;
  if (NUMBERED.has(bare) && /\d/.test(next)) return false;
  return !(/^\p{Lu}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word));
}

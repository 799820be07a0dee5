/**
 * The second stage of the sentence stream: spoken characters in (already free of markup, each with its
 * speaker), finished segments out. It decides sentence ends (sentence-ends.ts), holds fragments shorter
 * than MIN_SEGMENT_CHARS for the next sentence, and cuts run-ons at MAX_SEGMENT_CHARS. It looks at no
 * character twice and never ahead, so its output cannot depend on how the input was chunked.
 */
import { CLAUSE_CUT_MIN_SHARE } from './limits.ts';
import { endsSentence, isCloser, isTerminal } from './sentence-ends.ts';

/** Who speaks a segment: the character (its voice), or the narrator (the narrator voice). */
export type Speaker = 'character' | 'narrator';

/** One piece of a reply to send to TTS. */
export interface SpeechSegment {
  text: string;
  speaker: Speaker;
}

export interface AssemblerLimits {
  maxChars: number;
  minChars: number;
}

/** The terminal marks being decided: where they start and end in the buffer, and whether a space followed. */
interface Pending {
  start: number;
  end: number;
  spaced: boolean;
}

const HAS_WORDS = /[\p{L}\p{N}]/u;
const ENDS_WITH_MARK = /[.!?…。！？]["'”’»«」』）)\]】》〉]*$/;
/** Clause marks a run-on may be cut after when a space follows. */
const CLAUSE_MARKS = ',;:—–';
/** CJK clause marks, written without a space after: a cut may follow them directly. */
const CJK_CLAUSE_MARKS = '，、；：';

/** Segment text as sent: single spaces, none before punctuation (left where a skipped span was). */
function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/ (?=[,.;:!?…。！？])/g, '').trim();
}

export class SentenceAssembler {
  private buf = '';
  private speaker: Speaker = 'character';
  private pending: Pending | null = null;

  constructor(
    private readonly limits: AssemblerLimits,
    private readonly out: SpeechSegment[],
  ) {}

  /** One spoken, non-space character (or a whole surrogate pair). */
  char(c: string, speaker: Speaker): void {
    if (speaker !== this.speaker) {
      this.runEnd();
      this.speaker = speaker;
    }
    const pending = this.pending;
    if (pending) {
      if (!pending.spaced && (isTerminal(c) || isCloser(c))) {
        this.buf += c;
        pending.end = this.buf.length;
        return;
      }
      const marks = this.buf.slice(pending.start, pending.end);
      const before = this.buf.slice(Math.max(0, pending.start - 40), pending.start);
      this.pending = null;
      if (endsSentence({ marks, before, spaced: pending.spaced }, c)) this.sentenceEnd(pending.end, true, pending.spaced);
    }
    this.buf += c;
    if (isTerminal(c)) this.pending = { start: this.buf.length - 1, end: this.buf.length, spaced: false };
    else this.cutIfLong();
  }

  /** Whitespace, or a span that was not spoken (it still separates words). */
  space(): void {
    if (this.buf.length > 0 && !this.buf.endsWith(' ')) this.buf += ' ';
    if (this.pending) this.pending.spaced = true;
  }

  /**
   * A line break: the sentence ends here. A short one is held for the next only when it ends like a
   * sentence ("Oh."): a heading or list item ("Title", "- milk") keeps its own segment, as running it
   * into the next line would read it without a pause.
   */
  lineEnd(): void {
    this.pending = null;
    this.sentenceEnd(this.buf.length, ENDS_WITH_MARK.test(this.buf.trimEnd()));
  }

  /** A paragraph break, a change of speaker, a code block, the end of the reply: everything held goes out. */
  runEnd(): void {
    this.pending = null;
    this.sentenceEnd(this.buf.length, false);
  }

  /**
   * Ends the sentence at `at` (the text after it is only spaces); holds it when short and `mayHold`.
   * A held sentence keeps a space after it only when `spaced` (CJK sentences are written without one).
   */
  private sentenceEnd(at: number, mayHold: boolean, spaced = true): void {
    const sentence = this.buf.slice(0, at).trim();
    if (mayHold && sentence.length > 0 && sentence.length < this.limits.minChars) {
      this.buf = spaced ? `${sentence} ` : sentence;
      return;
    }
    this.emit(sentence);
    this.buf = '';
  }

  private emit(text: string): void {
    const clean = tidy(text);
    if (HAS_WORDS.test(clean)) this.out.push({ text: clean, speaker: this.speaker });
  }

  /** Cuts the buffer while it is longer than the limit: at a clause mark, else a space, else anywhere. */
  private cutIfLong(): void {
    const { maxChars } = this.limits;
    while (this.buf.length > maxChars) {
      const at = this.cutPoint(maxChars);
      this.emit(this.buf.slice(0, at));
      this.buf = this.buf.slice(at).trimStart();
    }
  }

  private cutPoint(maxChars: number): number {
    const window = this.buf.slice(0, maxChars + 1);
    for (let i = maxChars; i >= Math.ceil(maxChars * CLAUSE_CUT_MIN_SHARE); i--) {
      const mark = window[i - 1] ?? '';
      if (mark !== '' && ((window[i] === ' ' && CLAUSE_MARKS.includes(mark)) || CJK_CLAUSE_MARKS.includes(mark))) return i;
    }
    const space = window.lastIndexOf(' ');
    if (space > 0) return space;
    // No space at all (a URL, CJK text): cut at the limit, never inside a surrogate pair.
    const code = this.buf.charCodeAt(maxChars - 1);
    return code >= 0xd800 && code <= 0xdbff ? maxChars - 1 : maxChars;
  }
}

/**
 * The first stage of the sentence stream: raw reply text (Markdown and role-play conventions, in chunks
 * cut anywhere) in; the characters to speak, each with its speaker, out, plus line, paragraph and
 * run breaks. It strips Markdown marks (** __ ~~ # > list bullets and numbers, rules, [text](url) ->
 * text, images, HTML tags), recognises quotes, *actions* and _actions_, fenced and inline code, and
 * applies the reading options to them.
 *
 * Streaming without changing the result: each mark is decided from a bounded look-ahead (at most
 * MAX_MARKUP_LOOKAHEAD characters, or to the end of the reply). When that look-ahead is not in yet,
 * the reader stops and waits for the next chunk, so every decision is the one it would make on the
 * whole text at once.
 *
 * Choices where Markdown and role-play text disagree or are ambiguous (each costs little when wrong):
 * - A paragraph break (blank line) closes an open quote, action or inline code: a stray `"` or `*`
 *   silences or mislabels at most the rest of its paragraph. Multi-paragraph speech that opens each
 *   paragraph with `"` (the fiction convention) works, as each paragraph then opens its own quote.
 * - Inline code ends at the end of its line if not closed before. A fence (three or more backticks)
 *   opens anywhere on a line and runs until a run of backticks at least as long, or the end.
 * - `*` and `_` follow CommonMark's flanking idea: a single (or triple) mark opens an action when a
 *   non-space follows and closes it when a non-space precedes; `_` inside a word (snake_case) is text;
 *   double marks (**bold**) are only dropped. A mark that neither opens nor closes is dropped.
 * - Straight `"` toggles; curly and CJK quotes pair (“ closes with ” or ", „ with “ or ”, « with », » with «).
 *   Single quotes are never quotes: they are apostrophes far more often.
 * - `[` and `]` are dropped (brackets are not spoken anyway), so "[OOC: brb]" reads "OOC: brb".
 */
import { MAX_MARKUP_LOOKAHEAD } from './limits.ts';
import type { ReadingOptions } from './reading-options.ts';
import type { Speaker } from './sentence-assembler.ts';

/** Where the reader sends what it reads (the SentenceAssembler). */
export interface SpokenSink {
  char(c: string, speaker: Speaker): void;
  space(): void;
  lineEnd(): void;
  runEnd(): void;
}

type Mode = 'text' | 'fence-info' | 'fence' | 'inline-code' | 'link-url' | 'image-alt';

/** Each opening quote and the marks that close it. */
const QUOTE_CLOSERS: Readonly<Record<string, string>> = {
  '"': '"”',
  '“': '”"',
  '„': '“”',
  '«': '»',
  '»': '«',
  '「': '」',
  '『': '』',
};
const QUOTE_MARKS = '"“”„«»「」『』';

const SPACE = /\s/;
const ALNUM = /[\p{L}\p{N}]/u;
const isSpace = (c: string): boolean => c === '' || SPACE.test(c);

/** A run of one mark character and what follows it ('' at the end of the reply). */
interface Run {
  length: number;
  next: string;
}

/** What a look-ahead found: consumed `n` characters, `wait` for more input, or `no` (not this mark). */
type Look = number | 'wait' | 'no';

export class MarkupReader {
  private raw = '';
  private mode: Mode = 'text';
  private fenceLength = 0;
  private inlineLength = 0;
  private urlDepth = 0;
  /** The marks that close the open quote; null outside quotes. */
  private quoteClosers: string | null = null;
  private action: '*' | '_' | null = null;
  /** Only whitespace and block marks so far on this line (block marks are recognised here). */
  private lineStart = true;
  /** Nothing but whitespace on this line: a newline now is a paragraph break. */
  private lineBlank = true;
  /** A paragraph break was already sent for this run of blank lines. */
  private paragraphSent = true;
  /** The last raw character read (for the flanking rules of * and _). */
  private prev = '\n';
  private readonly labelled: boolean;

  constructor(
    private readonly options: ReadingOptions,
    private readonly sink: SpokenSink,
  ) {
    this.labelled = options.dialogueOnly || options.narrator;
  }

  /** Reads as much of the text so far as can be decided. */
  push(text: string): void {
    this.raw += text;
    this.read(false);
  }

  /** Reads the rest: the reply is complete, so every look-ahead ends here. */
  end(): void {
    this.read(true);
    this.sink.runEnd();
  }

  private read(final: boolean): void {
    const raw = this.raw;
    let pos = 0;
    while (pos < raw.length) {
      const used = this.step(raw, pos, final);
      if (used === 0) break;
      const last = raw[pos + used - 1]!;
      if (last !== '\r') this.prev = last;
      pos += used;
    }
    this.raw = raw.slice(pos);
  }

  /** Reads one character or mark at `pos`; returns how many characters it used, 0 to wait for more. */
  private step(raw: string, pos: number, final: boolean): number {
    const c = raw[pos]!;
    if (c === '\r') return 1;
    if (c === '\n') {
      this.newline();
      return 1;
    }
    switch (this.mode) {
      case 'fence-info':
        // "```ls```" on one line is code too: a closing run ends it before any newline.
        return c === '`' ? this.codeStep(raw, pos, final, this.fenceLength, true) : 1;
      case 'fence':
        return this.codeStep(raw, pos, final, this.fenceLength, true);
      case 'inline-code':
        return this.codeStep(raw, pos, final, this.inlineLength, false);
      case 'link-url':
        if (c === '(') this.urlDepth++;
        else if (c === ')' && --this.urlDepth === 0) this.mode = 'text';
        return 1;
      case 'image-alt':
        if (c !== ']') return 1;
        if (pos + 1 >= raw.length && !final) return 0;
        if (raw[pos + 1] === '(') {
          this.mode = 'link-url';
          this.urlDepth = 1;
          return 2;
        }
        this.mode = 'text';
        return 1;
      case 'text':
        return this.textStep(raw, pos, final);
    }
  }

  private newline(): void {
    if (this.mode === 'fence-info') {
      this.mode = 'fence';
      return;
    }
    if (this.mode === 'fence') {
      if (!this.options.skipCode) this.speakBreak();
      return;
    }
    if (this.mode !== 'text') this.mode = 'text';
    if (this.lineBlank && !this.paragraphSent) {
      this.paragraphSent = true;
      this.quoteClosers = null;
      this.action = null;
      this.sink.runEnd();
    } else if (!this.lineBlank) {
      this.sink.lineEnd();
    }
    this.lineStart = true;
    this.lineBlank = true;
  }

  private speakBreak(): void {
    if (this.speaker() !== null) this.sink.lineEnd();
  }

  /** Inside code: a closing run of backticks ends it; the rest is spoken only when code is. */
  private codeStep(raw: string, pos: number, final: boolean, closeLength: number, fenced: boolean): number {
    const c = raw[pos]!;
    if (c !== '`') {
      if (!this.options.skipCode) this.speak(c);
      return 1;
    }
    const run = readRun(raw, pos, final);
    if (run === null) return 0;
    if (fenced ? run.length >= closeLength : run.length === closeLength) {
      this.mode = 'text';
      this.lineStart = false;
      if (this.options.skipCode) this.sink.space();
    }
    return run.length;
  }

  private textStep(raw: string, pos: number, final: boolean): number {
    const c = raw[pos]!;
    if (isSpace(c)) {
      this.sink.space();
      return 1;
    }
    this.lineBlank = false;
    this.paragraphSent = false;
    if (this.lineStart) {
      const block = blockMark(raw, pos, final);
      if (block === 'wait') return 0;
      if (block !== 'no') {
        this.sink.space();
        return block;
      }
      this.lineStart = false;
    }
    switch (c) {
      case '`': {
        const run = readRun(raw, pos, final);
        if (run === null) return 0;
        if (run.length >= 3) {
          this.sink.runEnd();
          this.mode = 'fence-info';
          this.fenceLength = run.length;
        } else {
          this.mode = 'inline-code';
          this.inlineLength = run.length;
          if (this.options.skipCode) this.sink.space();
        }
        return run.length;
      }
      case '*':
      case '_':
        return this.emphasis(raw, pos, final, c);
      case '~':
        if (pos + 1 >= raw.length && !final) return 0;
        if (raw[pos + 1] === '~') return 2;
        this.speak(c);
        return 1;
      case '!':
        if (pos + 1 >= raw.length && !final) return 0;
        if (raw[pos + 1] === '[') {
          this.mode = 'image-alt';
          this.sink.space();
          return 2;
        }
        this.speak(c);
        return 1;
      case '[':
        return 1;
      case ']':
        if (pos + 1 >= raw.length && !final) return 0;
        if (raw[pos + 1] === '(') {
          this.mode = 'link-url';
          this.urlDepth = 1;
          return 2;
        }
        return 1;
      case '<': {
        const tag = htmlTag(raw, pos, final);
        if (tag === 'wait') return 0;
        if (tag === 'no') {
          this.speak(c);
          return 1;
        }
        this.sink.space();
        return tag;
      }
      default:
        if (QUOTE_MARKS.includes(c)) this.quote(c);
        else this.speak(c);
        return 1;
    }
  }

  private quote(c: string): void {
    if (this.action !== null && this.options.skipActions) return;
    const closers = this.quoteClosers;
    let toggled = false;
    if (closers !== null && closers.includes(c)) {
      this.quoteClosers = null;
      toggled = true;
    } else if (closers === null && QUOTE_CLOSERS[c] !== undefined) {
      this.quoteClosers = QUOTE_CLOSERS[c];
      toggled = true;
    }
    if (!this.labelled) this.speak(c);
    else if (toggled) this.sink.runEnd();
  }

  /** `*` and `_`: open or close an action, drop bold marks, keep `_` inside words. */
  private emphasis(raw: string, pos: number, final: boolean, c: '*' | '_'): number {
    const run = readRun(raw, pos, final);
    if (run === null) return 0;
    const prev = this.prev;
    const { next } = run;
    if (c === '_' && ALNUM.test(prev) && ALNUM.test(next)) {
      for (let i = 0; i < run.length; i++) this.speak(c);
      return run.length;
    }
    if (run.length % 2 === 0) return run.length;
    const closes = this.action === c && !isSpace(prev) && (c === '*' || !ALNUM.test(next));
    const opens = this.action === null && !isSpace(next) && (c === '*' || !ALNUM.test(prev));
    if (closes || opens) {
      this.action = closes ? null : c;
      if (this.options.skipActions) this.sink.space();
    }
    return run.length;
  }

  /** Who speaks text read now, or null when it is not spoken (see ReadingOptions). */
  private speaker(): Speaker | null {
    if (this.action !== null && this.options.skipActions) return null;
    if (!this.labelled) return 'character';
    if (this.quoteClosers !== null) return 'character';
    return this.options.narrator ? 'narrator' : null;
  }

  private speak(c: string): void {
    const speaker = this.speaker();
    if (speaker === null) return;
    if (isSpace(c)) this.sink.space();
    else this.sink.char(c, speaker);
  }
}

/** The run of the character at `pos` (at most MAX_MARKUP_LOOKAHEAD) and the character after it; null to wait. */
function readRun(raw: string, pos: number, final: boolean): Run | null {
  const c = raw[pos];
  let end = pos;
  while (end < raw.length && raw[end] === c && end - pos < MAX_MARKUP_LOOKAHEAD) end++;
  if (end >= raw.length && !final) return null;
  return { length: end - pos, next: raw[end] ?? '' };
}

/**
 * A block mark at the start of a line: a rule (`---`, `* * *`, `___`, `===`), a list bullet (`- `,
 * `* `, `+ `), a list number (`1. `, `12) `), a heading (`## `), a block quote (`>`). Returns how
 * many characters it takes (a rule: its whole line; the others: the mark and one space).
 */
function blockMark(raw: string, pos: number, final: boolean): Look {
  const c = raw[pos]!;
  const at = (i: number): string | undefined => raw[pos + i];
  const missing = (i: number): boolean => pos + i >= raw.length && !final;
  if ('-*_='.includes(c)) {
    let end = pos;
    let marks = 0;
    while (end < raw.length && end - pos < MAX_MARKUP_LOOKAHEAD && (raw[end] === c || raw[end] === ' ' || raw[end] === '\t')) {
      if (raw[end] === c) marks++;
      end++;
    }
    if (end >= raw.length && !final && end - pos < MAX_MARKUP_LOOKAHEAD) return 'wait';
    const lineEnds = end >= raw.length || raw[end] === '\n' || raw[end] === '\r';
    if (marks >= 3 && lineEnds) return end - pos;
  }
  if ('-+*'.includes(c)) {
    if (missing(1)) return 'wait';
    return at(1) === ' ' || at(1) === '\t' ? 2 : 'no';
  }
  if (c === '>') return 1;
  if (c === '#') {
    let n = 0;
    while (n < 7 && at(n) === '#') n++;
    if (missing(n)) return 'wait';
    return n <= 6 && (at(n) === ' ' || at(n) === '\t') ? n + 1 : 'no';
  }
  if (c >= '0' && c <= '9') {
    let n = 0;
    while (n < 4 && /[0-9]/.test(at(n) ?? '')) n++;
    if (missing(n + 1)) return 'wait';
    const mark = at(n);
    return n <= 3 && (mark === '.' || mark === ')') && (at(n + 1) === ' ' || at(n + 1) === '\t') ? n + 2 : 'no';
  }
  return 'no';
}

/** An HTML tag or autolink (`<br>`, `</span>`, `<https://…>`) within the look-ahead on one line; not "I <3 you". */
function htmlTag(raw: string, pos: number, final: boolean): Look {
  if (pos + 1 >= raw.length && !final) return 'wait';
  if (!/[A-Za-z/!]/.test(raw[pos + 1] ?? '')) return 'no';
  for (let end = pos + 1; end - pos < MAX_MARKUP_LOOKAHEAD; end++) {
    if (end >= raw.length) return final ? 'no' : 'wait';
    const c = raw[end];
    if (c === '>') return end - pos + 1;
    if (c === '<' || c === '\n') return 'no';
  }
  return 'no';
}

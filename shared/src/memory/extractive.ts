/**
 * The summariser used when no model is reachable: it keeps the chunk's most informative sentences
 * word for word (names, numbers, places, promises, injuries) and drops the chit-chat, within a token
 * budget. Extractive on purpose: it cannot invent or drift, and it is deterministic.
 */
import {
  EXTRACTIVE_CUE_BONUS,
  EXTRACTIVE_DUPLICATE_OVERLAP,
  EXTRACTIVE_ENTITY_WEIGHT,
  EXTRACTIVE_LEAD_BONUS,
  EXTRACTIVE_LENGTH_EXPONENT,
  EXTRACTIVE_MAX_SENTENCE_CHARS,
  EXTRACTIVE_MIN_TERMS,
  EXTRACTIVE_NUMBER_WEIGHT,
  EXTRACTIVE_REDUNDANCY_DECAY,
} from './limits.ts';
import { terms } from './text-terms.ts';

export interface ExtractiveMessage {
  id: string;
  role: string;
  /** Speaker name shown in the summary ("Mira"); the role is used when it is empty. */
  name: string;
  text: string;
}

export interface ExtractiveOptions {
  /** The summary's text never counts more than this. */
  budgetTokens: number;
  /** The chat's token counter, e.g. a `Tokenizer.count` from shared/tokens. */
  countTokens: (text: string) => number;
}

export interface ExtractedSentence {
  messageId: string;
  speaker: string;
  /** The sentence as kept (role-play emphasis asterisks removed). */
  text: string;
  score: number;
}

export interface ExtractiveSummary {
  /** One line per source message, oldest first: "Mira: sentence sentence". '' when nothing fitted. */
  text: string;
  tokens: number;
  /** The kept sentences in original order, each with the message it came from. */
  sentences: ExtractedSentence[];
  /** Distinct source message ids, in order. */
  messageIds: string[];
}

// ---- sentences --------------------------------------------------------------------------------

/** Titles that come before a capitalised name: "Dr. Vance" is one sentence. */
const TITLES = new Set(
  'mr mrs ms mx dr prof sr jr st mt ft capt cpt col gen lt sgt cmdr adm rev fr hon gov pres sen rep messrs mme mlle vs cf eg ie approx'.split(' '),
);
/** Abbreviations that come before a number: "No. 5", "ch. 3". */
const NUMBERED = new Set('no nos vol ch pp p fig art sec'.split(' '));
const TERMINAL = /[.!?…。！？]+["'”’»」』）)\]】》〉*]*/g;
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;
const WORD_BEFORE = /[\p{L}.]+$/u;

function isBoundary(line: string, at: number, terminal: string, end: number): boolean {
  let next = end;
  while (next < line.length && /\s/.test(line[next]!)) next++;
  if (next >= line.length) return true;
  const char = line[next]!;
  if (/[。！？]/.test(terminal)) {
    // 「行こう！」と彼は言った。 is one sentence: a quoted exclamation that the text runs on from.
    return next > end || !/[」』”’）)\]】》〉]$/.test(terminal) || /[「『“‘（(\[【《〈]/.test(char);
  }
  // No space after: a decimal, a web address, or CJK written with half-width "!" and "?".
  if (next === end) return CJK.test(char) && terminal[0] !== '.';
  if (/\p{Ll}/u.test(char)) return false;
  // Only a bare period can end an abbreviation; '."' or '!' always ends a sentence here.
  if (terminal !== '.') return true;
  const before = WORD_BEFORE.exec(line.slice(Math.max(0, at - 40), at))?.[0] ?? '';
  const lower = before.toLowerCase().replaceAll('.', '');
  if (TITLES.has(lower)) return false;
  if (NUMBERED.has(lower) && /\d/.test(char)) return false;
  // An initial ("J. R. Tolkien") or a dotted acronym ("U.S. Army").
  return !(/^\p{Lu}$/u.test(before) || /^(?:\p{L}\.)+\p{L}$/u.test(before));
}

/** Cuts a run-on sentence at its clauses, packing them up to EXTRACTIVE_MAX_SENTENCE_CHARS. */
function cutLong(sentence: string): string[] {
  if (sentence.length <= EXTRACTIVE_MAX_SENTENCE_CHARS) return [sentence];
  const out: string[] = [];
  let piece = '';
  const flush = (): void => {
    if (piece) out.push(piece);
    piece = '';
  };
  for (const clause of sentence.split(/(?<=[;:,—–])\s+|\s+(?=[—–])/)) {
    for (const word of clause.length > EXTRACTIVE_MAX_SENTENCE_CHARS ? clause.split(/\s+/) : [clause]) {
      if (piece && piece.length + 1 + word.length > EXTRACTIVE_MAX_SENTENCE_CHARS) flush();
      piece = piece ? `${piece} ${word}` : word;
    }
  }
  flush();
  return out;
}

/**
 * Splits text into sentences: at . ! ? … (and CJK 。！？) followed by a capital, a quote or the end,
 * keeping closing quotes with their sentence; not after titles ("Dr."), initials, or before a
 * lower-case word ('"Go!" she said.'). Each line is its own sentence; run-ons are cut at clauses.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const push = (piece: string): void => {
    const clean = piece.trim();
    if (/[\p{L}\p{N}]/u.test(clean)) out.push(...cutLong(clean));
  };
  for (const line of text.split(/\r?\n|\r/)) {
    let start = 0;
    for (const match of line.matchAll(TERMINAL)) {
      const end = match.index + match[0].length;
      if (!isBoundary(line, match.index, match[0], end)) continue;
      push(line.slice(start, end));
      start = end;
    }
    push(line.slice(start));
  }
  return out;
}

// ---- scoring ----------------------------------------------------------------------------------

const stems = (words: string): Set<string> => new Set(terms(words, { keepStopWords: true }));

/** Acknowledgements and interjections: what chat is full of and a summary never needs. */
const CHITCHAT = stems(
  'ok okay k kk haha hah ha hehe heh lol lmao rofl yeah yea yep yup nope nah yes sure hmm hm mm um uh oh ah aw ' +
  'wow hey hi hello bye thanks thank thx please pls alright cool nice great good fine awesome really well ' +
  'right totally exactly indeed agreed true',
);

/** Number words: facts the story relies on ("three days", "the second gate") as much as digits. */
const NUMBER_WORDS = stems(
  'one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred thousand million ' +
  'dozen half first second third fourth fifth',
);

/** Fact cues: promises, debts, injuries, deaths, identities, likes and fears, plans. */
const CUES = stems(
  'promise promised swear swore sworn vow oath owe owed debt pay paid wound wounded injury injured hurt bleed bleeding ' +
  'broke broken scar poison poisoned sick ill die died dead death kill killed murder born married marry name named ' +
  'called live lives lived secret remember never always hate hates love loves afraid fear allergic lost stole stolen ' +
  'return meet tomorrow tonight birthday',
);

const WORD = /[\p{L}\p{N}\p{M}'’]+/gu;
const LEADING_WORD = /^([\p{L}'’]+)([^\p{L}\p{N}]*)/u;

/**
 * Drops chit-chat that opens a sentence ("haha ok My sister…", "Yeah, Elowen…") when it is set off by
 * punctuation or followed by a capital; "Right hand" keeps its word.
 */
function trimChitChat(sentence: string): string {
  let rest = sentence;
  let cut = sentence;
  for (let match = LEADING_WORD.exec(rest); match; match = LEADING_WORD.exec(rest)) {
    const [whole, word, gap] = match as unknown as [string, string, string];
    const wordTerms = terms(word, { keepStopWords: true });
    if (wordTerms.length === 0 || !wordTerms.every((term) => CHITCHAT.has(term))) break;
    rest = rest.slice(whole.length);
    if (/[^\s]/.test(gap) || /^\p{Lu}/u.test(rest)) cut = rest;
  }
  return /[\p{L}\p{N}]/u.test(cut) ? cut : sentence;
}

interface Unit {
  index: number;
  message: number;
  first: boolean;
  text: string;
  terms: string[];
  tokens: number;
  cue: boolean;
}

interface ChunkStats {
  sentences: number;
  sentenceFreq: Map<string, number>;
  termFreq: Map<string, number>;
  entities: Set<string>;
  numbers: Set<string>;
}

function readUnits(messages: readonly ExtractiveMessage[], countTokens: (text: string) => number): { units: Unit[]; stats: ChunkStats } {
  const units: Unit[] = [];
  const sentenceFreq = new Map<string, number>();
  const termFreq = new Map<string, number>();
  const capitalisedMid = new Set<string>();
  const capitalisedFirst = new Set<string>();
  const lowerCase = new Set<string>();
  const numbers = new Set<string>();
  const said = new Set<string>();
  messages.forEach((message, messageIndex) => {
    splitSentences(message.text).forEach((raw, sentenceIndex) => {
      const text = trimChitChat(raw.replaceAll('*', '').replace(/\s+/g, ' ').trim());
      const seen = new Set<string>();
      let wordIndex = 0;
      for (const [word] of text.matchAll(WORD)) {
        const capital = /^\p{Lu}/u.test(word);
        for (const term of terms(word)) {
          if (CHITCHAT.has(term)) continue;
          seen.add(term);
          termFreq.set(term, (termFreq.get(term) ?? 0) + 1);
          if (/\p{N}/u.test(term) || NUMBER_WORDS.has(term)) numbers.add(term);
          if (!capital) lowerCase.add(term);
          else (wordIndex === 0 ? capitalisedFirst : capitalisedMid).add(term);
        }
        wordIndex++;
      }
      if (seen.size === 0) return;
      for (const term of seen) sentenceFreq.set(term, (sentenceFreq.get(term) ?? 0) + 1);
      const list = [...seen];
      // The same words again (a regenerated reply, an echo, a repeated line) can never be kept twice;
      // dropping them here spares the selection a pass per copy.
      const key = [...list].sort().join(' ');
      if (said.has(key)) return;
      said.add(key);
      units.push({
        index: units.length,
        message: messageIndex,
        first: sentenceIndex === 0,
        text,
        terms: list,
        tokens: 0,
        cue: list.some((term) => CUES.has(term)),
      });
    });
  });
  // A capitalised word is a name when it is capitalised mid-sentence, or when it opens a sentence and
  // the chunk never writes it in lower case ("Aldric promised…" but not "Tomorrow we…" next to "tomorrow").
  const entities = new Set(capitalisedMid);
  for (const term of capitalisedFirst) if (!lowerCase.has(term)) entities.add(term);
  const telling = (term: string): boolean => entities.has(term) || numbers.has(term) || CUES.has(term);
  const kept = units.filter((unit) => unit.terms.length >= EXTRACTIVE_MIN_TERMS || unit.terms.some(telling));
  for (const unit of kept) unit.tokens = Math.max(1, countTokens(unit.text));
  return { units: kept, stats: { sentences: units.length, sentenceFreq, termFreq, entities, numbers } };
}

function termWeights(stats: ChunkStats): Map<string, number> {
  const weights = new Map<string, number>();
  for (const [term, sf] of stats.sentenceFreq) {
    // Rare in the chunk is informative (idf), said again and again is the chunk's subject (tf).
    let weight = Math.log(1 + stats.sentences / sf) * (1 + Math.log(stats.termFreq.get(term) ?? 1));
    if (stats.entities.has(term)) weight *= EXTRACTIVE_ENTITY_WEIGHT;
    if (stats.numbers.has(term)) weight *= EXTRACTIVE_NUMBER_WEIGHT;
    weights.set(term, weight);
  }
  return weights;
}

function unitScore(unit: Unit, weights: ReadonlyMap<string, number>): number {
  let score = 0;
  for (const term of unit.terms) score += weights.get(term) ?? 0;
  if (unit.cue) score *= 1 + EXTRACTIVE_CUE_BONUS;
  if (unit.first) score *= 1 + EXTRACTIVE_LEAD_BONUS;
  return score;
}

function overlap(a: readonly string[], b: ReadonlySet<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.length + b.size - shared);
}

// ---- selection --------------------------------------------------------------------------------

/** Who said it; none for an unnamed system text (a summary being merged: its lines already name their speakers). */
const speakerOf = (message: ExtractiveMessage): string => message.name.trim() || (message.role === 'system' ? '' : message.role);
const lineStart = (speaker: string) => (speaker ? `${speaker}: ` : '');

function render(messages: readonly ExtractiveMessage[], kept: readonly Unit[]): string {
  const lines: string[] = [];
  let current = -1;
  for (const unit of [...kept].sort((a, b) => a.index - b.index)) {
    if (unit.message === current) lines[lines.length - 1] += ` ${unit.text}`;
    else lines.push(`${lineStart(speakerOf(messages[unit.message]!))}${unit.text}`);
    current = unit.message;
  }
  return lines.join('\n');
}

/**
 * Summarises a chunk of chat by keeping its most informative sentences, in order, each line prefixed
 * with its speaker, never over `budgetTokens`. Greedy: the best sentence per token that still fits,
 * then terms it used count less (so the next pick says something new). Example:
 * `summariseExtractive(messages, { budgetTokens: 200, countTokens: tokenizer.count })` ->
 * `{ text: "Aldric: I promise to return the silver compass by the winter solstice.", … }`.
 */
export function summariseExtractive(messages: readonly ExtractiveMessage[], options: ExtractiveOptions): ExtractiveSummary {
  const { countTokens, budgetTokens } = options;
  if (!(budgetTokens > 0)) return { text: '', tokens: 0, sentences: [], messageIds: [] };
  const { units, stats } = readUnits(messages, countTokens);
  const weights = termWeights(stats);
  const prefixTokens = new Map<number, number>();
  const openMessages = new Set<number>();
  // Estimated cost of adding a sentence: a BPE tokenizer folds the space before a word into the word,
  // so "Mira:" + sentence, plus a newline when a line is already there. The real text is checked below.
  const lineCost = (unit: Unit, open: boolean): number => {
    if (open) return unit.tokens;
    let prefix = prefixTokens.get(unit.message);
    if (prefix === undefined) prefixTokens.set(unit.message, (prefix = countTokens(lineStart(speakerOf(messages[unit.message]!)).trim())));
    return unit.tokens + prefix + (openMessages.size > 0 ? 1 : 0);
  };

  const kept: { unit: Unit; score: number }[] = [];
  const keptTerms: Set<string>[] = [];
  const done = new Set<number>();
  let remaining = budgetTokens;
  for (;;) {
    let best: Unit | undefined;
    let bestScore = 0;
    let bestKey = 0;
    for (const unit of units) {
      if (done.has(unit.index)) continue;
      if (lineCost(unit, openMessages.has(unit.message)) > remaining) continue;
      const score = unitScore(unit, weights);
      const key = score / unit.tokens ** EXTRACTIVE_LENGTH_EXPONENT;
      if (key > bestKey) [best, bestScore, bestKey] = [unit, score, key];
    }
    if (!best) break;
    done.add(best.index);
    const unit = best;
    if (keptTerms.some((set) => overlap(unit.terms, set) >= EXTRACTIVE_DUPLICATE_OVERLAP)) continue;
    remaining -= lineCost(unit, openMessages.has(unit.message));
    openMessages.add(unit.message);
    kept.push({ unit, score: bestScore });
    keptTerms.push(new Set(unit.terms));
    for (const term of unit.terms) weights.set(term, (weights.get(term) ?? 0) * EXTRACTIVE_REDUNDANCY_DECAY);
  }

  // The per-sentence costs are an estimate (a tokenizer may merge across a join): check the real text.
  let text = render(messages, kept.map((k) => k.unit));
  let tokens = text ? countTokens(text) : 0;
  while (tokens > budgetTokens && kept.length > 0) {
    let worst = 0;
    for (let i = 1; i < kept.length; i++) if (kept[i]!.score <= kept[worst]!.score) worst = i;
    kept.splice(worst, 1);
    text = render(messages, kept.map((k) => k.unit));
    tokens = text ? countTokens(text) : 0;
  }

  const ordered = [...kept].sort((a, b) => a.unit.index - b.unit.index);
  const sentences = ordered.map(({ unit, score }) => {
    const message = messages[unit.message]!;
    return { messageId: message.id, speaker: speakerOf(message), text: unit.text, score };
  });
  return { text, tokens, sentences, messageIds: [...new Set(sentences.map((s) => s.messageId))] };
}

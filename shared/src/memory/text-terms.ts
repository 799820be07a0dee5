/**
 * Text to retrieval terms: the one tokeniser recall and the extractive summariser share, so that a
 * query and what it should find are cut the same way. Lower-case, accents folded, English stop words
 * dropped, a light suffix stemmer, and CJK runs cut into character bigrams (those scripts put no
 * spaces between words; bigrams find words without a dictionary, as Lucene's CJK analyzer does).
 */
import { MIN_STEM_LENGTH } from './limits.ts';

/**
 * Combining diacritics of Latin, Greek and Cyrillic only. Other scripts' combining marks are letters in
 * effect: the kana voicing mark turns か into が, Devanagari vowel signs are vowels.
 */
const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;

/** Letters that carry their accent in the letter itself, so NFKD leaves them whole. */
const LETTER_FOLDS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ς: 'σ' };
const FOLDED_LETTERS = /[ßæœøłđðþıς]/g;

const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const CJK_CLASS = '\\p{scx=Han}\\p{scx=Hiragana}\\p{scx=Katakana}\\p{scx=Hangul}';
const HAS_CJK = new RegExp(`[${CJK_CLASS}]`, 'u');
const CJK_OR_NOT = new RegExp(`[${CJK_CLASS}]+|[^${CJK_CLASS}]+`, 'gu');
const CJK_RUN = new RegExp(`^[${CJK_CLASS}]`, 'u');
const LATIN_WORD = /^[a-z]+$/;
const VOWEL = /[aeiouy]/;

/**
 * A small English stop-word list: words so common that matching them says nothing about relevance.
 * Contractions appear without their apostrophe, as `terms` writes them ("don't" -> "dont").
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been being but by can could did do does doing dont for from had has have having he her hers ' +
    'him his how i im if in into is it its ive just me my no nor not of off on or our ours she so than that the their ' +
    'theirs them then there these they this those to too up us very was we were what when where which while who whom ' +
    'why will with would you your yours youre youll youve theyre weve wont cant didnt isnt wasnt ' +
    'am also all any some such own same other each more most about again once here out over under only should shall'
  ).split(' '),
);

/**
 * Lower-cases and folds accents ("Café" -> "cafe", "Straße" -> "strasse"); full-width and compatibility
 * forms become their plain letters. Kana and Hangul are kept composed.
 */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(DIACRITICS, '')
    .normalize('NFC')
    .replace(FOLDED_LETTERS, (letter) => LETTER_FOLDS[letter] ?? letter);
}

function strip(word: string, suffix: number, add = ''): string | null {
  const stem = word.slice(0, word.length - suffix) + add;
  return stem.length >= MIN_STEM_LENGTH && VOWEL.test(stem) ? stem : null;
}

function stripPlural(word: string): string {
  if (word.endsWith('ies') || word.endsWith('ied')) return strip(word, 3, 'y') ?? strip(word, 1) ?? word;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (/(?:[sxz]|ch|sh)es$/.test(word)) return strip(word, 2) ?? word;
  if (word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return strip(word, 1) ?? word;
  return word;
}

function stripVerb(word: string): string | null {
  if (word.endsWith('ing')) return strip(word, 3);
  // "agreed" -> "agree", but "need", "seed" and "bleed" are words of their own.
  if (word.endsWith('eed')) return word.length > 5 ? word.slice(0, -1) : null;
  if (word.endsWith('ed')) return strip(word, 2);
  return null;
}

/**
 * A light, predictable English stemmer: plural `-s/-es/-ies`, then `-ing/-ed` (undoubling "stopp" ->
 * "stop"), then a final silent `e`, so "promise", "promises", "promised" and "promising" all become
 * "promis". Stems are keys, not words. Only plain a-z words are touched; no stem is shorter than
 * MIN_STEM_LENGTH, so "sing" and "ring" stay whole.
 */
export function stem(word: string): string {
  if (word.length <= MIN_STEM_LENGTH || !LATIN_WORD.test(word)) return word;
  let result = stripPlural(word);
  const verb = stripVerb(result);
  if (verb !== null) {
    result = verb;
    const last = result.at(-1) ?? '';
    if (result.length > MIN_STEM_LENGTH && last === result.at(-2) && !'aeiouylsz'.includes(last)) result = result.slice(0, -1);
  }
  if (result.endsWith('e') && !result.endsWith('ee') && result.length > MIN_STEM_LENGTH) result = result.slice(0, -1);
  return result;
}

function pushCjk(run: string, out: string[]): void {
  const chars = Array.from(run);
  if (chars.length === 1) out.push(run);
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
}

function pushWord(word: string, out: string[], keepStopWords: boolean): void {
  if (!keepStopWords && STOP_WORDS.has(word)) return;
  out.push(stem(word));
}

export interface TermsOptions {
  /** Keep stop words (default false): a phrase check may want them. */
  keepStopWords?: boolean;
}

/**
 * The retrieval terms of a text, in reading order with repeats. Example:
 * `terms("Aldric's promise: return the Compass by 1,000 nights")` -> `["aldric", "promis", "return",
 * "compass", "1000", "night"]`; `terms("銀の羅針盤")` -> `["銀の", "の羅", "羅針", "針盤"]`.
 */
export function terms(text: string, options: TermsOptions = {}): string[] {
  const keepStopWords = options.keepStopWords ?? false;
  const folded = foldText(text)
    // Possessive "'s" says nothing; other inner apostrophes join ("don't" -> "dont", "o'brien" -> "obrien").
    .replace(/(\p{L})['’]s(?![\p{L}\p{N}])/gu, '$1')
    .replace(/(\p{L})['’](?=\p{L})/gu, '$1')
    // Thousands separators, so "1,000" finds "1000".
    .replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  const out: string[] = [];
  for (const [word] of folded.matchAll(WORD)) {
    if (!HAS_CJK.test(word)) {
      pushWord(word, out, keepStopWords);
      continue;
    }
    for (const [part] of word.matchAll(CJK_OR_NOT)) {
      if (CJK_RUN.test(part)) pushCjk(part, out);
      else pushWord(part, out, keepStopWords);
    }
  }
  return out;
}

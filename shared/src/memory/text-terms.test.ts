import { describe, expect, it } from 'vitest';
import { foldText, stem, STOP_WORDS, terms } from './text-terms.ts';

describe('foldText', () => {
  it.each([
    ['Café', 'cafe'],
    ['ÉCOLE naïve Ångström', 'ecole naive angstrom'],
    ['Straße', 'strasse'],
    ['Øresund Łódź', 'oresund lodz'],
    ['ＡＢＣ１２３', 'abc123'],
    ['ﬁne', 'fine'],
    ['İstanbul', 'istanbul'],
    ['Tiếng Việt', 'tieng viet'],
  ])('%s -> %s', (input, expected) => {
    expect(foldText(input)).toBe(expected);
  });

  it('keeps kana voicing, Hangul syllables and Indic vowel signs, which are letters in effect', () => {
    expect(foldText('がぎぐ')).toBe('がぎぐ');
    expect(foldText('ｶﾞｷ')).toBe('ガキ');
    expect(foldText('학교')).toBe('학교');
    expect(foldText('हिन्दी')).toBe('हिन्दी');
  });
});

describe('stem', () => {
  it.each([
    [['promise', 'promises', 'promised', 'promising'], 'promis'],
    [['run', 'running', 'runs'], 'run'],
    [['stop', 'stopped', 'stopping', 'stops'], 'stop'],
    [['walk', 'walks', 'walked', 'walking'], 'walk'],
    [['party', 'parties'], 'party'],
    [['cry', 'cries', 'cried', 'crying'], 'cry'],
    [['box', 'boxes'], 'box'],
    [['kiss', 'kisses'], 'kiss'],
    [['wish', 'wishes', 'wished'], 'wish'],
    [['agree', 'agreed'], 'agree'],
    [['make', 'making'], 'mak'],
    [['injury', 'injuries'], 'injury'],
    [['fall', 'falling', 'falls'], 'fall'],
  ])('%j all become %s', (words, expected) => {
    for (const word of words) expect(stem(word), word).toBe(expected);
  });

  it.each(['sing', 'king', 'ring', 'thing', 'need', 'seed', 'glass', 'status', 'crisis', 'bus', 'red', 'tree'])(
    'leaves %s whole',
    (word) => {
      expect(stem(word)).toBe(word);
    },
  );

  it('touches only plain a-z words', () => {
    expect(stem('1990s')).toBe('1990s');
    expect(stem('книги')).toBe('книги');
    expect(stem('北京')).toBe('北京');
  });

  it('never leaves a stem shorter than three letters or without a vowel', () => {
    for (const word of ['shed', 'bled', 'used', 'goes', 'dies', 'ties', 'bring']) {
      const result = stem(word);
      expect(result.length, word).toBeGreaterThanOrEqual(3);
      expect(result, word).toMatch(/[aeiouy]/);
    }
  });
});

describe('terms', () => {
  it('lower-cases, folds, drops stop words and stems, in reading order', () => {
    expect(terms("Aldric's promise: return the Compass by 1,000 nights")).toEqual(['aldric', 'promis', 'return', 'compass', '1000', 'night']);
  });

  it('splits on anything that is not a letter, mark or digit', () => {
    expect(terms('sword—shield/helm;ring...bow')).toEqual(['sword', 'shield', 'helm', 'ring', 'bow']);
    expect(terms('room 42, floor 3')).toEqual(['room', '42', 'floor', '3']);
  });

  it('joins inner apostrophes instead of leaving single letters', () => {
    expect(terms("O'Brien won't go", { keepStopWords: true })).toEqual(['obrien', 'wont', 'go']);
    expect(terms('I don’t know')).toEqual(['know']);
  });

  it('cuts query and document forms to the same terms', () => {
    expect(terms('PROMISED to RETURN')).toEqual(terms('promise returning'));
    expect(terms('cafés')).toEqual(terms('Cafe'));
  });

  it('keeps stop words when asked', () => {
    expect(terms('the king and I', { keepStopWords: true })).toEqual(['the', 'king', 'and', 'i']);
    expect(terms('the king and I')).toEqual(['king']);
  });

  it('cuts CJK runs into overlapping character bigrams', () => {
    expect(terms('我们明天去北京。')).toEqual(['我们', '们明', '明天', '天去', '去北', '北京']);
    expect(terms('銀の羅針盤')).toEqual(['銀の', 'の羅', '羅針', '針盤']);
    expect(terms('학교에 갔어요')).toEqual(['학교', '교에', '갔어', '어요']);
  });

  it('keeps a lone CJK character, and Latin next to CJK as its own word', () => {
    expect(terms('猫')).toEqual(['猫']);
    expect(terms('我爱Paris')).toEqual(['我爱', 'paris']);
  });

  it('finds a CJK word inside a longer run', () => {
    const document = new Set(terms('他答应在冬至前归还银色指南针'));
    for (const term of terms('指南针')) expect(document.has(term)).toBe(true);
  });

  it('returns nothing for empty or punctuation-only text', () => {
    expect(terms('')).toEqual([]);
    expect(terms('... !!! —')).toEqual([]);
    expect(terms('the and of')).toEqual([]);
  });

  it('has a small stop-word list without story words', () => {
    expect(STOP_WORDS.size).toBeLessThan(200);
    for (const word of ['ill', 'shed', 'will', 'the']) expect(STOP_WORDS.has(word)).toBe(word === 'will' || word === 'the');
  });
});

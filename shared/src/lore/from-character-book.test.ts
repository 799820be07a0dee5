import { describe, expect, it } from 'vitest';
import { parseCardObject, type Lorebook } from '../cards/index.ts';
import eldoriaJson from '../../../../shared/fixtures/cards/st-Eldoria.worldinfo.json';
import { activate } from './activate.ts';
import { loreBookFromCharacterBook, loreEntryFromCharacterBookEntry, type CharacterBookEntryLike } from './from-character-book.ts';
import type { LoreEntry } from './types.ts';
import { countWords } from './test-support.ts';

const base: CharacterBookEntryLike = { keys: ['k'], content: 'c', enabled: true, insertion_order: 10 };

describe('loreEntryFromCharacterBookEntry', () => {
  it.each<[string, Partial<CharacterBookEntryLike>, Partial<LoreEntry>]>([
    ['plain CCv3 fields', { id: 7, secondary_keys: ['s'], comment: 'note', constant: true, selective: true }, { uid: 7, secondaryKeys: ['s'], comment: 'note', constant: true, selective: true, order: 10 }],
    ['uid falls back to the index', {}, { uid: 3 }],
    ['name stands in for a missing comment', { name: 'Named' }, { comment: 'Named' }],
    ['CCv3 before_char', { position: 'before_char' }, { position: 'before_char' }],
    ['no position means after the character (SillyTavern)', {}, { position: 'after_char' }],
    ['SillyTavern numeric position wins', { position: 'before_char', extensions: { position: 4 } }, { position: 'at_depth' }],
    ['disabled', { enabled: false }, { enabled: false }],
    ['CCv3 case_sensitive', { case_sensitive: true }, { caseSensitive: true }],
    [
      'SillyTavern extension fields',
      {
        extensions: {
          depth: 2,
          role: 1,
          probability: 40,
          useProbability: false,
          selectiveLogic: 3,
          group: 'g1, g2',
          group_override: true,
          group_weight: 250,
          use_group_scoring: true,
          scan_depth: 5,
          case_sensitive: false,
          match_whole_words: true,
          exclude_recursion: true,
          prevent_recursion: true,
          delay_until_recursion: 2,
          sticky: 3,
          cooldown: 4,
          delay: 5,
          ignore_budget: true,
        },
      },
      {
        depth: 2,
        role: 'user',
        probability: 40,
        useProbability: false,
        selectiveLogic: 3,
        group: 'g1, g2',
        groupOverride: true,
        groupWeight: 250,
        useGroupScoring: true,
        scanDepth: 5,
        caseSensitive: false,
        matchWholeWords: true,
        excludeRecursion: true,
        preventRecursion: true,
        delayUntilRecursion: 2,
        sticky: 3,
        cooldown: 4,
        delay: 5,
        ignoreBudget: true,
      },
    ],
    [
      'SillyTavern nulls and junk fall back to defaults',
      { extensions: { sticky: null, scan_depth: null, role: null, probability: 'often', selectiveLogic: 9 } },
      { sticky: 0, scanDepth: null, role: 'system', probability: 100, selectiveLogic: 0 },
    ],
  ])('%s', (_name, entry, expected) => {
    expect(loreEntryFromCharacterBookEntry({ ...base, ...entry }, 3)).toMatchObject(expected);
  });
});

describe('loreBookFromCharacterBook', () => {
  const book = { name: 'Book', scan_depth: 50, token_budget: 300, recursive_scanning: false, entries: [base] };

  it('ignores book-level settings by default, as SillyTavern does', () => {
    expect(loreBookFromCharacterBook(book, 'fallback')).toEqual({ name: 'Book', entries: [expect.objectContaining({ keys: ['k'] })] });
  });

  it('applies them on request', () => {
    expect(loreBookFromCharacterBook(book, 'fallback', { bookSettings: true })).toMatchObject({ scanDepth: 50, tokenBudget: 300, recursiveScanning: false });
  });

  it('names an unnamed book', () => {
    expect(loreBookFromCharacterBook({ entries: [] }, 'fallback').name).toBe('fallback');
  });

  it('reads what shared/src/cards makes of a SillyTavern World Info file', () => {
    const parsed = parseCardObject(eldoriaJson, 'Eldoria');
    if (parsed.kind !== 'lorebook') throw new Error('expected a lorebook');
    const lorebook: Lorebook = parsed.lorebook;
    const eldoria = loreBookFromCharacterBook(lorebook, 'Eldoria');
    expect(eldoria.entries.map((entry) => [entry.uid, entry.position, entry.depth, entry.selective])).toEqual([
      [0, 'before_char', 4, true],
      [1, 'before_char', 4, true],
      [2, 'before_char', 4, true],
      [3, 'before_char', 4, true],
    ]);
    const result = activate({ books: { character: [eldoria] }, messages: ['Ann: Beware the beasts of the forest.'], contextSize: 8192, countTokens: countWords });
    expect(result.entries.map((entry) => entry.comment).sort()).toEqual(['eldoria', 'shadowfang']);
  });
});

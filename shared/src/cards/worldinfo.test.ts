import { describe, expect, it } from 'vitest';
import { utf8Decode } from './bytes.ts';
import type { NormalizeContext } from './coerce.ts';
import { resolveLimits } from './limits.ts';
import type { JsonObject, JsonValue, Lorebook, LorebookEntry } from './model.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { errorCode, FIXTURES, readFixture } from './test-support.ts';
import {
  BOOK_FIELDS_CARRIER,
  keepsEveryField,
  lorebookToWorldInfo,
  ST_FIELDS_CARRIER,
  worldInfoToLorebook,
  type WorldInfoFile,
} from './worldinfo.ts';

function context(): NormalizeContext {
  return { warnings: [], limits: resolveLimits() };
}

function fixtureJson(name: string): JsonObject {
  return JSON.parse(utf8Decode(readFixture(name))) as JsonObject;
}

/** World Info -> lorebook -> World Info. */
function roundTrip(file: JsonObject): WorldInfoFile {
  return lorebookToWorldInfo(worldInfoToLorebook(file, context()));
}

function entriesOf(file: JsonObject | WorldInfoFile): Record<string, JsonObject> {
  return file['entries'] as Record<string, JsonObject>;
}

/** Every entry of `original` survives with every field it had. */
function expectEveryFieldKept(original: JsonObject, copy: WorldInfoFile): void {
  const before = entriesOf(original);
  const after = entriesOf(copy);
  expect(Object.keys(after)).toEqual(Object.keys(before));
  for (const [uid, entry] of Object.entries(before)) {
    for (const [field, value] of Object.entries(entry)) {
      expect(after[uid]?.[field], `entry ${uid} field ${field}`).toEqual(value);
    }
  }
}

const modernEntry: JsonObject = {
  uid: 7,
  key: ['alpha', '/be+ta/i'],
  keysecondary: ['gamma'],
  comment: 'memo',
  content: 'Alpha content',
  constant: true,
  vectorized: true,
  selective: true,
  selectiveLogic: 3,
  addMemo: true,
  order: 42,
  position: 4,
  disable: true,
  excludeRecursion: true,
  preventRecursion: true,
  delayUntilRecursion: 2,
  probability: 55,
  useProbability: false,
  depth: 7,
  group: 'g1,g2',
  groupOverride: true,
  groupWeight: 30,
  scanDepth: 5,
  caseSensitive: true,
  matchWholeWords: false,
  useGroupScoring: true,
  automationId: 'auto-1',
  role: 2,
  sticky: 3,
  cooldown: 4,
  delay: 1,
  displayIndex: 9,
  outletName: 'outlet',
  matchPersonaDescription: true,
  matchCharacterDescription: true,
  matchCharacterPersonality: false,
  matchCharacterDepthPrompt: true,
  matchScenario: false,
  matchCreatorNotes: true,
  triggers: ['normal', 'swipe'],
  ignoreBudget: true,
  characterFilter: { isExclude: true, names: ['Bob'], tags: ['t1'] },
};

describe('worldInfoToLorebook', () => {
  it('maps Eldoria the way SillyTavern embeds it in Seraphina', () => {
    const book = worldInfoToLorebook(fixtureJson(FIXTURES.eldoria), context(), 'Eldoria');
    expect(book.name).toBe('Eldoria');
    expect(book.entries).toHaveLength(4);
    const entry = book.entries[0]!;
    expect(entry).toMatchObject({
      id: 0,
      keys: ['eldoria', 'wood', 'forest', 'magical forest'],
      secondary_keys: [],
      comment: 'eldoria',
      constant: false,
      selective: true,
      insertion_order: 100,
      enabled: true,
      position: 'before_char',
      use_regex: true,
    });
    expect(entry.extensions).toMatchObject({
      position: 0,
      exclude_recursion: false,
      display_index: 0,
      probability: 100,
      useProbability: true,
      depth: 4,
      selectiveLogic: 0,
      group: '',
      group_override: false,
      group_weight: 100,
      prevent_recursion: false,
      delay_until_recursion: false,
      scan_depth: null,
      match_whole_words: null,
      case_sensitive: null,
      automation_id: '',
      vectorized: false,
      sticky: 0,
      cooldown: 0,
      delay: 0,
    });
    // SillyTavern's own copy in Seraphina has the same entries.
    const seraphinaKeys = [['eldoria', 'wood', 'forest', 'magical forest'], ['shadowfang', 'beast', 'monster', 'monsters', 'beasts'], ['glade', 'safe haven', 'refuge'], ['power', 'magic', 'ability']];
    expect(book.entries.map((e) => e.keys)).toEqual(seraphinaKeys);
  });

  it('maps every modern field, and SillyTavern values like null verbatim', () => {
    const book = worldInfoToLorebook({ entries: { 7: modernEntry } }, context());
    const entry = book.entries[0]!;
    expect(entry).toMatchObject({ id: 7, enabled: false, constant: true, position: 'after_char', insertion_order: 42 });
    expect(entry.extensions).toMatchObject({
      position: 4,
      selectiveLogic: 3,
      delay_until_recursion: 2,
      outlet_name: 'outlet',
      match_creator_notes: true,
      triggers: ['normal', 'swipe'],
      ignore_budget: true,
      character_filter: { isExclude: true, names: ['Bob'], tags: ['t1'] },
      case_sensitive: true,
      role: 2,
    });
    expect(entry.extensions[ST_FIELDS_CARRIER]).toBeUndefined();
  });

  it('fills SillyTavern defaults for fields an old file lacks', () => {
    const book = worldInfoToLorebook({ entries: { 0: { uid: 0, key: ['k'], content: 'c' } } }, context());
    expect(book.entries[0]).toMatchObject({ comment: '', constant: false, selective: false, insertion_order: 100, enabled: true, position: 'before_char' });
    expect(book.entries[0]?.extensions).toMatchObject({ position: 0, probability: 100, useProbability: true, depth: 4, role: 0, sticky: null, triggers: [] });
  });

  it('carries fields CCv3 has no home for', () => {
    const book = worldInfoToLorebook(
      { entries: { 0: { uid: 0, key: ['k'], content: 'c', comment: 'named', addMemo: false, futureField: { x: 1 } } } },
      context(),
    );
    expect(book.entries[0]?.extensions[ST_FIELDS_CARRIER]).toEqual({ addMemo: false, futureField: { x: 1 } });
  });

  it('does not carry addMemo when it agrees with the comment', () => {
    const book = worldInfoToLorebook({ entries: { 0: { uid: 0, key: [], content: '', comment: 'x', addMemo: true } } }, context());
    expect(book.entries[0]?.extensions[ST_FIELDS_CARRIER]).toBeUndefined();
  });

  it('merges an entry’s own extensions, with the mapped fields winning', () => {
    const book = worldInfoToLorebook(
      { entries: { 0: { uid: 0, key: [], content: '', position: 1, extensions: { 'vendor/x': 1, position: 0 } } } },
      context(),
    );
    expect(book.entries[0]?.extensions).toMatchObject({ 'vendor/x': 1, position: 1 });
  });

  it('uses the entry key when the uid is missing, and the index as a last resort', () => {
    const ctx = context();
    const book = worldInfoToLorebook({ entries: { 12: { key: ['a'], content: '' }, x: { key: ['b'], content: '' } } }, ctx);
    expect(book.entries.map((e) => e.id)).toEqual([12, 1]);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('reads entries stored as a list and drops entries that are not objects', () => {
    const ctx = context();
    const book = worldInfoToLorebook({ entries: [{ uid: 0, key: ['a'], content: '' }, 'junk'] }, ctx);
    expect(book.entries).toHaveLength(1);
    expect(ctx.warnings.length).toBe(2);
  });

  it('coerces mistyped mapped fields with warnings', () => {
    const ctx = context();
    const book = worldInfoToLorebook({ entries: { 0: { uid: 0, key: 'solo', content: 5, order: '10', disable: 'true' } } }, ctx);
    expect(book.entries[0]).toMatchObject({ keys: ['solo'], content: '5', insertion_order: 10, enabled: false });
    expect(ctx.warnings).toHaveLength(4);
  });

  it('keeps book-level fields and unknown top-level keys', () => {
    const book = worldInfoToLorebook(
      { name: 'Named', description: 'd', scan_depth: 2, token_budget: 9, recursive_scanning: true, extensions: { e: 1 }, originalData: { entries: [] }, entries: {} },
      context(),
      'file-name',
    );
    expect(book).toEqual({ name: 'Named', description: 'd', scan_depth: 2, token_budget: 9, recursive_scanning: true, extensions: { e: 1 }, entries: [], originalData: { entries: [] } });
  });

  it('refuses files without entries and too many entries', () => {
    expect(errorCode(() => worldInfoToLorebook({ entries: 'x' }, context()))).toBe('card/invalid-field');
    expect(errorCode(() => worldInfoToLorebook([], context()))).toBe('card/unknown-format');
    const entries = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [String(i), { uid: i, key: [], content: '' }]));
    const ctx: NormalizeContext = { warnings: [], limits: resolveLimits({ maxLorebookEntries: 2 }) };
    expect(errorCode(() => worldInfoToLorebook({ entries }, ctx))).toBe('lorebook/too-many-entries');
  });
});

describe('World Info -> lorebook -> World Info', () => {
  it('keeps every field of every Eldoria entry', () => {
    const original = fixtureJson(FIXTURES.eldoria);
    const copy = roundTrip(original);
    expectEveryFieldKept(original, copy);
    for (const [uid, entry] of Object.entries(entriesOf(original))) {
      expect(keepsEveryField(entry, entriesOf(copy)[uid]!)).toBe(true);
    }
  });

  it('only adds fields at SillyTavern defaults to Eldoria', () => {
    const copy = roundTrip(fixtureJson(FIXTURES.eldoria));
    const original = entriesOf(fixtureJson(FIXTURES.eldoria))['0']!;
    const added = Object.keys(entriesOf(copy)['0']!).filter((k) => !(k in original));
    expect(added.sort(), JSON.stringify(added)).toEqual(
      [
        'extensions',
        'ignoreBudget',
        'matchCharacterDepthPrompt',
        'matchCharacterDescription',
        'matchCharacterPersonality',
        'matchCreatorNotes',
        'matchPersonaDescription',
        'matchScenario',
        'outletName',
        'selectiveLogic',
        'triggers',
      ].sort(),
    );
    expect(entriesOf(copy)['0']!['extensions']).toEqual({});
    expect(Object.keys(copy)).toEqual(['entries']);
  });

  it('keeps every field of an entry using the full modern field set', () => {
    const original = { entries: { 7: modernEntry } };
    const copy = roundTrip(original);
    expect(entriesOf(copy)['7']).toEqual({ ...modernEntry, extensions: {} });
  });

  it('keeps every field of the old minimal format', () => {
    const original: JsonObject = {
      entries: {
        0: { uid: 0, key: ['a'], keysecondary: [], comment: '', content: 'A', constant: false, selective: false, order: 100, position: 0 },
        3: { uid: 3, key: ['b'], content: 'B', disable: true },
      },
    };
    expectEveryFieldKept(original, roundTrip(original));
  });

  it('keeps unknown fields, a disagreeing addMemo and the entry’s own extensions', () => {
    const original: JsonObject = {
      entries: {
        1: { uid: 1, key: ['k'], content: 'c', comment: 'has comment', addMemo: false, futureField: [1, { two: 2 }], extensions: { 'vendor/x': { y: true } } },
      },
    };
    const copy = roundTrip(original);
    expectEveryFieldKept(original, copy);
    expect(entriesOf(copy)['1']!['extensions']).toEqual({ 'vendor/x': { y: true } });
  });

  it('keeps odd values SillyTavern writes (null roles, string positions)', () => {
    const original: JsonObject = {
      entries: {
        0: { uid: 0, key: [], content: '', role: null, position: '4', probability: null, sticky: null, group: 'x' },
        1: { uid: 1, key: [], content: '', position: null, displayIndex: null, caseSensitive: false },
      },
    };
    expectEveryFieldKept(original, roundTrip(original));
  });

  it('keeps uids that do not match their keys and duplicate uids', () => {
    const original: JsonObject = { entries: { 5: { uid: 5, key: ['a'], content: 'A' }, 6: { uid: 5, key: ['b'], content: 'B' } } };
    const book = worldInfoToLorebook(original, context());
    expect(book.entries.map((e) => e.id)).toEqual([5, 5]);
    const copy = lorebookToWorldInfo(book);
    expect(Object.keys(entriesOf(copy))).toEqual(['0', '5']);
    const again = worldInfoToLorebook(copy, context());
    expect(again.entries.map((e) => [e.id, e.content]).sort()).toEqual([[5, 'A'], [5, 'B']]);
  });

  it('gives the same lorebook when the written World Info is read again', () => {
    for (const file of [fixtureJson(FIXTURES.eldoria), { entries: { 7: modernEntry } }, { entries: { 0: { key: ['x'], content: 'y', extra: 1, addMemo: true } } }]) {
      const first = worldInfoToLorebook(file, context(), 'book');
      const second = worldInfoToLorebook(lorebookToWorldInfo(first) as JsonValue, context(), 'book');
      expect(second).toEqual(first);
    }
  });
});

describe('lorebook -> World Info -> lorebook', () => {
  function bookTrip(book: Lorebook): Lorebook {
    return worldInfoToLorebook(lorebookToWorldInfo(book) as JsonValue, context());
  }

  function expectPresentFieldsKept(original: Lorebook, copy: Lorebook): void {
    expect(copy.entries).toHaveLength(original.entries.length);
    original.entries.forEach((entry, i) => {
      const after = copy.entries[i]!;
      for (const [field, value] of Object.entries(entry)) {
        if (field === 'extensions') continue;
        expect(after[field], `entry ${i} field ${field}`).toEqual(value);
      }
      for (const [key, value] of Object.entries(entry.extensions)) {
        expect(after.extensions[key], `entry ${i} extension ${key}`).toEqual(value);
      }
    });
    for (const key of ['name', 'description', 'scan_depth', 'token_budget', 'recursive_scanning'] as const) {
      expect(copy[key], key).toEqual(original[key]);
    }
    expect(copy.extensions).toEqual(original.extensions);
  }

  it('keeps every present field of the synthetic CCv3 book', () => {
    const book = normalizeLorebook((fixtureJson(FIXTURES.lorebookV3)['data'] ?? null) as JsonValue, 'data', context());
    expectPresentFieldsKept(book, bookTrip(book));
  });

  it('keeps every present field of SillyTavern’s own embedded book', () => {
    const seraphinaBook = normalizeLorebook(
      {
        name: 'Eldoria',
        entries: [
          {
            id: 0,
            keys: ['a'],
            secondary_keys: [],
            comment: 'a',
            content: 'A',
            constant: false,
            selective: true,
            insertion_order: 100,
            enabled: true,
            position: 'before_char',
            use_regex: true,
            extensions: { position: 0, display_index: 0, probability: 100, useProbability: true, depth: 4, role: 0, use_group_scoring: false },
          },
        ],
      },
      'book',
      context(),
    );
    const copy = bookTrip(seraphinaBook);
    expectPresentFieldsKept(seraphinaBook, copy);
    expect(copy.entries[0]?.extensions[BOOK_FIELDS_CARRIER]).toBeUndefined();
  });

  it('carries CCv3 fields World Info has no home for, then restores them', () => {
    const book = normalizeLorebook(
      {
        name: 'Carried',
        entries: [
          { id: 'text-id', keys: ['a'], content: 'A', name: 'named', priority: 4, case_sensitive: true, use_regex: false, position: 'before_char', mystery: { m: 1 }, extensions: { position: 4, 'vendor/x': 2 } },
          { id: 0, keys: ['b'], content: 'B', extensions: {} },
        ],
      },
      'book',
      context(),
    );
    const file = lorebookToWorldInfo(book);
    const first = entriesOf(file)['1']!;
    expect(first['caseSensitive']).toBe(true);
    expect(first['position']).toBe(4);
    expect((first['extensions'] as JsonObject)[BOOK_FIELDS_CARRIER]).toEqual({
      id: 'text-id',
      name: 'named',
      priority: 4,
      case_sensitive: true,
      use_regex: false,
      position: 'before_char',
      mystery: { m: 1 },
    });
    expectPresentFieldsKept(book, bookTrip(book));
  });

  it('gives entries without ids free uids, keeping existing ids', () => {
    const book = normalizeLorebook(
      { entries: [{ keys: ['a'], content: 'A' }, { id: 0, keys: ['b'], content: 'B' }, { id: 2, keys: ['c'], content: 'C' }, { id: 2, keys: ['d'], content: 'D' }] },
      'book',
      context(),
    );
    const file = lorebookToWorldInfo(book);
    const byContent = Object.fromEntries(Object.entries(entriesOf(file)).map(([uid, e]) => [e['content'], Number(uid)]));
    expect(byContent).toEqual({ A: 1, B: 0, C: 2, D: 3 });
    for (const [uid, entry] of Object.entries(entriesOf(file))) expect(entry['uid']).toBe(Number(uid));
  });

  it('writes SillyTavern defaults for a plain CCv3 entry, like SillyTavern’s own import', () => {
    const book: Lorebook = { extensions: {}, entries: [{ keys: ['k'], content: 'c', extensions: {}, enabled: true, insertion_order: 10, use_regex: false, position: 'before_char' } as LorebookEntry] };
    const wi = entriesOf(lorebookToWorldInfo(book))['0']!;
    expect(wi).toMatchObject({
      uid: 0,
      key: ['k'],
      keysecondary: [],
      comment: '',
      content: 'c',
      constant: false,
      selective: false,
      order: 10,
      position: 0,
      disable: false,
      addMemo: false,
      displayIndex: 0,
      probability: 100,
      useProbability: true,
      depth: 4,
      selectiveLogic: 0,
      group: '',
      groupOverride: false,
      groupWeight: 100,
      scanDepth: null,
      caseSensitive: null,
      role: 0,
      sticky: null,
      triggers: [],
      ignoreBudget: false,
    });
  });

  it('never lets a stale carrier override a mapped field', () => {
    const book = normalizeLorebook(
      { entries: [{ id: 0, keys: ['fresh'], content: 'fresh', extensions: { [ST_FIELDS_CARRIER]: { key: ['stale'], content: 'stale', addMemo: true } } }] },
      'book',
      context(),
    );
    const wi = entriesOf(lorebookToWorldInfo(book))['0']!;
    expect(wi['key']).toEqual(['fresh']);
    expect(wi['content']).toBe('fresh');
    expect(wi['addMemo']).toBe(true);
  });
});

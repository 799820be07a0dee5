import { describe, expect, it } from 'vitest';
import type { NormalizeContext } from './coerce.ts';
import { resolveLimits } from './limits.ts';
import type { JsonObject, JsonValue } from './model.ts';
import { detectCardVersion, normalizeCharacter, normalizeCharacterCard } from './normalize-character.ts';
import { errorCode } from './test-support.ts';

function context(): NormalizeContext {
  return { warnings: [], limits: resolveLimits() };
}

const minimalV2 = { spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Ada' } };

describe('detectCardVersion', () => {
  it('reads the version from spec', () => {
    expect(detectCardVersion({ spec: 'chara_card_v3', data: {} })).toBe(3);
    expect(detectCardVersion({ spec: 'chara_card_v2', data: {} })).toBe(2);
    expect(detectCardVersion({ name: 'flat' })).toBe(1);
    expect(detectCardVersion({ char_name: 'pyg' })).toBe(1);
    expect(detectCardVersion({ data: { name: 'no spec' } })).toBe(2);
    expect(detectCardVersion({ something: 'else' })).toBeUndefined();
  });

  it('refuses a spec it does not know, naming it', () => {
    expect(errorCode(() => detectCardVersion({ spec: 'chara_card_v4', data: {} }))).toBe('card/unsupported-spec');
    expect(() => detectCardVersion({ spec: 'chara_card_v4' })).toThrow(/"chara_card_v4"/);
  });
});

describe('normalizeCharacterCard', () => {
  it('fills every required V3 field for a minimal V2 card', () => {
    const { character, version } = normalizeCharacterCard(minimalV2, context());
    expect(version).toBe(2);
    expect(character).toEqual({
      spec: 'chara_card_v3',
      spec_version: '3.0',
      data: {
        name: 'Ada',
        description: '',
        personality: '',
        scenario: '',
        first_mes: '',
        mes_example: '',
        creator_notes: '',
        system_prompt: '',
        post_history_instructions: '',
        alternate_greetings: [],
        tags: [],
        creator: '',
        character_version: '',
        extensions: {},
        group_only_greetings: [],
      },
    });
  });

  it('leaves optional V3 fields absent when absent', () => {
    const { character } = normalizeCharacterCard(minimalV2, context());
    for (const key of ['assets', 'nickname', 'creator_notes_multilingual', 'source', 'creation_date', 'modification_date', 'character_book']) {
      expect(Object.hasOwn(character.data, key), key).toBe(false);
    }
  });

  it('keeps a V3 card spec_version and every V3 field', () => {
    const raw: JsonObject = {
      spec: 'chara_card_v3',
      spec_version: '3.1',
      data: {
        name: 'Vee',
        nickname: 'V',
        assets: [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png', extra: { kept: true } }],
        creator_notes_multilingual: { en: 'hi', ja: 'やあ' },
        source: ['https://example.invalid'],
        creation_date: 1,
        modification_date: 2,
        group_only_greetings: ['all of you'],
      },
    };
    const { character } = normalizeCharacterCard(raw, context());
    expect(character.spec_version).toBe('3.1');
    expect(character.data.nickname).toBe('V');
    expect(character.data.assets).toEqual([{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png', extra: { kept: true } }]);
    expect(character.data.creator_notes_multilingual).toEqual({ en: 'hi', ja: 'やあ' });
    expect(character.data.source).toEqual(['https://example.invalid']);
    expect([character.data.creation_date, character.data.modification_date]).toEqual([1, 2]);
    expect(character.data.group_only_greetings).toEqual(['all of you']);
  });

  it('keeps unknown keys at the top level, in data, in extensions and in the book', () => {
    const raw: JsonObject = {
      spec: 'chara_card_v3',
      spec_version: '3.0',
      mystery_top: { a: [1, 2] },
      data: {
        name: 'Keeper',
        mystery_data: 'x',
        extensions: { 'vendor/ext': { deep: { deeper: [null, true] } } },
        character_book: {
          entries: [{ keys: ['a'], content: 'b', extensions: { 'vendor/entry': 1 }, mystery_entry: 'y' }],
          extensions: { 'vendor/book': 2 },
          mystery_book: 'z',
        },
      },
    };
    const { character } = normalizeCharacterCard(raw, context());
    expect(character['mystery_top']).toEqual({ a: [1, 2] });
    expect(character.data['mystery_data']).toBe('x');
    expect(character.data.extensions).toEqual({ 'vendor/ext': { deep: { deeper: [null, true] } } });
    const book = character.data.character_book;
    expect(book?.['mystery_book']).toBe('z');
    expect(book?.extensions).toEqual({ 'vendor/book': 2 });
    expect(book?.entries[0]?.['mystery_entry']).toBe('y');
    expect(book?.entries[0]?.extensions).toEqual({ 'vendor/entry': 1 });
  });

  it('upgrades V2 without keeping a stale V2 spec', () => {
    const { character } = normalizeCharacterCard({ ...minimalV2, spec_version: '2.0' }, context());
    expect(character.spec).toBe('chara_card_v3');
    expect(character.spec_version).toBe('3.0');
  });

  it('drops the V1 mirror SillyTavern writes beside data, keeping its other top-level keys', () => {
    const raw: JsonObject = {
      name: 'Mira',
      description: 'desc',
      personality: '',
      first_mes: 'hello',
      avatar: 'none',
      chat: 'Mira - 2024-1-1',
      mes_example: '',
      scenario: '',
      create_date: '2024-1-1',
      talkativeness: '0.5',
      fav: false,
      creatorcomment: 'notes',
      tags: [],
      spec: 'chara_card_v2',
      spec_version: '2.0',
      data: {
        name: 'Mira',
        description: 'desc',
        first_mes: 'hello',
        creator_notes: 'notes',
        extensions: { talkativeness: '0.5', fav: false },
      },
    };
    const ctx = context();
    const { character } = normalizeCharacterCard(raw, ctx);
    expect(Object.keys(character).sort()).toEqual(['avatar', 'chat', 'create_date', 'data', 'spec', 'spec_version']);
    expect(ctx.warnings).toEqual([]);
  });

  it('fills gaps in data from the top-level mirror, and warns when they disagree', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard(
      {
        spec: 'chara_card_v2',
        name: 'Top',
        description: 'from top',
        talkativeness: '0.9',
        creatorcomment: 'top notes',
        data: { name: 'Data name', personality: null },
        personality: 'from top too',
      },
      ctx,
    );
    expect(character.data.personality).toBe('from top too');
    expect(character.data.name).toBe('Data name');
    expect(character.data.description).toBe('from top');
    expect(character.data.creator_notes).toBe('top notes');
    expect(character.data.extensions['talkativeness']).toBe('0.9');
    expect(ctx.warnings.map((w) => w.path)).toEqual(['name']);
  });

  it('coerces scalar fields of the wrong type and says so', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard(
      {
        spec: 'chara_card_v3',
        data: { name: 42, description: true, alternate_greetings: 'just one', tags: 'a, b', creation_date: '1700000000', source: 'https://x.invalid' },
      },
      ctx,
    );
    expect(character.data.name).toBe('42');
    expect(character.data.description).toBe('true');
    expect(character.data.alternate_greetings).toEqual(['just one']);
    expect(character.data.tags).toEqual(['a', 'b']);
    expect(character.data.creation_date).toBe(1700000000);
    expect(character.data.source).toEqual(['https://x.invalid']);
    expect(ctx.warnings.map((w) => w.path).sort()).toEqual(
      ['data.alternate_greetings', 'data.creation_date', 'data.description', 'data.name', 'data.source', 'data.tags'].sort(),
    );
  });

  it('reads date text as Unix seconds and drops dates it cannot read', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard(
      { spec: 'chara_card_v3', data: { name: 'D', creation_date: '2023-11-14T22:13:20Z', modification_date: 'last tuesday' } },
      ctx,
    );
    expect(character.data.creation_date).toBe(1700000000);
    expect(Object.hasOwn(character.data, 'modification_date')).toBe(false);
    expect(ctx.warnings).toHaveLength(2);
  });

  it('treats null as absent', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard(
      { spec: 'chara_card_v3', data: { name: 'N', description: null, character_book: null, extensions: null, nickname: null } },
      ctx,
    );
    expect(character.data.description).toBe('');
    expect(character.data.extensions).toEqual({});
    expect(Object.hasOwn(character.data, 'character_book')).toBe(false);
    expect(Object.hasOwn(character.data, 'nickname')).toBe(false);
    expect(ctx.warnings).toEqual([]);
  });

  it('refuses structures where text or objects belong', () => {
    const card = (data: JsonObject): JsonValue => ({ spec: 'chara_card_v3', data: { name: 'X', ...data } });
    expect(errorCode(() => normalizeCharacterCard(card({ description: { html: '<b>' } }), context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard(card({ extensions: ['a'] }), context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard(card({ character_book: 'none' }), context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard(card({ assets: 'icon.png' }), context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard(card({ creator_notes_multilingual: 'en' }), context()))).toBe('card/invalid-field');
    expect(() => normalizeCharacterCard(card({ first_mes: ['a'] }), context())).toThrow(/data\.first_mes must be text/);
  });

  it('refuses a card without a name or without data', () => {
    expect(errorCode(() => normalizeCharacterCard({ spec: 'chara_card_v3', data: { description: 'x' } }, context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard({ spec: 'chara_card_v3' }, context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeCharacterCard({ spec: 'chara_card_v2', data: 'oops' }, context()))).toBe('card/invalid-field');
  });

  it('refuses things that are not cards', () => {
    expect(errorCode(() => normalizeCharacterCard([1, 2], context()))).toBe('card/unknown-format');
    expect(errorCode(() => normalizeCharacterCard({ hello: 'world' }, context()))).toBe('card/unknown-format');
  });

  it('drops non-object assets with a warning and fills missing asset fields', () => {
    const ctx = context();
    const { character } = normalizeCharacterCard(
      { spec: 'chara_card_v3', data: { name: 'A', assets: ['icon.png', { type: 'icon', uri: 'ccdefault:' }] } },
      ctx,
    );
    expect(character.data.assets).toEqual([{ type: 'icon', uri: 'ccdefault:', name: '', ext: '' }]);
    expect(ctx.warnings[0]?.path).toBe('data.assets[0]');
  });

  it('keeps HTML and scripts in text verbatim (the UI renders text, not HTML)', () => {
    const html = '<script>alert(1)</script><img src=x onerror=alert(2)> {{char}} &amp;';
    const { character } = normalizeCharacterCard({ spec: 'chara_card_v3', data: { name: html, first_mes: html } }, context());
    expect(character.data.name).toBe(html);
    expect(character.data.first_mes).toBe(html);
  });

  it('does not alias the input', () => {
    const raw = { spec: 'chara_card_v3', data: { name: 'A', extensions: { deep: { x: 1 } }, tags: ['t'] } };
    const { character } = normalizeCharacterCard(raw, context());
    (character.data.extensions['deep'] as JsonObject)['x'] = 2;
    character.data.tags.push('u');
    expect(raw.data.extensions.deep.x).toBe(1);
    expect(raw.data.tags).toEqual(['t']);
  });
});

describe('normalizeCharacter', () => {
  it('is idempotent on normalised input and warns about nothing', () => {
    const first = normalizeCharacterCard({ spec: 'chara_card_v2', data: { name: 'I', tags: 'x,y', extensions: { a: 1 } } }, context()).character;
    const ctx = context();
    expect(normalizeCharacter(first, ctx)).toEqual(first);
    expect(ctx.warnings).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { base64ToBytes, utf8Decode, utf8Encode } from './bytes.ts';
import {
  exportCharacterCharx,
  exportCharacterJson,
  exportCharacterPng,
  exportLorebookJson,
  exportWorldInfoJson,
  toV2Card,
  toWorldInfo,
} from './export.ts';
import type { Character, JsonObject } from './model.ts';
import { parseCardFile, type ParsedCharacterFile, type ParsedFile } from './parse.ts';
import { createMinimalPng, decodeTextChunk, encodePng, isTextChunk, readPngChunks, replaceTextChunks, textChunkKeyword } from './png.ts';
import { errorCode, FIXTURES, readFixture, sameBytes, textChunkList } from './test-support.ts';

function asCharacter(parsed: ParsedFile): ParsedCharacterFile {
  if (parsed.kind !== 'character') throw new Error(`expected a character, got ${parsed.kind}`);
  return parsed;
}

function fixtureCharacter(name: string): ParsedCharacterFile {
  return asCharacter(parseCardFile(readFixture(name), name));
}

function chunkJson(png: Uint8Array, keyword: string): JsonObject {
  const chunk = readPngChunks(png).find((c) => isTextChunk(c) && textChunkKeyword(c) === keyword);
  if (!chunk || !isTextChunk(chunk)) throw new Error(`no ${keyword} chunk`);
  return JSON.parse(utf8Decode(base64ToBytes(decodeTextChunk(chunk, 1 << 24)))) as JsonObject;
}

/** The PNG with only one of its two card chunks left. */
function keepOnly(png: Uint8Array, keyword: 'chara' | 'ccv3'): Uint8Array {
  return encodePng(replaceTextChunks(readPngChunks(png), [keyword === 'chara' ? 'ccv3' : 'chara'], []));
}

const V3_ONLY = ['assets', 'nickname', 'creator_notes_multilingual', 'source', 'group_only_greetings', 'creation_date', 'modification_date'];

describe('exportCharacterPng', () => {
  const kitchen = fixtureCharacter(FIXTURES.kitchenSink).character;

  it('writes chara (V2) and ccv3 (V3) tEXt chunks before IEND', () => {
    const png = exportCharacterPng(kitchen);
    expect(textChunkList(png)).toEqual([
      ['tEXt', 'chara'],
      ['tEXt', 'ccv3'],
    ]);
    expect(readPngChunks(png).at(-1)?.type).toBe('IEND');
    expect(chunkJson(png, 'chara')['spec']).toBe('chara_card_v2');
    expect(chunkJson(png, 'chara')['spec_version']).toBe('2.0');
    expect(chunkJson(png, 'ccv3')['spec']).toBe('chara_card_v3');
  });

  it('puts only V2 fields in the chara chunk, with SillyTavern’s V1 mirror beside them', () => {
    const v2 = chunkJson(exportCharacterPng(kitchen), 'chara');
    const data = v2['data'] as JsonObject;
    for (const key of V3_ONLY) expect(Object.hasOwn(data, key), key).toBe(false);
    expect(data['character_book']).toEqual(JSON.parse(JSON.stringify(kitchen.data.character_book)));
    expect(data['extensions']).toEqual(kitchen.data.extensions);
    expect(v2).toMatchObject({
      name: kitchen.data.name,
      description: kitchen.data.description,
      personality: kitchen.data.personality,
      scenario: kitchen.data.scenario,
      first_mes: kitchen.data.first_mes,
      mes_example: kitchen.data.mes_example,
      creatorcomment: kitchen.data.creator_notes,
      talkativeness: '0.5',
      fav: false,
      tags: kitchen.data.tags,
    });
  });

  it('can be read back through the ccv3 chunk alone, losslessly', () => {
    const parsed = asCharacter(parseCardFile(keepOnly(exportCharacterPng(kitchen), 'ccv3')));
    expect(parsed.pngChunk).toBe('ccv3');
    expect(parsed.character).toEqual(kitchen);
  });

  it('can be read back through the chara chunk alone, keeping every V2 field', () => {
    const parsed = asCharacter(parseCardFile(keepOnly(exportCharacterPng(kitchen), 'chara')));
    expect(parsed.pngChunk).toBe('chara');
    expect(parsed.sourceFormat).toBe('v2-png');
    const { data } = parsed.character;
    for (const [key, value] of Object.entries(kitchen.data)) {
      if (V3_ONLY.includes(key)) continue;
      expect(data[key], key).toEqual(value);
    }
    expect(data.group_only_greetings).toEqual([]);
    expect(parsed.warnings).toEqual([]);
  });

  it('keeps the top-level keys SillyTavern writes (avatar, chat, create_date) in both chunks', () => {
    const seraphina = fixtureCharacter(FIXTURES.seraphina).character;
    const png = exportCharacterPng(seraphina);
    expect(chunkJson(png, 'chara')).toMatchObject({ avatar: 'none', create_date: '2023-5-12 @21h 32m 29s 228ms' });
    expect(chunkJson(png, 'ccv3')).toMatchObject({ avatar: 'none', create_date: '2023-5-12 @21h 32m 29s 228ms' });
    expect(Object.hasOwn(chunkJson(png, 'ccv3'), 'name')).toBe(false);
  });

  it('reads Seraphina’s chara chunk the same as her ccv3 chunk (as SillyTavern wrote them)', () => {
    const original = readFixture(FIXTURES.seraphina);
    const viaChara = asCharacter(parseCardFile(keepOnly(original, 'chara')));
    const viaCcv3 = asCharacter(parseCardFile(keepOnly(original, 'ccv3')));
    expect(viaChara.sourceFormat).toBe('v2-png');
    expect(viaChara.character).toEqual(viaCcv3.character);
  });

  it('writes into the given image, replacing its old card chunks', () => {
    const seraphina = fixtureCharacter(FIXTURES.seraphina);
    const original = readFixture(FIXTURES.seraphina);
    const png = exportCharacterPng(kitchen, { image: original });
    expect(textChunkList(png)).toEqual([
      ['tEXt', 'chara'],
      ['tEXt', 'ccv3'],
    ]);
    const idat = (bytes: Uint8Array): Uint8Array => readPngChunks(bytes).find((c) => c.type === 'IDAT')!.data;
    expect(sameBytes(idat(png), idat(original))).toBe(true);
    expect(asCharacter(parseCardFile(png)).character).toEqual(kitchen);
    expect(sameBytes(asCharacter(parseCardFile(png)).assets[0]!.bytes, seraphina.assets[0]!.bytes)).toBe(true);
  });

  it('uses a 1x1 PNG when there is no image', () => {
    const chunks = readPngChunks(exportCharacterPng(kitchen));
    expect(chunks[0]!.data.subarray(0, 8)).toEqual(readPngChunks(createMinimalPng())[0]!.data.subarray(0, 8));
  });

  it('refuses an image that is not a PNG', () => {
    expect(errorCode(() => exportCharacterPng(kitchen, { image: utf8Encode('not an image') }))).toBe('png/malformed');
  });

  it('keeps text in every script, HTML and macros verbatim', () => {
    const text = '<script>alert("x")</script> {{char}} — Zoë 🎭 中文 العربية \u0000 \r\n';
    const card = asCharacter(parseCardFile(utf8Encode(JSON.stringify({ spec: 'chara_card_v3', data: { name: text, first_mes: text, extensions: { [text]: text } } })))).character;
    const back = asCharacter(parseCardFile(exportCharacterPng(card))).character;
    expect(back.data.name).toBe(text);
    expect(back.data.first_mes).toBe(text);
    expect(back.data.extensions[text]).toBe(text);
    const viaChara = asCharacter(parseCardFile(keepOnly(exportCharacterPng(card), 'chara'))).character;
    expect(viaChara.data.first_mes).toBe(text);
  });
});

describe('V1 and V2 cards made here, through every writer', () => {
  const v1 = {
    name: 'Flat Fran',
    description: 'Flat card',
    personality: 'calm',
    scenario: 'A field.',
    first_mes: 'Hello.',
    mes_example: '<START>',
    creatorcomment: 'v1 notes',
    talkativeness: '0.3',
    fav: true,
    avatar: 'none',
    create_date: 'long ago',
    tags: 'a,b',
  };
  const v2 = {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name: 'Vee Two',
      description: 'd',
      personality: 'p',
      scenario: 's',
      first_mes: 'f',
      mes_example: 'm',
      creator_notes: 'n',
      system_prompt: '{{original}} sys',
      post_history_instructions: 'phi',
      alternate_greetings: ['g1', 'g2'],
      tags: ['x'],
      creator: 'c',
      character_version: '2',
      extensions: { 'tool/x': { y: [1] } },
      character_book: { entries: [{ keys: ['k'], content: 'v', extensions: {}, enabled: true, insertion_order: 1 }], extensions: {} },
      unknown_v2_field: 'kept',
    },
  };

  it.each([
    ['V1', v1],
    ['V2', v2],
  ])('%s survives PNG, JSON and CHARX', (_label, raw) => {
    const first = asCharacter(parseCardFile(utf8Encode(JSON.stringify(raw)))).character;
    const viaPng = asCharacter(parseCardFile(exportCharacterPng(first))).character;
    const viaJson = asCharacter(parseCardFile(utf8Encode(exportCharacterJson(first)))).character;
    const viaCharx = asCharacter(parseCardFile(exportCharacterCharx(first, []))).character;
    expect(viaPng).toEqual(first);
    expect(viaJson).toEqual(first);
    expect(viaCharx).toEqual(first);
  });

  it('V1 keeps its mirror values when written as V2', () => {
    const first = asCharacter(parseCardFile(utf8Encode(JSON.stringify(v1)))).character;
    const card = toV2Card(first);
    expect(card).toMatchObject({ name: 'Flat Fran', creatorcomment: 'v1 notes', talkativeness: '0.3', fav: true, avatar: 'none', create_date: 'long ago', tags: ['a', 'b'] });
  });

  it('V2 keeps unknown data fields in the chara chunk', () => {
    const first = asCharacter(parseCardFile(utf8Encode(JSON.stringify(v2)))).character;
    expect((toV2Card(first)['data'] as JsonObject)['unknown_v2_field']).toBe('kept');
  });
});

describe('exportCharacterJson', () => {
  it('writes a V3 card with spec first', () => {
    const card = fixtureCharacter(FIXTURES.kitchenSink).character;
    const text = exportCharacterJson(card);
    expect(text.startsWith('{\n  "spec": "chara_card_v3",\n  "spec_version": "3.0",\n  "data": {\n    "name"')).toBe(true);
  });

  it('normalises a hand-built or edited model before writing', () => {
    const edited = { spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Hand made', tags: 'a, b' } } as unknown as Character;
    const written = JSON.parse(exportCharacterJson(edited)) as { data: JsonObject };
    expect(written.data['tags']).toEqual(['a', 'b']);
    expect(written.data['first_mes']).toBe('');
  });

  it('refuses a model that cannot be a card', () => {
    const broken = { spec: 'chara_card_v3', spec_version: '3.0', data: { description: 'no name' } } as unknown as Character;
    expect(errorCode(() => exportCharacterJson(broken))).toBe('card/invalid-field');
  });
});

describe('lorebook writers', () => {
  it('writes lorebook_v3 with its spec', () => {
    const book = fixtureCharacter(FIXTURES.kitchenSink).character.data.character_book!;
    const written = JSON.parse(exportLorebookJson(book)) as JsonObject;
    expect(written['spec']).toBe('lorebook_v3');
    expect(written['data']).toEqual(JSON.parse(JSON.stringify(book)));
  });

  it('writes World Info keyed by uid with SillyTavern’s field names', () => {
    const book = fixtureCharacter(FIXTURES.kitchenSink).character.data.character_book!;
    const written = JSON.parse(exportWorldInfoJson(book)) as { entries: Record<string, JsonObject>; name: string };
    expect(Object.keys(written.entries)).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(written.name).toBe('Lighthouse Notes');
    expect(written.entries['1']).toMatchObject({ uid: 1, key: ['storm'], keysecondary: ['night', 'tonight'], selective: true, position: 1, order: 20, disable: false });
    expect(written.entries['5']?.['disable']).toBe(true);
    expect(toWorldInfo(book)).toEqual(written);
  });
});

import { describe, expect, it } from 'vitest';
import { utf8Encode } from './bytes.ts';
import {
  exportCharacterCharx,
  exportCharacterJson,
  exportCharacterPng,
  exportLorebookJson,
  exportWorldInfoJson,
} from './export.ts';
import type { Asset } from './model.ts';
import { fileStem, parseCardFile, parseCardObject, type ParsedCharacterFile, type ParsedFile, type ParsedLorebookFile } from './parse.ts';
import { readPngChunks } from './png.ts';
import { base64Json, errorCode, FIXTURES, iTXt, jsonBytes, pngWith, readFixture, sameBytes, tEXt, zTXt } from './test-support.ts';

function asCharacter(parsed: ParsedFile): ParsedCharacterFile {
  if (parsed.kind !== 'character') throw new Error(`expected a character, got ${parsed.kind}`);
  return parsed;
}

function asLorebook(parsed: ParsedFile): ParsedLorebookFile {
  if (parsed.kind !== 'lorebook') throw new Error(`expected a lorebook, got ${parsed.kind}`);
  return parsed;
}

function avatarOf(parsed: ParsedCharacterFile): Uint8Array | undefined {
  return parsed.assets.find((a) => a.uri === 'ccdefault:')?.bytes;
}

const characterFixtures = [FIXTURES.seraphina, FIXTURES.ccv3OnlyPng, FIXTURES.kitchenSink, FIXTURES.charx];

describe('parseCardFile on the real fixtures', () => {
  it('reads SillyTavern’s Seraphina from its ccv3 chunk', () => {
    const parsed = asCharacter(parseCardFile(readFixture(FIXTURES.seraphina), FIXTURES.seraphina));
    expect(parsed.sourceFormat).toBe('v3-png');
    expect(parsed.pngChunk).toBe('ccv3');
    expect(parsed.warnings).toEqual([]);
    const { data } = parsed.character;
    expect(data.name).toBe('Seraphina');
    expect(data.creator).toBe('OtisAlejandro');
    expect(data.extensions).toEqual({ talkativeness: '0.5', fav: false, world: 'Eldoria', depth_prompt: { prompt: '', depth: 4, role: 'system' } });
    expect(data.character_book?.name).toBe('Eldoria');
    expect(data.character_book?.entries).toHaveLength(4);
    expect(data.character_book?.entries[0]?.extensions['selectiveLogic']).toBe(0);
    expect(parsed.character['avatar']).toBe('none');
    expect(parsed.character['create_date']).toBe('2023-5-12 @21h 32m 29s 228ms');
    expect(data.description).toContain('\r\n');
  });

  it('gives Seraphina’s image back without the card chunks', () => {
    const parsed = asCharacter(parseCardFile(readFixture(FIXTURES.seraphina)));
    expect(parsed.assets).toHaveLength(1);
    expect(parsed.assets[0]).toMatchObject({ uri: 'ccdefault:', mime: 'image/png', name: 'avatar.png' });
    expect(readPngChunks(avatarOf(parsed)!).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });

  it('reads the ccv3-only PNG, the JSON and the CHARX to the same card data', () => {
    const png = asCharacter(parseCardFile(readFixture(FIXTURES.ccv3OnlyPng)));
    const json = asCharacter(parseCardFile(readFixture(FIXTURES.kitchenSink)));
    const charx = asCharacter(parseCardFile(readFixture(FIXTURES.charx)));
    expect([png.sourceFormat, json.sourceFormat, charx.sourceFormat]).toEqual(['v3-png', 'v3-json', 'v3-charx']);
    expect(png.character).toEqual(json.character);
    const { assets: charxAssets, ...charxRest } = charx.character.data;
    const { assets: jsonAssets, ...jsonRest } = json.character.data;
    expect(charxRest).toEqual(jsonRest);
    expect(charxAssets?.map((a) => a.type)).toEqual(jsonAssets?.map((a) => a.type));
    expect(json.character.data.extensions['peers/test']).toEqual({ preserved: true });
    expect(json.character.data.character_book?.entries[2]?.use_regex).toBe(true);
  });

  it('reads the standalone lorebook_v3 file', () => {
    const parsed = asLorebook(parseCardFile(readFixture(FIXTURES.lorebookV3), FIXTURES.lorebookV3));
    expect(parsed.sourceFormat).toBe('lorebook_v3');
    expect(parsed.lorebook.name).toBe('Lighthouse Notes');
    expect(parsed.lorebook.entries).toHaveLength(6);
    expect(parsed.lorebook.entries[5]?.enabled).toBe(false);
  });

  it('reads Eldoria as World Info, naming it after the file', () => {
    const parsed = asLorebook(parseCardFile(readFixture(FIXTURES.eldoria), 'Eldoria.json'));
    expect(parsed.sourceFormat).toBe('st_world_info');
    expect(parsed.lorebook.name).toBe('Eldoria');
    expect(parsed.lorebook.entries.map((e) => e.comment)).toEqual(['eldoria', 'shadowfang', 'glade', 'power']);
    expect(parsed.warnings).toEqual([]);
  });
});

describe('round trips: parse -> write the same format -> parse is lossless', () => {
  it.each(characterFixtures)('%s as PNG', (name) => {
    const first = asCharacter(parseCardFile(readFixture(name), name));
    const png = exportCharacterPng(first.character, { image: avatarOf(first) });
    const second = asCharacter(parseCardFile(png, name));
    expect(second.character).toEqual(first.character);
    if (avatarOf(first)) expect(sameBytes(avatarOf(second)!, avatarOf(first)!)).toBe(true);
  });

  it.each(characterFixtures)('%s as V3 JSON', (name) => {
    const first = asCharacter(parseCardFile(readFixture(name), name));
    const second = asCharacter(parseCardFile(utf8Encode(exportCharacterJson(first.character))));
    expect(second.sourceFormat).toBe('v3-json');
    expect(second.character).toEqual(first.character);
  });

  it.each([FIXTURES.charx, FIXTURES.kitchenSink])('%s as CHARX', (name) => {
    const first = asCharacter(parseCardFile(readFixture(name), name));
    const second = asCharacter(parseCardFile(exportCharacterCharx(first.character, first.assets)));
    expect(second.character).toEqual(first.character);
    expect(second.assets.map((a) => [a.uri, a.mime, a.bytes.length])).toEqual(first.assets.map((a) => [a.uri, a.mime, a.bytes.length]));
  });

  it.each([FIXTURES.seraphina, FIXTURES.ccv3OnlyPng])('%s as CHARX keeps everything but the icon URI', (name) => {
    const first = asCharacter(parseCardFile(readFixture(name), name));
    const second = asCharacter(parseCardFile(exportCharacterCharx(first.character, first.assets)));
    const { assets: before, ...restBefore } = first.character.data;
    const { assets: after, ...restAfter } = second.character.data;
    expect(restAfter).toEqual(restBefore);
    expect({ ...second.character, data: null }).toEqual({ ...first.character, data: null });
    const icon = after?.find((a) => a.type === 'icon');
    expect(icon?.uri).toBe('embeded://assets/icon/images/main.png');
    expect(after?.filter((a) => a.type !== 'icon')).toEqual((before ?? []).filter((a) => a.type !== 'icon'));
    const iconAsset = second.assets.find((a) => a.uri === icon?.uri);
    expect(sameBytes(iconAsset!.bytes, avatarOf(first)!)).toBe(true);
  });

  it('lorebook_v3 as lorebook_v3', () => {
    const first = asLorebook(parseCardFile(readFixture(FIXTURES.lorebookV3)));
    const second = asLorebook(parseCardFile(utf8Encode(exportLorebookJson(first.lorebook))));
    expect(second.lorebook).toEqual(first.lorebook);
  });

  it('World Info as World Info', () => {
    const first = asLorebook(parseCardFile(readFixture(FIXTURES.eldoria), 'Eldoria.json'));
    const second = asLorebook(parseCardFile(utf8Encode(exportWorldInfoJson(first.lorebook)), 'Eldoria.json'));
    expect(second.sourceFormat).toBe('st_world_info');
    expect(second.lorebook).toEqual(first.lorebook);
  });

  it('a World Info book without a file name keeps the name it was given', () => {
    const first = asLorebook(parseCardFile(readFixture(FIXTURES.eldoria), 'Eldoria.json'));
    const second = asLorebook(parseCardFile(utf8Encode(exportWorldInfoJson(first.lorebook))));
    expect(second.lorebook).toEqual(first.lorebook);
  });

  it('an embedded book as World Info and back keeps every present field', () => {
    const card = asCharacter(parseCardFile(readFixture(FIXTURES.seraphina))).character;
    const book = card.data.character_book!;
    const again = asLorebook(parseCardFile(utf8Encode(exportWorldInfoJson(book)))).lorebook;
    book.entries.forEach((entry, i) => {
      for (const [key, value] of Object.entries(entry)) {
        if (key !== 'extensions') expect(again.entries[i]?.[key], key).toEqual(value);
      }
      for (const [key, value] of Object.entries(entry.extensions)) expect(again.entries[i]?.extensions[key], key).toEqual(value);
    });
  });
});

describe('sniffing and format errors', () => {
  it('goes by the bytes, not the file name', () => {
    expect(parseCardFile(readFixture(FIXTURES.kitchenSink), 'picture.png').kind).toBe('character');
    expect(asCharacter(parseCardFile(readFixture(FIXTURES.charx), 'card.json')).sourceFormat).toBe('v3-charx');
    expect(asCharacter(parseCardFile(readFixture(FIXTURES.seraphina), 'x.charx')).sourceFormat).toBe('v3-png');
  });

  it('reads JSON with a byte-order mark and leading whitespace', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x0a, 0x20, ...jsonBytes({ spec: 'chara_card_v2', data: { name: 'BOM' } })]);
    expect(asCharacter(parseCardFile(bytes)).character.data.name).toBe('BOM');
  });

  it('reads V1 and V2 JSON and PNG cards, reporting their version', () => {
    expect(asCharacter(parseCardFile(jsonBytes({ name: 'One', first_mes: 'hi' }))).sourceFormat).toBe('v1-json');
    expect(asCharacter(parseCardFile(jsonBytes({ spec: 'chara_card_v2', data: { name: 'Two' } }))).sourceFormat).toBe('v2-json');
    expect(asCharacter(parseCardFile(pngWith([tEXt('chara', base64Json({ name: 'One' }))]))).sourceFormat).toBe('v1-png');
    expect(asCharacter(parseCardFile(pngWith([tEXt('chara', base64Json({ spec: 'chara_card_v2', data: { name: 'Two' } }))]))).sourceFormat).toBe('v2-png');
    expect(asCharacter(parseCardFile(pngWith([tEXt('chara', base64Json({ spec: 'chara_card_v3', data: { name: 'Three' } }))]))).sourceFormat).toBe('v3-png');
  });

  it('reads V1, V2 and V3 cards from zTXt and iTXt chunks', () => {
    const v1 = { name: 'Zed', first_mes: 'Grüß dich 🎭' };
    const v2 = { spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Itxt', first_mes: '你好' } };
    const v3 = { spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Three', nickname: 'Trois' } };
    const z1 = asCharacter(parseCardFile(pngWith([zTXt('chara', base64Json(v1))])));
    expect([z1.sourceFormat, z1.character.data.first_mes]).toEqual(['v1-png', 'Grüß dich 🎭']);
    const i2 = asCharacter(parseCardFile(pngWith([iTXt('chara', base64Json(v2), true)])));
    expect([i2.sourceFormat, i2.character.data.first_mes]).toEqual(['v2-png', '你好']);
    const both = asCharacter(parseCardFile(pngWith([zTXt('chara', base64Json(v2)), iTXt('ccv3', base64Json(v3), false)])));
    expect([both.sourceFormat, both.pngChunk, both.character.data.nickname]).toEqual(['v3-png', 'ccv3', 'Trois']);
  });

  it('reads a bare character_book saved on its own', () => {
    const parsed = asLorebook(parseCardFile(jsonBytes({ name: 'Bare', entries: [{ keys: ['a'], content: 'b' }] })));
    expect(parsed.sourceFormat).toBe('character_book');
    expect(parsed.lorebook.name).toBe('Bare');
    expect(asLorebook(parseCardFile(jsonBytes({ entries: [] }), 'Empty.json')).lorebook.name).toBe('Empty');
  });

  it('reads World Info entries stored as a list', () => {
    expect(asLorebook(parseCardFile(jsonBytes({ entries: [{ uid: 0, key: ['a'], content: 'b' }] }))).sourceFormat).toBe('st_world_info');
  });

  it('drops extra keys of a lorebook_v3 wrapper with a warning', () => {
    const parsed = asLorebook(parseCardFile(jsonBytes({ spec: 'lorebook_v3', data: { entries: [] }, junk: 1 })));
    expect(parsed.warnings.map((w) => w.path)).toEqual(['junk']);
  });

  it('refuses empty, oversized and unknown files', () => {
    expect(errorCode(() => parseCardFile(new Uint8Array(0)))).toBe('file/empty');
    expect(errorCode(() => parseCardFile(readFixture(FIXTURES.seraphina), 'big.png', { limits: { maxFileBytes: 1000 } }))).toBe('file/too-large');
    expect(errorCode(() => parseCardFile(utf8Encode('GIF89a...')))).toBe('card/unknown-format');
    expect(() => parseCardFile(utf8Encode('hello'), 'notes.txt')).toThrow(/"notes\.txt" is not a character card/);
  });

  it('refuses JSON that is no card and no book', () => {
    expect(errorCode(() => parseCardFile(jsonBytes([1, 2, 3])))).toBe('card/unknown-format');
    expect(errorCode(() => parseCardFile(jsonBytes({ hello: 'world' })))).toBe('card/unknown-format');
    expect(errorCode(() => parseCardFile(jsonBytes({ spec: 'chara_card_v9', data: {} })))).toBe('card/unsupported-spec');
    expect(errorCode(() => parseCardFile(utf8Encode('{"name": ')))).toBe('json/malformed');
  });

  it('refuses a PNG image without a card', () => {
    expect(errorCode(() => parseCardFile(pngWith([])))).toBe('png/no-card-chunk');
  });

  it('refuses a PNG whose card chunk holds a lorebook', () => {
    expect(errorCode(() => parseCardFile(pngWith([tEXt('chara', base64Json({ spec: 'lorebook_v3', data: { entries: [] } }))])))).toBe('card/unsupported-spec');
  });
});

describe('parseCardObject', () => {
  it('reads objects from SillyTavern’s API like files', () => {
    const parsed = parseCardObject({ spec: 'chara_card_v2', data: { name: 'From API' } });
    expect(asCharacter(parsed).character.data.name).toBe('From API');
    const book = parseCardObject({ entries: { 0: { uid: 0, key: ['k'], content: 'c' } } }, 'World');
    expect(asLorebook(book).lorebook.name).toBe('World');
  });

  it('applies the depth limit to objects too', () => {
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { a: deep };
    expect(errorCode(() => parseCardObject({ spec: 'chara_card_v3', data: { name: 'x', extensions: deep } }))).toBe('json/too-deep');
  });
});

describe('fileStem', () => {
  it('drops folders and the last extension only', () => {
    expect(fileStem('Eldoria.json')).toBe('Eldoria');
    expect(fileStem('a/b/st-Eldoria.worldinfo.json')).toBe('st-Eldoria.worldinfo');
    expect(fileStem('C:\\books\\x.json')).toBe('x');
    expect(fileStem('.hidden')).toBe('.hidden');
    expect(fileStem('plain')).toBe('plain');
  });
});

describe('assets', () => {
  it('lists no assets for JSON cards', () => {
    expect(asCharacter(parseCardFile(readFixture(FIXTURES.kitchenSink))).assets).toEqual([] as Asset[]);
  });
});

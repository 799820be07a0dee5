import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, utf8Decode, utf8Encode } from './bytes.ts';
import { type CardWarning } from './errors.ts';
import { resolveLimits } from './limits.ts';
import type { JsonObject } from './model.ts';
import { decodeTextChunk, isTextChunk, readPngChunks, textChunkKeyword } from './png.ts';
import { readPngCard, writePngCard } from './png-card.ts';
import { base64Json, errorCode, FIXTURES, iTXt, pngWith, readFixture, sameBytes, tEXt, textChunkList, zTXt } from './test-support.ts';

const limits = resolveLimits();
const v2 = { spec: 'chara_card_v2', spec_version: '2.0', data: { name: 'Two' } };
const v3 = { spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Three' } };

function read(png: Uint8Array, warnings: CardWarning[] = []): ReturnType<typeof readPngCard> {
  return readPngCard(png, limits, warnings);
}

describe('readPngCard', () => {
  it('prefers ccv3 over chara, whatever the chunk order', () => {
    for (const chunks of [
      [tEXt('chara', base64Json(v2)), tEXt('ccv3', base64Json(v3))],
      [tEXt('ccv3', base64Json(v3)), tEXt('chara', base64Json(v2))],
    ]) {
      const card = read(pngWith(chunks));
      expect(card.chunk).toBe('ccv3');
      expect((card.json as JsonObject)['spec']).toBe('chara_card_v3');
    }
  });

  it('reads a chara-only PNG', () => {
    const card = read(pngWith([tEXt('chara', base64Json(v2))]));
    expect(card.chunk).toBe('chara');
    expect(card.json).toEqual(v2);
  });

  it('matches keywords case-insensitively, as SillyTavern does', () => {
    expect(read(pngWith([tEXt('Chara', base64Json(v2))])).json).toEqual(v2);
    expect(read(pngWith([tEXt('CCV3', base64Json(v3))])).chunk).toBe('ccv3');
  });

  it('returns the JSON as written: the version is the spec inside, not the keyword', () => {
    const card = read(pngWith([tEXt('chara', base64Json(v3))]));
    expect(card.chunk).toBe('chara');
    expect((card.json as JsonObject)['spec']).toBe('chara_card_v3');
  });

  it('reads zTXt and iTXt card chunks', () => {
    const unicode = { ...v3, data: { name: 'Zoë 🎭 中文' } };
    expect(read(pngWith([zTXt('chara', base64Json(unicode))])).json).toEqual(unicode);
    expect(read(pngWith([iTXt('ccv3', base64Json(unicode), true)])).json).toEqual(unicode);
    expect(read(pngWith([iTXt('ccv3', base64Json(unicode), false)])).json).toEqual(unicode);
  });

  it('accepts a chunk holding raw JSON instead of base64, reading its bytes as UTF-8', () => {
    const unicode = { ...v2, data: { name: 'Zoë 🎭' } };
    expect(read(pngWith([iTXt('chara', JSON.stringify(unicode), false)])).json).toEqual(unicode);
    const latin1Text = String.fromCharCode(...utf8Encode(JSON.stringify(unicode)));
    expect(read(pngWith([tEXt('chara', latin1Text)])).json).toEqual(unicode);
  });

  it('falls back to chara when ccv3 is broken, and says so', () => {
    const warnings: CardWarning[] = [];
    const card = read(pngWith([tEXt('ccv3', 'not base64!!'), tEXt('chara', base64Json(v2))]), warnings);
    expect(card.chunk).toBe('chara');
    expect(warnings.some((w) => /ccv3.*could not be read/.test(w.message))).toBe(true);
  });

  it('reports the ccv3 problem when nothing else is readable', () => {
    expect(errorCode(() => read(pngWith([tEXt('ccv3', 'not base64!!')])))).toBe('base64/invalid');
    expect(errorCode(() => read(pngWith([tEXt('ccv3', bytesToBase64(utf8Encode('{oops')))])))).toBe('json/malformed');
    expect(errorCode(() => read(pngWith([tEXt('ccv3', '@@'), tEXt('chara', bytesToBase64(utf8Encode('[')))])))).toBe('base64/invalid');
  });

  it('refuses a PNG without a card chunk', () => {
    expect(errorCode(() => read(pngWith([tEXt('Software', 'x')])))).toBe('png/no-card-chunk');
    expect(() => read(pngWith([]))).toThrow(/without a character card/);
  });

  it('refuses a deeply nested card inside a chunk', () => {
    const deep = '{"spec":"chara_card_v3","data":' + '['.repeat(100) + ']'.repeat(100) + '}';
    expect(errorCode(() => read(pngWith([tEXt('ccv3', bytesToBase64(utf8Encode(deep)))])))).toBe('json/too-deep');
  });

  it('returns the image without any card chunk', () => {
    const card = read(readFixture(FIXTURES.seraphina));
    expect(readPngChunks(card.image).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });
});

describe('writePngCard', () => {
  it('puts chara then ccv3 before IEND and replaces old card chunks', () => {
    const image = pngWith([tEXt('chara', 'old'), zTXt('ccv3', 'old'), tEXt('Software', 'kept')]);
    const png = writePngCard(image, '{"v":2}', '{"v":3}');
    expect(textChunkList(png)).toEqual([
      ['tEXt', 'Software'],
      ['tEXt', 'chara'],
      ['tEXt', 'ccv3'],
    ]);
    const chunks = readPngChunks(png);
    expect(chunks[chunks.length - 1]!.type).toBe('IEND');
    const payload = (keyword: string): string => {
      const chunk = chunks.find((c) => isTextChunk(c) && textChunkKeyword(c) === keyword);
      if (!chunk || !isTextChunk(chunk)) throw new Error('missing');
      return utf8Decode(base64ToBytes(decodeTextChunk(chunk, 1000)));
    };
    expect(payload('chara')).toBe('{"v":2}');
    expect(payload('ccv3')).toBe('{"v":3}');
  });

  it('keeps the image data byte for byte', () => {
    const avatar = readFixture(FIXTURES.ccv3OnlyPng);
    const png = writePngCard(avatar, '{}', '{}');
    const idat = (bytes: Uint8Array): Uint8Array => readPngChunks(bytes).find((c) => c.type === 'IDAT')?.data ?? new Uint8Array(0);
    expect(idat(avatar).length).toBeGreaterThan(0);
    expect(sameBytes(idat(png), idat(avatar))).toBe(true);
  });

  it('uses a 1x1 PNG when there is no image', () => {
    const png = writePngCard(undefined, '{}', '{}');
    expect(readPngChunks(png).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
  });

  it('refuses an image that is not a PNG', () => {
    expect(errorCode(() => writePngCard(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]), '{}', '{}'))).toBe('png/malformed');
  });
});

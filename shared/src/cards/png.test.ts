import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { latin1Encode, readU32BE, utf8Encode } from './bytes.ts';
import { inflateLimited } from './inflate.ts';
import {
  createMinimalPng,
  decodeTextChunk,
  encodePng,
  isTextChunk,
  readPngChunks,
  replaceTextChunks,
  textChunkKeyword,
  type PngChunk,
} from './png.ts';
import { errorCode, FIXTURES, iTXt, pngWith, readFixture, sameBytes, tEXt, zTXt } from './test-support.ts';

function onlyText(png: Uint8Array, keyword: string): PngChunk & { type: 'tEXt' | 'zTXt' | 'iTXt' } {
  const chunk = readPngChunks(png).find((c) => isTextChunk(c) && textChunkKeyword(c) === keyword);
  if (!chunk || !isTextChunk(chunk)) throw new Error(`no ${keyword} chunk`);
  return chunk;
}

describe('readPngChunks', () => {
  it('reads a real card PNG', () => {
    const types = readPngChunks(readFixture(FIXTURES.seraphina)).map((c) => c.type);
    expect(types).toEqual(['IHDR', 'IDAT', 'tEXt', 'tEXt', 'IEND']);
  });

  it('round-trips through encodePng byte for byte', () => {
    const bytes = readFixture(FIXTURES.ccv3OnlyPng);
    expect(sameBytes(encodePng(readPngChunks(bytes)), bytes)).toBe(true);
  });

  it('refuses a file without the PNG signature', () => {
    expect(errorCode(() => readPngChunks(latin1Encode('GIF89a.........')))).toBe('png/malformed');
  });

  it('refuses a file cut short, at any point', () => {
    const bytes = readFixture(FIXTURES.ccv3OnlyPng);
    for (const length of [8, 12, 20, 33, 100, bytes.length - 12, bytes.length - 1]) {
      expect(errorCode(() => readPngChunks(bytes.subarray(0, length)))).toBe('png/truncated');
    }
  });

  it('refuses a damaged chunk (CRC mismatch)', () => {
    const bytes = readFixture(FIXTURES.ccv3OnlyPng).slice();
    bytes[100] = bytes[100]! ^ 0xff;
    expect(errorCode(() => readPngChunks(bytes))).toBe('png/bad-crc');
    expect(() => readPngChunks(bytes)).toThrow(/IDAT chunk is damaged/);
  });

  it('refuses a PNG that does not start with IHDR', () => {
    const chunks = readPngChunks(createMinimalPng());
    const swapped = encodePng([chunks[1]!, chunks[0]!, chunks[2]!]);
    expect(errorCode(() => readPngChunks(swapped))).toBe('png/malformed');
  });

  it('refuses a chunk with an invalid type or impossible length', () => {
    const bytes = createMinimalPng().slice();
    bytes[12] = 0x31; // 'IHDR' -> '1HDR'
    expect(errorCode(() => readPngChunks(bytes))).toBe('png/malformed');
    const huge = createMinimalPng().slice();
    huge.set([0xff, 0xff, 0xff, 0xff], 8);
    expect(errorCode(() => readPngChunks(huge))).toBe('png/malformed');
  });

  it('ignores bytes after IEND', () => {
    const png = createMinimalPng();
    const padded = new Uint8Array(png.length + 5);
    padded.set(png);
    expect(readPngChunks(padded).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
  });
});

describe('createMinimalPng', () => {
  it('is a valid 1x1 RGBA image', () => {
    const chunks = readPngChunks(createMinimalPng());
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    const ihdr = chunks[0]!.data;
    expect(readU32BE(ihdr, 0)).toBe(1);
    expect(readU32BE(ihdr, 4)).toBe(1);
    expect([ihdr[8], ihdr[9]]).toEqual([8, 6]);
    expect(inflateLimited(chunks[1]!.data, 'zlib', 100)).toEqual(new Uint8Array([0, 0, 0, 0, 0]));
  });
});

describe('decodeTextChunk', () => {
  const text = 'eyJuYW1lIjoiw6kifQ==';
  const limit = 1024;

  it('reads tEXt as Latin-1', () => {
    const png = pngWith([tEXt('chara', text), tEXt('Comment', 'caf\u00e9')]);
    expect(decodeTextChunk(onlyText(png, 'chara'), limit)).toBe(text);
    expect(decodeTextChunk(onlyText(png, 'Comment'), limit)).toBe('caf\u00e9');
  });

  it('reads zTXt (zlib-compressed Latin-1)', () => {
    expect(decodeTextChunk(onlyText(pngWith([zTXt('chara', text)]), 'chara'), limit)).toBe(text);
  });

  it('reads iTXt as UTF-8, compressed or not', () => {
    const unicode = 'Ünïcödé 🎭 text';
    expect(decodeTextChunk(onlyText(pngWith([iTXt('ccv3', unicode, false)]), 'ccv3'), limit)).toBe(unicode);
    expect(decodeTextChunk(onlyText(pngWith([iTXt('ccv3', unicode, true)]), 'ccv3'), limit)).toBe(unicode);
  });

  it('stops a zTXt bomb at the limit', () => {
    const bomb: PngChunk = { type: 'zTXt', data: new Uint8Array([...latin1Encode('chara'), 0, 0, ...zlibSync(new Uint8Array(1_000_000))]) };
    expect(bomb.data.length).toBeLessThan(10_000);
    expect(errorCode(() => decodeTextChunk(bomb as PngChunk & { type: 'zTXt' }, 64 * 1024))).toBe('png/text-too-large');
  });

  it('stops a compressed iTXt bomb at the limit', () => {
    const body = zlibSync(new Uint8Array(1_000_000));
    const chunk = { type: 'iTXt' as const, data: new Uint8Array([...latin1Encode('ccv3'), 0, 1, 0, 0, 0, ...body]) };
    expect(errorCode(() => decodeTextChunk(chunk, 1000))).toBe('png/text-too-large');
  });

  it('refuses an uncompressed tEXt over the limit', () => {
    expect(errorCode(() => decodeTextChunk(onlyText(pngWith([tEXt('chara', 'x'.repeat(2000))]), 'chara'), 1000))).toBe('png/text-too-large');
  });

  it('reports damaged compressed data and unknown methods', () => {
    const damaged = { type: 'zTXt' as const, data: new Uint8Array([...latin1Encode('chara'), 0, 0, 1, 2, 3, 4, 5, 6]) };
    expect(errorCode(() => decodeTextChunk(damaged, limit))).toBe('png/bad-text-chunk');
    const method = { type: 'zTXt' as const, data: new Uint8Array([...latin1Encode('chara'), 0, 7, ...zlibSync(utf8Encode('x'))]) };
    expect(errorCode(() => decodeTextChunk(method, limit))).toBe('png/bad-text-chunk');
    const itxt = { type: 'iTXt' as const, data: new Uint8Array([...latin1Encode('ccv3'), 0, 1]) };
    expect(errorCode(() => decodeTextChunk(itxt, limit))).toBe('png/bad-text-chunk');
    const noKeyword = { type: 'tEXt' as const, data: latin1Encode('no keyword here') };
    expect(errorCode(() => decodeTextChunk(noKeyword, limit))).toBe('png/bad-text-chunk');
  });
});

describe('replaceTextChunks', () => {
  it('drops matching keywords in any case and inserts before IEND, keeping the rest', () => {
    const png = pngWith([tEXt('Chara', 'old'), zTXt('CCV3', 'old'), tEXt('Software', 'paint')]);
    const chunks = replaceTextChunks(readPngChunks(png), ['chara', 'ccv3'], [tEXt('chara', 'new')]);
    expect(chunks.map((c) => [c.type, isTextChunk(c) ? textChunkKeyword(c) : ''])).toEqual([
      ['IHDR', ''],
      ['IDAT', ''],
      ['tEXt', 'Software'],
      ['tEXt', 'chara'],
      ['IEND', ''],
    ]);
  });
});

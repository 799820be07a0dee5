import { describe, expect, it } from 'vitest';
import { createMinimalPng } from '@troupe/shared/cards';
import { imageSize, sniffRaster, squareCrop } from './image-type.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('sniffRaster', () => {
  it('reads the format from the signature, never trusting a name', () => {
    expect(sniffRaster(createMinimalPng())).toBe('image/png');
    expect(sniffRaster(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffRaster(new TextEncoder().encode('GIF89a'))).toBe('image/gif');
    expect(sniffRaster(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffRaster(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });
});

describe('imageSize', () => {
  it('reads PNG, GIF, WebP and JPEG headers', () => {
    expect(imageSize(createMinimalPng())).toEqual({ width: 1, height: 1 });
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 0x2c, 0x01, 0xc8, 0x00]);
    expect(imageSize(gif)).toEqual({ width: 300, height: 200 });
    // VP8L: 14-bit width-1 and height-1 packed little-endian after the signature byte.
    const vp8l = new Uint8Array(30);
    vp8l.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8L'), 0);
    new DataView(vp8l.buffer).setUint32(21, (99) | (49 << 14), true);
    expect(imageSize(vp8l)).toEqual({ width: 100, height: 50 });
    // JPEG: SOI, an APP0 segment, then SOF0 with height 480 and width 640.
    const jpeg = bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03);
    expect(imageSize(jpeg)).toEqual({ width: 640, height: 480 });
  });

  it('gives null for a header cut short or an unknown format', () => {
    expect(imageSize(createMinimalPng().subarray(0, 18))).toBeNull();
    expect(imageSize(bytes(1, 2, 3))).toBeNull();
  });
});

describe('squareCrop', () => {
  it('centres across and keeps near the top of a portrait', () => {
    expect(squareCrop(256, 384)).toEqual({ x: 0, y: 25, side: 256 });
    expect(squareCrop(400, 100)).toEqual({ x: 150, y: 0, side: 100 });
  });
});

describe('sniffRaster refuses what is not a raster image', () => {
  it.each([
    ['SVG', [0x3c, 0x73, 0x76, 0x67]],
    ['a RIFF that is WAVE audio', [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45]],
    ['a cut PNG signature', [0x89, 0x50, 0x4e, 0x47]],
    ['nothing', []],
  ])('%s', (_, bytes) => {
    expect(sniffRaster(Uint8Array.from(bytes))).toBeNull();
  });
});

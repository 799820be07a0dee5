// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { Base64Error, base64Size, base64ToBytes, bytesToBase64, dataUrl, parseDataUrl } from './base64.ts';

describe('base64', () => {
  it('matches the platform encoding for every tail length and round-trips', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 200_000, 200_001, 200_002]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 7919) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.compare(base64ToBytes(text), bytes)).toBe(0);
      expect(base64Size(text)).toBe(length);
    }
  });

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('%%%')).toThrow();
  });
});

describe('data URLs', () => {
  it('round-trips bytes and refuses what is not a base64 data URL', () => {
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const url = dataUrl('image/png', bytes);
    expect(url).toBe(`data:image/png;base64,${Buffer.from(bytes).toString('base64')}`);
    expect(parseDataUrl(url)).toEqual({ mime: 'image/png', bytes });
    expect(parseDataUrl('data:image/png,raw')).toBeNull();
    expect(parseDataUrl('data:image/png;base64,%%%')).toBeNull();
  });

  it('names what is wrong with bad base64 in a Base64Error', () => {
    expect(() => base64ToBytes('Zm9v!')).toThrow(Base64Error);
    expect(() => base64ToBytes('Zg===')).toThrow('length');
  });
});

import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './base64url.ts';

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

describe('base64url', () => {
  it('matches the RFC 4648 test vectors, unpadded', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(toBase64Url(ascii(plain))).toBe(encoded);
      expect(fromBase64Url(encoded)).toEqual(ascii(plain));
    }
  });

  it('uses the URL-safe alphabet', () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('round-trips every byte value and length', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    }
  });

  it('refuses padding, foreign characters, impossible lengths and stray bits', () => {
    expect(fromBase64Url('Zg==')).toBeNull();
    expect(fromBase64Url('Zm9v+/')).toBeNull();
    expect(fromBase64Url('Z')).toBeNull();
    expect(fromBase64Url('Zh')).toBeNull();
  });
});

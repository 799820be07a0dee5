import { describe, expect, it } from 'vitest';
import { base64UrlToBytes, bytesToBase64Url } from './base64.ts';

const ascii = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));

describe('base64url', () => {
  it('matches the RFC 4648 test vectors, unpadded', () => {
    const vectors: Array<[string, string]> = [['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'], ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy']];
    for (const [plain, encoded] of vectors) {
      expect(bytesToBase64Url(ascii(plain))).toBe(encoded);
      expect(base64UrlToBytes(encoded)).toEqual(ascii(plain));
    }
  });

  it('uses the URL-safe alphabet', () => {
    expect(bytesToBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('round-trips every byte value and length', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length) & 0xff);
      expect(base64UrlToBytes(bytesToBase64Url(bytes))).toEqual(bytes);
    }
  });

  it('refuses padding, foreign characters, impossible lengths and stray bits', () => {
    expect(base64UrlToBytes('Zg==')).toBeNull();
    expect(base64UrlToBytes('Zm9v+/')).toBeNull();
    expect(base64UrlToBytes('Z')).toBeNull();
    expect(base64UrlToBytes('Zh')).toBeNull();
  });
});

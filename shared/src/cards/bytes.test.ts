import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  bytesToBase64Ascii,
  latin1Decode,
  latin1Encode,
  utf8Decode,
  utf8DecodeFallback,
  utf8Encode,
  utf8EncodeFallback,
} from './bytes.ts';
import { CardError } from './errors.ts';
import { sameBytes } from './test-support.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CardError ? error.code : 'not-a-card-error';
  }
  return undefined;
}

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(bytesToBase64(latin1Encode(plain))).toBe(encoded);
      expect(latin1Decode(base64ToBytes(encoded))).toBe(plain);
    }
  });

  it('round-trips every length and byte value', () => {
    for (let length = 0; length < 70; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + length * 11) & 0xff);
      expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
    }
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all);
  });

  it('round-trips data larger than its internal flush size', () => {
    const big = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7) & 0xff);
    expect(sameBytes(base64ToBytes(bytesToBase64(big)), big)).toBe(true);
  });

  it('accepts missing padding, line breaks and the URL-safe alphabet', () => {
    expect(latin1Decode(base64ToBytes('Zm9vYg'))).toBe('foob');
    expect(latin1Decode(base64ToBytes('Zm9v\r\nYmFy\n'))).toBe('foobar');
    expect(base64ToBytes('-_-_')).toEqual(base64ToBytes('+/+/'));
  });

  it('rejects characters outside the alphabet', () => {
    expect(codeOf(() => base64ToBytes('Zm9v!'))).toBe('base64/invalid');
    expect(codeOf(() => base64ToBytes('Zm9vé'))).toBe('base64/invalid');
  });

  it('rejects impossible lengths and misplaced padding', () => {
    expect(codeOf(() => base64ToBytes('Z'))).toBe('base64/invalid');
    expect(codeOf(() => base64ToBytes('Zm=9'))).toBe('base64/invalid');
    expect(codeOf(() => base64ToBytes('Zg==='))).toBe('base64/invalid');
    expect(codeOf(() => base64ToBytes('Zm9=='))).toBe('base64/invalid');
  });

  it('decodes ASCII bytes as well as text', () => {
    expect(latin1Decode(base64ToBytes(latin1Encode('Zm9v\nYmFy')))).toBe('foobar');
    expect(latin1Decode(bytesToBase64Ascii(latin1Encode('foobar')))).toBe('Zm9vYmFy');
    expect(codeOf(() => base64ToBytes(new Uint8Array([0x5a, 0xff, 0x39, 0x76])))).toBe('base64/invalid');
  });

  it('names the offending character in the message', () => {
    expect(() => base64ToBytes('ab$d')).toThrow(/"\$" at offset 2/);
  });
});

const codecs = [
  { label: 'platform', encode: utf8Encode, decode: utf8Decode },
  { label: 'fallback', encode: utf8EncodeFallback, decode: utf8DecodeFallback },
];

describe.each(codecs)('utf8 ($label)', ({ encode, decode }) => {
  it('round-trips text from every plane', () => {
    const text = 'plain, é, ß, 中文, 日本語, 🎭🦊, \u0000 and \uffff';
    expect(decode(encode(text))).toBe(text);
  });

  it('encodes like the standard', () => {
    expect([...encode('é')]).toEqual([0xc3, 0xa9]);
    expect([...encode('€')]).toEqual([0xe2, 0x82, 0xac]);
    expect([...encode('🎭')]).toEqual([0xf0, 0x9f, 0x8e, 0xad]);
  });

  it('turns a lone surrogate into U+FFFD when encoding', () => {
    expect(decode(encode('a\ud800b'))).toBe('a\ufffdb');
    expect(decode(encode('\udc00'))).toBe('\ufffd');
  });

  it('replaces invalid sequences instead of failing', () => {
    expect(decode(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
    expect(decode(new Uint8Array([0xc0, 0x80]))).toBe('\ufffd\ufffd'); // overlong NUL
    expect(decode(new Uint8Array([0xe2, 0x82]))).toBe('\ufffd'); // cut short
    expect(decode(new Uint8Array([0xed, 0xa0, 0x80]))).toBe('\ufffd\ufffd\ufffd'); // encoded surrogate
    expect(decode(new Uint8Array([0xf4, 0x90, 0x80, 0x80]))).toBe('\ufffd\ufffd\ufffd\ufffd'); // past U+10FFFF
  });

  it('drops a leading byte-order mark only', () => {
    expect(decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}');
    expect(decode(encode('a\ufeffb'))).toBe('a\ufeffb');
  });

  it('decodes long text across its internal buffer boundary', () => {
    const text = '🎭a'.repeat(20_000);
    expect(decode(encode(text))).toBe(text);
  });
});

describe('utf8 implementations', () => {
  it('agree with each other on every kind of broken input', () => {
    const samples: number[][] = [
      [0x61, 0xff, 0x62],
      [0xc0, 0x80],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf0, 0x9f, 0x8e],
      [0xe0, 0x80, 0x80],
      [0xc3],
      [0x80, 0x80, 0xc3, 0xa9],
      [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf],
    ];
    for (const sample of samples) {
      const bytes = new Uint8Array(sample);
      expect(utf8DecodeFallback(bytes), sample.join(',')).toBe(utf8Decode(bytes));
    }
    for (const text of ['a\ud800', '\udfff\ud800x', '🎭', '']) {
      expect([...utf8EncodeFallback(text)]).toEqual([...utf8Encode(text)]);
    }
  });
});

describe('latin1', () => {
  it('maps bytes to the first 256 code points', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = latin1Decode(all);
    expect(text.length).toBe(256);
    expect(text.charCodeAt(233)).toBe(233);
    expect(latin1Encode(text)).toEqual(all);
  });
});

import { describe, expect, it } from 'vitest';
import { latin1Encode } from './bytes.ts';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('matches the standard check value', () => {
    expect(crc32(latin1Encode('123456789'))).toBe(0xcbf43926);
  });

  it('is 0 for no bytes', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('matches the CRC of a known PNG chunk (IEND)', () => {
    expect(crc32(latin1Encode('IEND'))).toBe(0xae426082);
  });

  it('continues across pieces when seeded', () => {
    const whole = latin1Encode('tEXtchara\u0000abc');
    const first = crc32(whole.subarray(0, 4));
    expect(crc32(whole.subarray(4), first)).toBe(crc32(whole));
  });
});

describe('crc32 fast path', () => {
  /** The textbook bit-by-bit CRC, as a reference for the table-driven one. */
  function reference(bytes: Uint8Array): number {
    let c = 0xffffffff;
    for (const byte of bytes) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  }

  it('agrees with the bit-by-bit definition at every length and alignment', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 64, 200]) {
        const slice = data.subarray(start, start + length);
        expect(crc32(slice)).toBe(reference(slice));
      }
    }
  });
});

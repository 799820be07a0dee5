// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { base64Size, base64ToBytes, bytesToBase64 } from './base64.ts';

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

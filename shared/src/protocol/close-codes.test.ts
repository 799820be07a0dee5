import { describe, expect, it } from 'vitest';
import { CLOSE_CODES, closeCodeName, isPermanentClose } from './close-codes.ts';

describe('close codes', () => {
  it('are unique and in the private range', () => {
    const codes = Object.values(CLOSE_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code >= 4000 && code <= 4999).toBe(true);
  });

  it('mark auth and frame errors permanent, load and rate errors transient', () => {
    expect(isPermanentClose(CLOSE_CODES.UNAUTHORISED)).toBe(true);
    expect(isPermanentClose(CLOSE_CODES.FORBIDDEN)).toBe(true);
    expect(isPermanentClose(CLOSE_CODES.BAD_FRAME)).toBe(true);
    expect(isPermanentClose(CLOSE_CODES.RATE_LIMITED)).toBe(false);
    expect(isPermanentClose(CLOSE_CODES.ROOM_LIMIT)).toBe(false);
    expect(isPermanentClose(1006)).toBe(false);
  });

  it('name codes for logs', () => {
    expect(closeCodeName(4403)).toBe('FORBIDDEN');
    expect(closeCodeName(1000)).toBeUndefined();
  });
});

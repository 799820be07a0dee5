import { describe, expect, it } from 'vitest';
import { encodeWav16, rms } from './wav.ts';

describe('encodeWav16', () => {
  it('writes a RIFF/WAVE header for 16-bit mono PCM and the samples, clipped', () => {
    const wav = encodeWav16(new Float32Array([0, 1, -1, 2, -0.5]), 16_000);
    const view = new DataView(wav.buffer);
    const text = (at: number, n: number) => String.fromCharCode(...wav.slice(at, at + n));
    expect([text(0, 4), text(8, 4), text(12, 4), text(36, 4)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(view.getUint32(4, true)).toBe(36 + 10);
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint16(34, true)]).toEqual([1, 1, 16_000, 16]);
    expect(view.getUint32(40, true)).toBe(10);
    expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + i * 2, true))).toEqual([0, 32_767, -32_768, 32_767, -16_384]);
  });

  it('refuses a sample rate that is not a positive whole number', () => {
    expect(() => encodeWav16(new Float32Array(1), 0)).toThrow(/sampleRate/);
    expect(() => encodeWav16(new Float32Array(1), 16_000.5)).toThrow(/sampleRate/);
  });
});

describe('rms', () => {
  it('is the root mean square, 0 for an empty frame', () => {
    expect(rms(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5);
    expect(rms(new Float32Array(0))).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { describeMicrophone, describeMicrophoneProblem, microphoneProblem } from './microphone-text.ts';

describe('microphone in words', () => {
  it('says how to fix a denial', () => {
    expect(describeMicrophone('denied')).toMatch(/chrome:\/\/settings\/content\/microphone/);
    expect(describeMicrophone('granted')).toMatch(/allowed/);
  });

  it('turns getUserMedia failures into problems', () => {
    expect(microphoneProblem(new DOMException('x', 'NotAllowedError'))).toBe('permission-denied');
    expect(microphoneProblem(new DOMException('x', 'NotFoundError'))).toBe('no-microphone');
    expect(microphoneProblem(new DOMException('x', 'NotReadableError'))).toBe('microphone-busy');
    expect(microphoneProblem(new Error('x'))).toBe('failed');
    expect(describeMicrophoneProblem('no-microphone')).toMatch(/No microphone found/);
  });
});

import { describe, expect, it } from 'vitest';
import { fileNameFor } from './file-name.ts';
import { MAX_FILE_STEM_CHARS } from './limits.ts';

describe('fileNameFor', () => {
  it('names the file after the character, keeping letters of every script', () => {
    expect(fileNameFor('Seraphina', 'png')).toBe('Seraphina.png');
    expect(fileNameFor('海の灯台 Ünïcödé 🎭', 'charx')).toBe('海の灯台 Ünïcödé 🎭.charx');
  });

  it('drops separators, reserved and control characters, and bidirectional overrides', () => {
    expect(fileNameFor('Aria: "Night/Day"?', 'png')).toBe('Aria Night Day.png');
    expect(fileNameFor('..\\..\\etc/passwd', 'png')).toBe('etc passwd.png');
    expect(fileNameFor('evil\u202Egnp.exe', 'png')).toBe('evilgnp.exe.png');
    expect(fileNameFor('tab\there\nnew\u0000line', 'png')).toBe('tabherenewline.png');
  });

  it('falls back when nothing is left, and bounds the length by whole characters', () => {
    expect(fileNameFor(' ... ', 'png')).toBe('character.png');
    expect(fileNameFor('', 'json', 'lorebook')).toBe('lorebook.json');
    const long = fileNameFor('🎭'.repeat(500), 'png');
    expect(Array.from(long.slice(0, -'.png'.length))).toHaveLength(MAX_FILE_STEM_CHARS);
    expect(long.endsWith('🎭.png')).toBe(true);
  });
});

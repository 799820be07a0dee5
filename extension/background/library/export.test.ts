import { describe, expect, it } from 'vitest';
import { safeFileName } from './export.ts';

describe('safeFileName', () => {
  it('keeps a name every system accepts, or the fallback', () => {
    expect(safeFileName('Séraphina', 'character')).toBe('Séraphina');
    expect(safeFileName('a/b\\c:d*e?"f<g>h|i', 'character')).toBe('a b c d e f g h i');
    expect(safeFileName('  ..hidden  ', 'character')).toBe('hidden');
    expect(safeFileName('\u0000\u0001', 'lorebook')).toBe('lorebook');
    expect(safeFileName('x'.repeat(300), 'character')).toHaveLength(120);
  });
});

import { describe, expect, it } from 'vitest';
import type { NormalizeContext } from './coerce.ts';
import { resolveLimits } from './limits.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { errorCode } from './test-support.ts';

function context(maxLorebookEntries?: number): NormalizeContext {
  return { warnings: [], limits: resolveLimits(maxLorebookEntries === undefined ? {} : { maxLorebookEntries }) };
}

describe('normalizeLorebook', () => {
  it('fills the required fields of a V2 entry (use_regex false, enabled true, order 100)', () => {
    const book = normalizeLorebook({ entries: [{ keys: ['a'], content: 'b' }] }, 'book', context());
    expect(book).toEqual({
      extensions: {},
      entries: [{ keys: ['a'], content: 'b', extensions: {}, enabled: true, insertion_order: 100, use_regex: false }],
    });
  });

  it('keeps every optional CCv3 entry field', () => {
    const entry = {
      keys: ['k'],
      content: 'c',
      extensions: { x: 1 },
      enabled: false,
      insertion_order: 5,
      case_sensitive: true,
      use_regex: true,
      constant: true,
      name: 'n',
      priority: 3,
      id: 'abc',
      comment: 'note',
      selective: true,
      secondary_keys: ['s'],
      position: 'after_char',
    };
    const book = normalizeLorebook({ name: 'B', description: 'D', scan_depth: 3, token_budget: 100, recursive_scanning: false, extensions: {}, entries: [entry] }, 'book', context());
    expect(book.entries[0]).toEqual(entry);
    expect(book).toMatchObject({ name: 'B', description: 'D', scan_depth: 3, token_budget: 100, recursive_scanning: false });
  });

  it('reads numeric positions and drops unknown ones with a warning', () => {
    const ctx = context();
    const book = normalizeLorebook(
      { entries: [{ keys: [], content: '', position: 0 }, { keys: [], content: '', position: '1' }, { keys: [], content: '', position: 'at_depth' }, { keys: [], content: '', position: '' }] },
      'book',
      ctx,
    );
    expect(book.entries.map((e) => e.position)).toEqual(['before_char', 'after_char', undefined, undefined]);
    expect(ctx.warnings).toHaveLength(3);
  });

  it('drops entries that are not objects, with a warning', () => {
    const ctx = context();
    const book = normalizeLorebook({ entries: [null, 'x', { keys: ['a'], content: 'b' }] }, 'book', ctx);
    expect(book.entries).toHaveLength(1);
    expect(ctx.warnings.map((w) => w.path)).toEqual(['book.entries[0]', 'book.entries[1]']);
  });

  it('reads entries stored as an object keyed by id', () => {
    const ctx = context();
    const book = normalizeLorebook({ entries: { 0: { keys: ['a'], content: 'x' }, 1: { keys: ['b'], content: 'y' } } }, 'book', ctx);
    expect(book.entries.map((e) => e.content)).toEqual(['x', 'y']);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('drops ids that are neither numbers nor text', () => {
    const ctx = context();
    const book = normalizeLorebook({ entries: [{ keys: [], content: '', id: { n: 1 } }] }, 'book', ctx);
    expect(Object.hasOwn(book.entries[0]!, 'id')).toBe(false);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('refuses a book that is not an object or whose entries are not a list', () => {
    expect(errorCode(() => normalizeLorebook('book', 'book', context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeLorebook({ entries: 'none' }, 'book', context()))).toBe('card/invalid-field');
    expect(errorCode(() => normalizeLorebook({ entries: [{ keys: [], content: { x: 1 } }] }, 'book', context()))).toBe('card/invalid-field');
  });

  it('refuses more entries than the limit', () => {
    const entries = Array.from({ length: 4 }, () => ({ keys: [], content: '' }));
    expect(normalizeLorebook({ entries }, 'book', context(4)).entries).toHaveLength(4);
    expect(errorCode(() => normalizeLorebook({ entries }, 'book', context(3)))).toBe('lorebook/too-many-entries');
  });

  it('treats missing entries as an empty book', () => {
    expect(normalizeLorebook({ name: 'empty' }, 'book', context())).toEqual({ name: 'empty', extensions: {}, entries: [] });
  });
});

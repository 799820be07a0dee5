import { describe, expect, it } from 'vitest';
import { toBool, toNumber, toObject, toText, toTextList, type NormalizeContext } from './coerce.ts';
import { CardError } from './errors.ts';
import { resolveLimits } from './limits.ts';

function context(): NormalizeContext {
  return { warnings: [], limits: resolveLimits() };
}

function invalidField(fn: () => unknown): boolean {
  try {
    fn();
  } catch (error) {
    return error instanceof CardError && error.code === 'card/invalid-field';
  }
  return false;
}

describe('toText', () => {
  it('keeps text and treats null as absent, silently', () => {
    const ctx = context();
    expect(toText('a <b>html</b>', 'x', ctx)).toBe('a <b>html</b>');
    expect(toText(null, 'x', ctx)).toBeUndefined();
    expect(toText(undefined, 'x', ctx)).toBeUndefined();
    expect(ctx.warnings).toEqual([]);
  });

  it('turns numbers and booleans into text with a warning naming the field', () => {
    const ctx = context();
    expect(toText(42, 'data.name', ctx)).toBe('42');
    expect(toText(false, 'data.name', ctx)).toBe('false');
    expect(ctx.warnings).toHaveLength(2);
    expect(ctx.warnings[0]?.path).toBe('data.name');
  });

  it('refuses objects and lists', () => {
    expect(invalidField(() => toText({ a: 1 }, 'data.description', context()))).toBe(true);
    expect(invalidField(() => toText(['a'], 'data.description', context()))).toBe(true);
    expect(() => toText(['a'], 'data.description', context())).toThrow(/data\.description must be text, but the file has a list/);
  });
});

describe('toTextList', () => {
  it('keeps lists of text', () => {
    expect(toTextList(['a', 'b'], 'x', context())).toEqual(['a', 'b']);
  });

  it('wraps a single text, or splits it at commas when asked', () => {
    const ctx = context();
    expect(toTextList('hello', 'x', ctx)).toEqual(['hello']);
    expect(toTextList(' a, b ,,c ', 'tags', ctx, { splitCommas: true })).toEqual(['a', 'b', 'c']);
    expect(ctx.warnings).toHaveLength(2);
  });

  it('converts scalar items, drops null items and refuses nested structures', () => {
    const ctx = context();
    expect(toTextList(['a', 1, null, true], 'x', ctx)).toEqual(['a', '1', 'true']);
    expect(ctx.warnings.map((w) => w.path)).toEqual(['x[1]', 'x[2]', 'x[3]']);
    expect(invalidField(() => toTextList([['nested']], 'x', context()))).toBe(true);
    expect(invalidField(() => toTextList({ a: 'b' }, 'x', context()))).toBe(true);
  });
});

describe('toBool', () => {
  it('reads booleans and their obvious spellings', () => {
    const ctx = context();
    expect(toBool(true, 'x', ctx)).toBe(true);
    expect(toBool('true', 'x', ctx)).toBe(true);
    expect(toBool('FALSE', 'x', ctx)).toBe(false);
    expect(toBool(1, 'x', ctx)).toBe(true);
    expect(toBool(0, 'x', ctx)).toBe(false);
    expect(ctx.warnings).toHaveLength(4);
  });

  it('drops other scalars with a warning and refuses structures', () => {
    const ctx = context();
    expect(toBool('maybe', 'x', ctx)).toBeUndefined();
    expect(ctx.warnings[0]?.message).toMatch(/dropped/);
    expect(invalidField(() => toBool([true], 'x', context()))).toBe(true);
  });
});

describe('toNumber', () => {
  it('reads numbers and numeric text', () => {
    const ctx = context();
    expect(toNumber(7, 'x', ctx)).toBe(7);
    expect(toNumber(' 12.5 ', 'x', ctx)).toBe(12.5);
    expect(ctx.warnings).toHaveLength(1);
  });

  it('drops non-numeric scalars and refuses structures', () => {
    const ctx = context();
    expect(toNumber('soon', 'x', ctx)).toBeUndefined();
    expect(toNumber('', 'x', ctx)).toBeUndefined();
    expect(toNumber(true, 'x', ctx)).toBeUndefined();
    expect(ctx.warnings).toHaveLength(3);
    expect(invalidField(() => toNumber({}, 'x', context()))).toBe(true);
  });
});

describe('toObject', () => {
  it('copies objects and refuses everything else but null', () => {
    const source = { a: { b: 1 } };
    const copy = toObject(source, 'x');
    expect(copy).toEqual(source);
    expect(copy).not.toBe(source);
    expect(toObject(null, 'x')).toBeUndefined();
    expect(invalidField(() => toObject([], 'x'))).toBe(true);
    expect(invalidField(() => toObject('text', 'x'))).toBe(true);
  });
});

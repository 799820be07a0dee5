import { describe, expect, it } from 'vitest';
import { type CardWarning } from './errors.ts';
import { DEFAULT_CARD_LIMITS } from './limits.ts';
import type { JsonObject, JsonValue } from './model.ts';
import { cloneJson, jsonEqual, parseJson, safeSet } from './safe-json.ts';
import { errorCode, prototypeIsClean } from './test-support.ts';

const limits = DEFAULT_CARD_LIMITS;

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('parseJson', () => {
  it('parses ordinary JSON', () => {
    expect(parseJson('{"a":[1,"x",true,null,{"b":2}]}', { limits })).toEqual({ a: [1, 'x', true, null, { b: 2 }] });
  });

  it('reports malformed JSON with a readable message', () => {
    expect(errorCode(() => parseJson('{"a":', { limits }))).toBe('json/malformed');
    expect(() => parseJson('{"a" 1}', { limits, label: 'card.json' })).toThrow(/card\.json is not valid JSON/);
    expect(errorCode(() => parseJson('', { limits }))).toBe('json/malformed');
  });

  it('accepts nesting up to the depth limit and refuses one level more', () => {
    const small = { ...limits, maxJsonDepth: 5 };
    expect(parseJson(nested(5), { limits: small })).toEqual([[[[[]]]]]);
    expect(errorCode(() => parseJson(nested(6), { limits: small }))).toBe('json/too-deep');
  });

  it('refuses a million brackets before JSON.parse sees them', () => {
    expect(errorCode(() => parseJson(nested(1_000_000), { limits }))).toBe('json/too-deep');
    expect(errorCode(() => parseJson('{"a":'.repeat(100_000), { limits }))).toBe('json/too-deep');
  });

  it('does not count brackets inside strings, including after escaped quotes', () => {
    const small = { ...limits, maxJsonDepth: 2 };
    const text = JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[\\" now', c: ['\\\\'] });
    expect(parseJson(text, { limits: small })).toEqual(JSON.parse(text));
  });

  it('refuses a string longer than the limit', () => {
    const small = { ...limits, maxStringLength: 10 };
    expect(parseJson('{"a":"0123456789"}', { limits: small })).toEqual({ a: '0123456789' });
    expect(errorCode(() => parseJson('{"a":"0123456789x"}', { limits: small }))).toBe('json/string-too-long');
  });

  it('refuses text larger than the JSON size limit', () => {
    const small = { ...limits, maxJsonBytes: 8 };
    expect(errorCode(() => parseJson('{"a":"xyz"}', { limits: small }))).toBe('file/too-large');
  });

  it('drops __proto__, constructor and prototype keys at any depth, with a warning', () => {
    const warnings: CardWarning[] = [];
    const text = '{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":2}},"prototype":3,"ok":[{"__proto__":{"polluted":4}}]}}';
    const value = parseJson(text, { limits, warnings }) as JsonObject;
    expect(value).toEqual({ a: { ok: [{}] } });
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.hasOwn(value, '__proto__')).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/5 key/);
    expect(prototypeIsClean()).toBe(true);
  });

  it('keeps ordinary keys that merely contain the words', () => {
    const value = parseJson('{"my_constructor":1,"__proto":2,"prototypes":3}', { limits });
    expect(value).toEqual({ my_constructor: 1, __proto: 2, prototypes: 3 });
  });
});

describe('cloneJson', () => {
  it('copies deeply without sharing', () => {
    const original: JsonObject = { a: { b: [1, { c: 'x' }] } };
    const copy = cloneJson(original) as JsonObject;
    expect(copy).toEqual(original);
    expect(copy['a']).not.toBe(original['a']);
  });

  it('drops dangerous own keys of objects built elsewhere', () => {
    const hostile = JSON.parse('{"__proto__":{"polluted":true},"keep":1}') as JsonObject;
    expect(Object.hasOwn(hostile, '__proto__')).toBe(true);
    const copy = cloneJson(hostile) as JsonObject;
    expect(Object.hasOwn(copy, '__proto__')).toBe(false);
    expect(copy).toEqual({ keep: 1 });
    expect(prototypeIsClean()).toBe(true);
  });

  it('refuses values nested past the limit', () => {
    let deep: JsonValue = [];
    for (let i = 0; i < 300; i++) deep = [deep];
    expect(errorCode(() => cloneJson(deep, 256))).toBe('json/too-deep');
  });

  it('turns values JSON cannot hold into null or drops them', () => {
    const odd = { n: Number.NaN, f: (() => 1) as unknown as JsonValue, list: [Infinity] } as JsonObject;
    expect(cloneJson(odd)).toEqual({ n: null, list: [null] });
  });
});

describe('jsonEqual', () => {
  it('compares structure, not key order', () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: null }, { a: undefined })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

describe('safeSet', () => {
  it('never assigns a dangerous key', () => {
    const target: JsonObject = {};
    safeSet(target, '__proto__', { polluted: true });
    safeSet(target, 'constructor', 1);
    safeSet(target, 'fine', 2);
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype);
    expect(target).toEqual({ fine: 2 });
    expect(prototypeIsClean()).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { parseKey, regexMatches } from './regex-key.ts';

describe('parseKey', () => {
  it.each([
    ['dragon', 'plain'],
    ['/dragon/', 'regex'],
    ['/drag(on|oon)/i', 'regex'],
    ['/a\\/b/', 'regex'],
    ['and/or', 'plain'],
    ['/a/b/', 'plain'], // an unescaped inner slash means it is not a regex
    ['/dragon/x', 'plain'], // unknown flag: SillyTavern treats the whole key as text
    ['/', 'plain'],
    ['//', 'plain'],
    ['/[unclosed/', 'bad-regex'],
    ['/(/', 'bad-regex'],
  ])('%s is %s', (key, kind) => {
    expect(parseKey(key).kind).toBe(kind);
  });

  it('keeps the flags', () => {
    const parsed = parseKey('/Dragon/i');
    expect(parsed.kind === 'regex' && parsed.regex.flags).toBe('i');
  });

  it('treats an escaped slash as a slash', () => {
    const parsed = parseKey('/either\\/or/');
    expect(parsed.kind === 'regex' && regexMatches(parsed.regex, 'either/or')).toBe(true);
  });
});

describe('regexMatches', () => {
  it('gives the same answer every time for g and y regexes', () => {
    const global = /dragon/g;
    expect([regexMatches(global, 'a dragon'), regexMatches(global, 'a dragon'), regexMatches(global, 'a dragon')]).toEqual([true, true, true]);
    const sticky = /a/y;
    expect([regexMatches(sticky, 'ab'), regexMatches(sticky, 'ab')]).toEqual([true, true]);
  });
});

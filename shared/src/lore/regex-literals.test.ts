import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './regex-literals.ts';

describe('requiredLiterals', () => {
  it.each<[string, string, string[] | null]>([
    ['dragon', '', ['dragon']],
    ['Dragon', 'i', ['dragon']],
    ['\\bkeeper(s)?\\b', 'i', ['keeper']],
    ['\\b(?:keeper|warden)s?\\b', 'i', ['keeper', 'warden']],
    ['drag(on|oon)', '', ['drag']],
    ['(red|gold) dragon', '', [' dragon']],
    ['ab+cd', '', ['ab']], // 'ab' and 'cd' are both required; the first of equal length is kept
    ['colou?r', '', ['colo']],
    ['x*yz', '', ['yz']],
    ['a.b', '', null],
    ['\\d+ gold coins', '', [' gold coins']],
    ['either\\/or', '', ['either/or']],
    ['(?<name>wolf|hound)', '', ['wolf', 'hound']],
    ['(?=castle)tower', '', ['tower']],
    ['(?!x)', '', null],
    ['[abc]+', '', null],
    ['cat|[dog]', '', null],
    ['(?:wolf)?hound', '', ['hound']],
    ['(wolf){2}', '', ['wolf']],
    ['(wolf){0,3}pack', '', ['pack']],
    ['line\\nbreak', '', ['break']],
    ['café', '', ['café']],
    ['café', 'i', ['caf']],
    ['σοφία', 'i', null],
    ['wolf', 'iu', null],
    ['a', '', null],
    ['^$', '', null],
  ])('/%s/%s -> %j', (source, flags, expected) => {
    expect(requiredLiterals(source, flags)).toEqual(expected);
  });

  it('never claims a literal that a real match lacks', () => {
    const cases: [string, string, string][] = [
      ['\\b(?:keeper|warden)s?\\b', 'i', 'The WARDENS left'],
      ['colou?r', '', 'color'],
      ['ab+cd', '', 'abbbcd'],
      ['(wolf){0,3}pack', '', 'pack'],
      ['\\d+ gold coins', '', '12 gold coins'],
    ];
    for (const [source, flags, text] of cases) {
      expect(new RegExp(source, flags).test(text)).toBe(true);
      const haystack = flags.includes('i') ? text.toLowerCase() : text;
      expect(requiredLiterals(source, flags)?.some((needle) => haystack.includes(needle))).toBe(true);
    }
  });
});

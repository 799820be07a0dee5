import { describe, expect, it } from 'vitest';
import { substituteMacros } from './substitute.ts';
import type { MacroContext } from './types.ts';

// Built from local components, so the expectations hold in any time zone.
const NOW = new Date(2026, 10, 3, 15, 5, 9); // Tuesday, November 3, 2026, 3:05 PM local time

const ctx: MacroContext = {
  char: 'Seraphina',
  user: 'Ann',
  description: '{{char}} guards the glade.',
  personality: 'Kind to {{user}}.',
  scenario: 'A forest at dusk.',
  persona: 'A lost traveller.',
  mesExamples: '<START>\n{{user}}: Hi\n{{char}}: Hello',
  original: 'ORIGINAL',
  lastMessage: 'See you {{char}}',
  lastUserMessage: 'Where am I?',
  lastCharMessage: 'In my glade.',
  model: 'gpt-4o',
  now: NOW,
  chatId: 'chat-1',
  rng: () => 0,
};

const sub = (text: string, extra: Partial<MacroContext> = {}) => substituteMacros(text, { ...ctx, ...extra }).text;

describe('substituteMacros: names and fields', () => {
  it.each([
    ['{{char}}', 'Seraphina'],
    ['{{user}}', 'Ann'],
    ['{{description}}', 'Seraphina guards the glade.'],
    ['{{personality}}', 'Kind to Ann.'],
    ['{{scenario}}', 'A forest at dusk.'],
    ['{{persona}}', 'A lost traveller.'],
    ['{{mesExamples}}', '<START>\nAnn: Hi\nSeraphina: Hello'],
    ['{{lastMessage}}', 'See you {{char}}'], // chat text is inserted literally
    ['{{lastUserMessage}}', 'Where am I?'],
    ['{{lastCharMessage}}', 'In my glade.'],
    ['{{model}}', 'gpt-4o'],
    ['{{group}}', 'Seraphina'],
    ['{{charIfNotGroup}}', 'Seraphina'],
    ['{{CHAR}} and {{User}} and {{mesexamples}}', 'Seraphina and Ann and <START>\nAnn: Hi\nSeraphina: Hello'],
    ['{{ char }}', 'Seraphina'],
    ['<USER> meets <BOT> and <char>', 'Ann meets Seraphina and Seraphina'],
    ['{{newline}}', '\n'],
    ['a{{noop}}b', 'ab'],
  ])('%j -> %j', (text, expected) => {
    expect(sub(text)).toBe(expected);
  });

  it('uses the nickname for {{char}} when there is one', () => {
    expect(sub('{{char}}', { nickname: 'Sera' })).toBe('Sera');
    expect(sub('<BOT>', { nickname: 'Sera' })).toBe('Sera');
    expect(sub('{{char}}', { nickname: '' })).toBe('Seraphina');
  });

  it('expands missing fields to nothing', () => {
    expect(substituteMacros('[{{scenario}}|{{user}}|{{lastMessage}}]', {}).text).toBe('[||]');
  });

  it('{{original}} is inserted once, and stays as written when there is nothing to insert', () => {
    expect(sub('{{original}} + {{original}}')).toBe('ORIGINAL + ');
    expect(substituteMacros('{{original}}', {}).text).toBe('{{original}}');
  });

  it('stops expanding a field that refers to itself', () => {
    const result = sub('{{description}}', { description: 'A {{description}}' });
    expect(result).toBe('A A A A {{description}}');
  });
});

describe('substituteMacros: unknown and malformed macros stay as written', () => {
  it.each([
    ['{{unknown}}'],
    ['{{char\'s}}'],
    ['{{random}}'],
    ['{{random::}}'],
    ['{{getvar}}'],
    ['{{setvar::onlyname}}'],
    ['{{roll}}'],
    ['{{reverse}}'],
    ['{{}}'],
    ['{{ }}'],
    ['{{user::x}}'],
    ['{ {char} }'],
    ['{{char'],
    ['char}}'],
    ['{"json": {"nested": 1}}'],
  ])('%j', (text) => {
    expect(sub(text)).toBe(text);
  });

  it('expands known macros inside an unknown one', () => {
    expect(sub('{{mystery::{{char}}}}')).toBe('{{mystery::Seraphina}}');
  });

  it('takes the innermost braces of a longer run', () => {
    expect(sub('{{{char}}}')).toBe('{Seraphina}');
  });

  it('leaves an unclosed opener but expands what follows', () => {
    expect(sub('{{ oops {{char}}')).toBe('{{ oops Seraphina');
  });
});

describe('substituteMacros: comments and trim', () => {
  it.each([
    ['a{{// a note}}b', 'ab'],
    ['a{{//multi\nline}}b', 'ab'],
    ['a{{// note with {{setvar::x::1}} inside}}b{{getvar::x}}', 'ab'],
    ['first\n\n{{trim}}\n\nsecond', 'firstsecond'],
    ['first\r\n{{TRIM}}\r\nsecond', 'firstsecond'],
    ['  keep spaces {{trim}}  ', '  keep spaces   '],
  ])('%j -> %j', (text, expected) => {
    expect(sub(text)).toBe(expected);
  });
});

describe('substituteMacros: time', () => {
  it.each([
    ['{{time}}', '3:05 PM'],
    ['{{date}}', 'November 3, 2026'],
    ['{{weekday}}', 'Tuesday'],
    ['{{isotime}}', '15:05'],
    ['{{isodate}}', '2026-11-03'],
  ])('%s -> %s', (text, expected) => {
    expect(sub(text)).toBe(expected);
  });

  it('formats midnight and noon like moment', () => {
    expect(sub('{{time}}', { now: new Date(2026, 0, 1, 0, 7) })).toBe('12:07 AM');
    expect(sub('{{time}}', { now: new Date(2026, 0, 1, 12, 0) })).toBe('12:00 PM');
  });

  it('{{time_UTC+2}} is independent of the local zone', () => {
    const at = new Date(Date.UTC(2026, 10, 3, 22, 30));
    expect(sub('{{time_UTC+2}}', { now: at })).toBe('12:30 AM');
    expect(sub('{{time_UTC-5}}', { now: at })).toBe('5:30 PM');
  });

  it.each<[number | undefined, string]>([
    [undefined, 'just now'],
    [10_000, 'a few seconds'],
    [60_000, 'a minute'],
    [5 * 60_000, '5 minutes'],
    [60 * 60_000, 'an hour'],
    [3 * 3_600_000, '3 hours'],
    [30 * 3_600_000, 'a day'],
    [4 * 86_400_000, '4 days'],
    [40 * 86_400_000, 'a month'],
    [100 * 86_400_000, '3 months'],
    [400 * 86_400_000, 'a year'],
    [1000 * 86_400_000, '3 years'],
  ])('{{idle_duration}} after %s ms -> %s', (ago, expected) => {
    const lastUserMessageAt = ago === undefined ? undefined : NOW.getTime() - ago;
    expect(sub('{{idle_duration}}', { lastUserMessageAt })).toBe(expected);
  });

  it('{{idle_duration}} accepts a Date', () => {
    expect(sub('{{idle_duration}}', { lastUserMessageAt: new Date(NOW.getTime() - 2 * 3_600_000) })).toBe('2 hours');
  });
});

describe('substituteMacros: random, pick, roll', () => {
  it.each<[string, number, string]>([
    ['{{random::a::b::c}}', 0, 'a'],
    ['{{random::a::b::c}}', 0.99, 'c'],
    ['{{random:a,b,c}}', 0.5, 'b'],
    ['{{random: a , b }}', 0.99, 'b'],
    ['{{random::x,y}}', 0.99, 'y'],
    ['{{random:one\\, two,three}}', 0, 'one, two'],
    ['{{random::a:: b }}', 0.99, ' b '],
    ['{{RANDOM::a::b}}', 0.99, 'b'],
  ])('%s with roll %d -> %j', (text, roll, expected) => {
    expect(sub(text, { rng: () => roll })).toBe(expected);
  });

  it('{{pick}} is stable for the same chat and place', () => {
    const text = 'I choose {{pick::red::green::blue::gold::silver}}.';
    const first = sub(text);
    expect(sub(text, { rng: () => 0.99 })).toBe(first);
    expect(sub(text, { rng: () => 0.5 })).toBe(first);
  });

  it('{{pick}} changes with the chat, the place and the position in the text', () => {
    const picks = (text: string, extra: Partial<MacroContext>) =>
      Array.from({ length: 12 }, (_, i) => sub(text, { ...extra, chatId: `chat-${i}` })).join(',');
    const text = '{{pick::a::b::c::d::e::f::g::h}}';
    expect(new Set(picks(text, {}).split(',')).size).toBeGreaterThan(1);
    expect(picks(text, { pickSeed: 'description' })).not.toBe(picks(text, { pickSeed: 'scenario' }));
    const twice = sub(`${text}${text}${text}${text}${text}${text}`);
    expect(new Set(twice.split('')).size).toBeGreaterThan(1);
  });

  it('{{pick:a,b}} accepts the comma form', () => {
    expect(['a', 'b']).toContain(sub('{{pick:a,b}}'));
  });

  it.each<[string, number, string]>([
    ['{{roll:1d6}}', 0, '1'],
    ['{{roll:1d6}}', 0.99, '6'],
    ['{{roll:d20}}', 0.99, '20'],
    ['{{roll:20}}', 0.5, '11'],
    ['{{roll 1d6}}', 0.99, '6'],
    ['{{roll:2d6+1}}', 0.99, '13'],
    ['{{roll:2d6-1}}', 0, '1'],
    ['{{roll:3d4}}', 0, '3'],
    ['{{roll::1d6}}', 0.99, '6'],
    ['{{roll:banana}}', 0.5, ''],
    ['{{roll:0d6}}', 0.5, ''],
    ['{{roll:1d0}}', 0.5, ''],
    ['{{roll:99999d6}}', 0.5, ''],
  ])('%s with roll %d -> %j', (text, roll, expected) => {
    expect(sub(text, { rng: () => roll })).toBe(expected);
  });

  it('{{reverse:text}} reverses', () => {
    expect(sub('{{reverse:abc}}')).toBe('cba');
  });
});

describe('substituteMacros: variables', () => {
  const run = (text: string, variables: Record<string, string> = {}) => substituteMacros(text, { ...ctx, variables });

  it.each<[string, Record<string, string>, string, Record<string, string>]>([
    ['{{setvar::mood::happy}}', {}, '', { mood: 'happy' }],
    ['{{getvar::mood}}', { mood: 'sad' }, 'sad', { mood: 'sad' }],
    ['{{getvar::missing}}', {}, '', {}],
    ['{{getvar:: mood }}', { mood: 'sad' }, 'sad', { mood: 'sad' }],
    ['{{getvar::n}}', { n: '007' }, '7', { n: '007' }],
    ['{{setvar::x::a::b}}', {}, '', { x: 'a::b' }],
    ['{{setvar::x::}}', { x: 'old' }, '', { x: '' }],
    ['{{addvar::hp::5}}', { hp: '10' }, '', { hp: '15' }],
    ['{{addvar::hp::-3}}', { hp: '10' }, '', { hp: '7' }],
    ['{{addvar::hp::5}}', {}, '', { hp: '5' }],
    ['{{addvar::log:: more}}', { log: 'some' }, '', { log: 'some more' }],
    ['{{addvar::list::c}}', { list: '["a","b"]' }, '', { list: '["a","b","c"]' }],
    ['{{incvar::n}}', { n: '1' }, '2', { n: '2' }],
    ['{{incvar::n}}', {}, '1', { n: '1' }],
    ['{{decvar::n}}', { n: '1' }, '0', { n: '0' }],
    ['{{SETVAR::a::1}}{{GetVar::a}}', {}, '1', { a: '1' }],
  ])('%s with %j -> %j, %j', (text, before, expected, after) => {
    const result = run(text, before);
    expect(result.text).toBe(expected);
    expect(result.variables).toEqual(after);
  });

  it('runs left to right, so a value set earlier is read later', () => {
    expect(run('{{getvar::x}}|{{setvar::x::1}}|{{getvar::x}}|{{incvar::x}}|{{getvar::x}}').text).toBe('||1|2|2');
  });

  it('expands nested macros in arguments first', () => {
    const result = run('{{setvar::who::{{char}}}}Hello {{getvar::who}}, {{random::{{user}}::nobody}}');
    expect(result.text).toBe('Hello Seraphina, Ann');
    expect(result.variables).toEqual({ who: 'Seraphina' });
  });

  it('variable names are case-sensitive', () => {
    expect(run('{{getvar::Mood}}', { mood: 'sad' }).text).toBe('');
  });

  it('never changes the variables it was given', () => {
    const variables = { n: '1' };
    const result = substituteMacros('{{incvar::n}}', { variables });
    expect(variables).toEqual({ n: '1' });
    expect(result.variables).toEqual({ n: '2' });
  });

  it('variable values are inserted literally, not expanded again', () => {
    expect(run('{{getvar::x}}', { x: '{{char}}' }).text).toBe('{{char}}');
  });
});

describe('substituteMacros: plain text', () => {
  it('returns text without macros unchanged', () => {
    const text = 'Nothing to see here: {single braces} and a < b > c.';
    expect(sub(text)).toBe(text);
  });

  it('returns a fresh variables object even with no macros', () => {
    const variables = { a: '1' };
    const result = substituteMacros('plain', { variables });
    expect(result.variables).toEqual(variables);
    expect(result.variables).not.toBe(variables);
  });
});

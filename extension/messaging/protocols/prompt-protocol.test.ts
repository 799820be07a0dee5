import { describe, expect, it } from 'vitest';
import { MessageError } from '../validate.ts';
import { PROMPT_VALIDATORS as V } from './prompt-protocol.ts';

describe('prompt settings validators', () => {
  it('accept a partial update with only known fields', () => {
    expect(V['prompt.settings.update']({ insertionStrategy: 'evenly' })).toEqual({ insertionStrategy: 'evenly' });
    expect(V['prompt.settings.update']({ globalLorebookIds: ['a'], hostSystemMode: 'merge' })).toEqual({ globalLorebookIds: ['a'], hostSystemMode: 'merge' });
    expect(V['prompt.settings.update']({})).toEqual({});
    expect(V['prompt.settings.update']({ contextSize: 32_768 })).toEqual({ contextSize: 32_768 });
    // null: follow the model's name again.
    expect(V['prompt.settings.update']({ contextSize: null })).toEqual({ contextSize: null });
    expect(V['prompt.settings.update']({ memoryPercent: 25 })).toEqual({ memoryPercent: 25 });
    expect(() => V['prompt.settings.update']({ memoryPercent: 51 })).toThrow('memoryPercent must be a whole number from 0 to 50');
    expect(() => V['prompt.settings.update']({ memoryPercent: 12.5 })).toThrow('memoryPercent must be a whole number from 0 to 50');
    expect(V['prompt.settings.get']({})).toEqual({});
  });

  it.each([
    ['a payload that is not an object', [], 'payload must be an object'],
    ['an unknown strategy', { insertionStrategy: 'random' }, 'insertionStrategy must be one of evenly, character_first, global_first'],
    ['a system prompt mode of null (the global setting has no "follow")', { hostSystemMode: null }, 'hostSystemMode must be one of drop, keep, merge'],
    ['a book listed twice', { globalLorebookIds: ['a', 'a'] }, 'globalLorebookIds lists the lorebook a twice'],
    ['a field that is not a prompt setting', { version: 2 }, 'version is not a prompt setting (expected globalLorebookIds, insertionStrategy, hostSystemMode, contextSize, memoryPercent)'],
    ['a context size too small for any prompt', { contextSize: 100 }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
    ['a context size that is not whole', { contextSize: 4096.5 }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
    ['a context size as text', { contextSize: '8k' }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
  ])('refuse %s with a reason', (_name, payload, message) => {
    expect(() => V['prompt.settings.update'](payload)).toThrow(new MessageError(message));
  });
});

describe('page-side build validators', () => {
  const report = { at: 1, characterName: 'Mira', model: 'gpt-4o-mini', provider: 'OpenAI', parts: [], lore: { entries: [], warnings: [], budget: { limit: 0, used: 0, overflowed: false }, skipped: 0 }, trimmed: { historyDropped: 0, historyKept: 0, greetingDropped: false }, fit: { contextSize: 1, reserved: 0, total: 0, fits: true } };
  const state = { version: 1, timedState: { version: 1, sticky: { 'Book.1': { start: 2, end: 5, protected: false } }, cooldown: {} }, variables: { seen: 'tower' } };

  it('accept a kit request, a count request and a build\'s outcome, keeping only known state fields', () => {
    expect(V['prompt.kit']({ chatKey: 'http://a#s', model: 'gpt-4o' })).toEqual({ chatKey: 'http://a#s', model: 'gpt-4o' });
    expect(V['prompt.count']({ model: 'gpt-4o', texts: ['a', 'b'] })).toEqual({ model: 'gpt-4o', texts: ['a', 'b'] });
    const outcome = V['prompt.used']({ chatKey: 'http://a#s', state: { ...state, extra: 1 }, report });
    expect(outcome.state).toEqual(state);
    expect(outcome.report).toEqual(report);
  });

  it.each([
    ['too many texts to count', 'prompt.count', { model: 'm', texts: Array(65).fill('x') }, 'texts must be a list of at most 64'],
    ['too much text to count', 'prompt.count', { model: 'm', texts: ['x'.repeat(1_500_000), 'y'.repeat(600_000)] }, 'texts may hold at most 2000000 characters in all'],
    ['a state of another version', 'prompt.used', { chatKey: 'k', state: { ...state, version: 2 }, report }, 'state.version must be 1'],
    ['a variable that is not text', 'prompt.used', { chatKey: 'k', state: { ...state, variables: { n: 1 } }, report }, 'state.variables.n must be text'],
    ['a malformed timer', 'prompt.used', { chatKey: 'k', state: { ...state, timedState: { version: 1, sticky: { x: { start: 1 } }, cooldown: {} } }, report }, 'sticky.x must be { start, end, protected }'],
    ['a report without parts', 'prompt.used', { chatKey: 'k', state, report: { ...report, parts: 'x' } }, 'report must have at, characterName, model and parts'],
  ] as const)('refuse %s with a reason', (_name, type, payload, message) => {
    expect(() => (V[type] as (p: unknown) => unknown)(payload)).toThrow(new MessageError(message));
  });
});

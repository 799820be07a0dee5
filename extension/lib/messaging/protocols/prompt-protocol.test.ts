import { describe, expect, it } from 'vitest';
import { MessageError } from '../validate.ts';
import { PROMPT_VALIDATORS as V } from './prompt-protocol.ts';

describe('prompt settings validators', () => {
  it('accept a partial update with only known fields', () => {
    expect(V['prompt.settings.update']({ insertionStrategy: 'evenly' })).toEqual({ insertionStrategy: 'evenly' });
    expect(V['prompt.settings.update']({ globalLorebookIds: ['a'], hostSystemMode: 'merge' })).toEqual({ globalLorebookIds: ['a'], hostSystemMode: 'merge' });
    expect(V['prompt.settings.update']({})).toEqual({});
    expect(V['prompt.settings.get']({})).toEqual({});
  });

  it.each([
    ['a payload that is not an object', [], 'payload must be an object'],
    ['an unknown strategy', { insertionStrategy: 'random' }, 'insertionStrategy must be one of evenly, character_first, global_first'],
    ['a system prompt mode of null (the global setting has no "follow")', { hostSystemMode: null }, 'hostSystemMode must be one of drop, keep, merge'],
    ['a book listed twice', { globalLorebookIds: ['a', 'a'] }, 'globalLorebookIds lists the lorebook a twice'],
    ['a field that is not a prompt setting', { version: 2 }, 'version is not a prompt setting (expected globalLorebookIds, insertionStrategy, hostSystemMode)'],
  ])('refuse %s with a reason', (_name, payload, message) => {
    expect(() => V['prompt.settings.update'](payload)).toThrow(new MessageError(message));
  });
});

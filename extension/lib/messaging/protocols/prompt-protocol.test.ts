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
    expect(V['prompt.settings.get']({})).toEqual({});
  });

  it.each([
    ['a payload that is not an object', [], 'payload must be an object'],
    ['an unknown strategy', { insertionStrategy: 'random' }, 'insertionStrategy must be one of evenly, character_first, global_first'],
    ['a system prompt mode of null (the global setting has no "follow")', { hostSystemMode: null }, 'hostSystemMode must be one of drop, keep, merge'],
    ['a book listed twice', { globalLorebookIds: ['a', 'a'] }, 'globalLorebookIds lists the lorebook a twice'],
    ['a field that is not a prompt setting', { version: 2 }, 'version is not a prompt setting (expected globalLorebookIds, insertionStrategy, hostSystemMode, contextSize)'],
    ['a context size too small for any prompt', { contextSize: 100 }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
    ['a context size that is not whole', { contextSize: 4096.5 }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
    ['a context size as text', { contextSize: '8k' }, 'contextSize must be a whole number of tokens from 1024 to 2000000, or empty to follow the model'],
  ])('refuse %s with a reason', (_name, payload, message) => {
    expect(() => V['prompt.settings.update'](payload)).toThrow(new MessageError(message));
  });
});

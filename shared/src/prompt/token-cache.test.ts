import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_CACHE_ENTRIES } from './limits.ts';
import { cachedCounter, messageTokens } from './token-cache.ts';
import type { ChatMessage } from './types.ts';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('cachedCounter', () => {
  it('counts a text once per counter and forgets the oldest beyond its bound', () => {
    let calls = 0;
    const counter = (text: string) => {
      calls++;
      return words(text);
    };
    const count = cachedCounter(counter);
    expect(count('a b c')).toBe(3);
    expect(cachedCounter(counter)('a b c')).toBe(3);
    expect(calls).toBe(1);
    for (let i = 0; i < MAX_TOKEN_CACHE_ENTRIES; i++) count(`t${i}`);
    calls = 0;
    count('a b c');
    expect(calls).toBe(1);
  });

  it('never calls the counter for empty text', () => {
    const count = cachedCounter(() => {
      throw new Error('called');
    });
    expect(count('')).toBe(0);
  });
});

describe('messageTokens', () => {
  it.each<[ChatMessage, number]>([
    [{ role: 'user', content: 'a b' }, 3 + 1 + 2],
    [{ role: 'system', name: 'example_user', content: 'a' }, 3 + 1 + 1 + 1 + 1],
    [{ role: 'user', content: [{ type: 'text', text: 'a b' }, { type: 'image_url', image_url: { url: 'x' } }] }, 3 + 1 + 2 + 765],
    [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x', detail: 'low' } }] }, 3 + 1 + 85],
  ])('%j costs %i', (message, expected) => {
    expect(messageTokens(message, words)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { replyReserve } from './budget.ts';

describe('replyReserve', () => {
  it.each<[Record<string, unknown>, number, number]>([
    [{ max_tokens: 4000 }, 128_000, 4000],
    [{ max_completion_tokens: 2000 }, 128_000, 2000],
    [{ max_tokens: 4000, max_completion_tokens: 2000 }, 128_000, 4000],
    [{}, 128_000, 1024],
    [{ max_tokens: 0 }, 128_000, 1024],
    [{ max_tokens: 'lots' }, 128_000, 1024],
    [{ max_tokens: 32_000 }, 8192, 4096],
    [{}, 1000, 500],
    [{ max_tokens: 99.9 }, 1000, 99],
  ])('%j with a %i context keeps %i', (extra, contextSize, expected) => {
    expect(replyReserve({ messages: [], ...extra }, contextSize)).toBe(expected);
  });
});

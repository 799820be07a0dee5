import { describe, expect, it } from 'vitest';
import { describeError, mapLimit } from './index.ts';

describe('mapLimit', () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3], 2, async (n, i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return `${i}:${n}`;
    });
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3']);
    expect(peak).toBe(2);
  });

  it('runs one at a time when the limit is not positive, and nothing for no items', async () => {
    expect(await mapLimit([1, 2], 0, async (n) => n * 2)).toEqual([2, 4]);
    expect(await mapLimit([], 4, async () => 1)).toEqual([]);
  });
});

describe('describeError', () => {
  it('keeps a typed error\'s code and gives others the fallback', () => {
    expect(describeError(Object.assign(new Error('gone'), { code: 'character/not-found' }), 'x/failed')).toEqual({ code: 'character/not-found', message: 'gone' });
    expect(describeError(new Error('boom'), 'import/failed')).toEqual({ code: 'import/failed', message: 'boom' });
    expect(describeError('text', 'import/failed')).toEqual({ code: 'import/failed', message: 'text' });
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limiter.ts';

describe('TokenBucket', () => {
  it('allows the burst at once, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now += 100; // one token at 10/s
    expect([bucket.take(), bucket.take()]).toEqual([true, false]);
    now += 10_000; // refills to the burst, no further
    expect(Array.from({ length: 4 }, () => bucket.take())).toEqual([true, true, true, false]);
  });
});

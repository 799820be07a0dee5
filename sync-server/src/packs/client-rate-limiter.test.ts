import { describe, expect, it } from 'vitest';
import { testClock } from '../testing/packs.ts';
import { ClientRateLimiter } from './client-rate-limiter.ts';

describe('ClientRateLimiter', () => {
  it('allows the burst, then the rate, per client', () => {
    const clock = testClock();
    const limiter = new ClientRateLimiter({ perInterval: 2, intervalMs: 1000, burst: 3 }, 100, clock.now);
    for (let i = 0; i < 3; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b').ok).toBe(true);
    clock.advance(500);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  it('charges costs (bytes) and never admits a cost beyond the burst', () => {
    const clock = testClock();
    const limiter = new ClientRateLimiter({ perInterval: 100, intervalMs: 1000, burst: 1000 }, 100, clock.now);
    expect(limiter.take('a', 800).ok).toBe(true);
    expect(limiter.take('a', 800)).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(limiter.take('a', 1001)).toEqual({ ok: false, retryAfterSeconds: Infinity });
  });

  it('remembers at most maxClients, forgetting the least recently seen', () => {
    const clock = testClock();
    const limiter = new ClientRateLimiter({ perInterval: 1, intervalMs: 60_000, burst: 1 }, 2, clock.now);
    limiter.take('a');
    limiter.take('b');
    limiter.take('a');
    limiter.take('c');
    expect(limiter.size).toBe(2);
    expect(limiter.take('a').ok).toBe(false); // still remembered, still empty
    expect(limiter.take('b').ok).toBe(true); // forgotten: a full bucket again
  });
});

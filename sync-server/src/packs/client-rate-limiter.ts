/**
 * Token buckets per client (an address), for the pack routes: `burst` units at once, refilled at
 * `perInterval` units per `intervalMs`. Units are requests or bytes. The map is bounded: beyond
 * `maxClients` the least recently seen client is forgotten (and starts again with a full bucket),
 * so a flood of addresses costs bounded memory.
 */
export class ClientRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly rule: { perInterval: number; intervalMs: number; burst: number },
    private readonly maxClients: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = rule.perInterval / rule.intervalMs;
  }

  /**
   * Takes `cost` units from `client`'s bucket; when it holds too few, takes nothing and says how
   * many seconds until it will hold enough (Infinity when `cost` exceeds the burst: never).
   */
  take(client: string, cost = 1): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const now = this.now();
    const bucket = this.buckets.get(client) ?? { tokens: this.rule.burst, at: now };
    bucket.tokens = Math.min(this.rule.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    // Re-inserted so the Map's order is least recently seen first.
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { ok: true };
    }
    if (cost > this.rule.burst || this.perMs <= 0) return { ok: false, retryAfterSeconds: Infinity };
    // Whole milliseconds first, so float noise never adds a second.
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.round((cost - bucket.tokens) / this.perMs) / 1000)) };
  }

  /** Clients currently remembered. */
  get size(): number {
    return this.buckets.size;
  }
}

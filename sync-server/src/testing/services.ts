/**
 * The real Postgres and Redis on this machine, for integration tests. Override with
 * TROUPE_TEST_POSTGRES_URL / TROUPE_TEST_REDIS_URL. Every test uses its own table prefix or
 * channel prefix and removes what it created.
 */
export const TEST_POSTGRES_URL = process.env.TROUPE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TROUPE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A name unique to this test run, safe as a SQL identifier prefix and a Redis channel prefix. */
export function uniquePrefix(label: string): string {
  return `t_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
}

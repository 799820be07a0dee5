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

/**
 * Whether the test Postgres answers. Suites that need it run against it; they skip (saying why)
 * only when it cannot be reached at all, so a machine without Postgres still runs everything else.
 */
export async function postgresReachable(): Promise<boolean> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    console.warn(`Postgres at ${TEST_POSTGRES_URL} is unreachable (${String(error)}); skipping the Postgres pack suites.`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresStore } from './postgres-store.ts';
import { STORE_SCHEMA_VERSION, StoreError } from './doc-store.ts';
import { describeStoreContract } from '../testing/store-contract.ts';
import { TEST_POSTGRES_URL, uniquePrefix } from '../testing/services.ts';

describeStoreContract(
  'postgres',
  () => PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix: uniquePrefix('contract') }),
  async (store) => (store as PostgresStore).dropTables(),
);

describe('PostgresStore', () => {
  it('creates its tables once even when several nodes start at the same moment', async () => {
    const tablePrefix = uniquePrefix('migrate');
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix })));
    await stores[0]!.append('room-shared', [Uint8Array.of(0, 0)]);
    expect(await stores[2]!.load('room-shared')).toHaveLength(1);
    await stores[0]!.dropTables();
    await Promise.all(stores.map((store) => store.close()));
  });

  it('refuses tables written by a newer schema', async () => {
    const tablePrefix = uniquePrefix('newer');
    const store = await PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix });
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`UPDATE ${tablePrefix}meta SET value = $1 WHERE key = 'schema_version'`, [String(STORE_SCHEMA_VERSION + 1)]);
      await expect(PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix })).rejects.toBeInstanceOf(StoreError);
    } finally {
      await client.end();
      await store.dropTables();
      await store.close();
    }
  });

  it('refuses a table prefix that is not a plain identifier', async () => {
    await expect(PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix: 'x; DROP TABLE y; --' })).rejects.toBeInstanceOf(StoreError);
  });
});

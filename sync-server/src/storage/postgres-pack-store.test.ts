import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { describePackStoreContract } from '../testing/pack-store-contract.ts';
import { postgresReachable, TEST_POSTGRES_URL, uniquePrefix } from '../testing/services.ts';
import { StoreError } from './doc-store.ts';
import { PACK_STORE_SCHEMA_VERSION } from './pack-store.ts';
import { PostgresPackStore } from './postgres-pack-store.ts';
import { PostgresStore } from './postgres-store.ts';

const reachable = await postgresReachable();

describe.skipIf(!reachable)('PostgresPackStore', () => {
  describePackStoreContract(
    'postgres',
    () => PostgresPackStore.open(TEST_POSTGRES_URL, { tablePrefix: uniquePrefix('packs') }),
    async (store) => (store as PostgresPackStore).dropTables(),
  );

  it('shares the meta table with the room store, each with its own schema version', async () => {
    const tablePrefix = uniquePrefix('packmeta');
    const [rooms, packs] = await Promise.all([PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix }), PostgresPackStore.open(TEST_POSTGRES_URL, { tablePrefix })]);
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>(`SELECT key FROM ${tablePrefix}meta ORDER BY key`);
      expect(rows.map((row) => row.key)).toEqual(['packs_schema_version', 'schema_version']);
      await client.query(`UPDATE ${tablePrefix}meta SET value = $1 WHERE key = 'packs_schema_version'`, [String(PACK_STORE_SCHEMA_VERSION + 1)]);
      await expect(PostgresPackStore.open(TEST_POSTGRES_URL, { tablePrefix })).rejects.toBeInstanceOf(StoreError);
    } finally {
      await client.end();
      await packs.dropTables();
      await rooms.dropTables();
      await Promise.all([packs.close(), rooms.close()]);
    }
  });
});

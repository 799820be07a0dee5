import { describe } from 'vitest';
import { PostgresPackStore } from '../storage/postgres-pack-store.ts';
import { describePackRoutes } from '../testing/pack-routes-suite.ts';
import { postgresReachable, TEST_POSTGRES_URL, uniquePrefix } from '../testing/services.ts';

const reachable = await postgresReachable();

describe.skipIf(!reachable)('pack routes against the real Postgres', () => {
  describePackRoutes(
    'Postgres',
    () => PostgresPackStore.open(TEST_POSTGRES_URL, { tablePrefix: uniquePrefix('packroutes') }),
    async (store) => (store as PostgresPackStore).dropTables(),
  );
});

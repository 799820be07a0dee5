import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { describePackStoreContract } from '../testing/pack-store-contract.ts';
import { PACK_STORE_SCHEMA_VERSION } from './pack-store.ts';
import { SqlitePackStore } from './sqlite-pack-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'troupe-packs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describePackStoreContract('sqlite', () => SqlitePackStore.open(join(dir, 'contract.sqlite')));

describe('SqlitePackStore', () => {
  it('versions its own file and refuses a newer schema', async () => {
    const file = join(dir, 'version.sqlite');
    await (await SqlitePackStore.open(file)).close();
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(PACK_STORE_SCHEMA_VERSION);
    db.pragma(`user_version = ${PACK_STORE_SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqlitePackStore.open(file)).rejects.toMatchObject({ name: 'StoreError', code: 'store/newer-schema' });
  });
});

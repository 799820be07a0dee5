import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';
import { STORE_SCHEMA_VERSION, StoreError } from './doc-store.ts';
import { describeStoreContract } from '../testing/store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'troupe-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('sqlite', () => SqliteStore.open(join(dir, 'contract.sqlite')));

describe('SqliteStore', () => {
  it('uses WAL and keeps data across reopening the file', async () => {
    const file = join(dir, 'reopen.sqlite');
    const first = await SqliteStore.open(file);
    await first.append('room-reopen', [Uint8Array.of(0, 0)]);
    await first.bindToken('room-reopen', 'hash');
    await first.close();
    const db = new Database(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(STORE_SCHEMA_VERSION);
    db.close();
    const second = await SqliteStore.open(file);
    expect(await second.load('room-reopen')).toHaveLength(1);
    expect(await second.bindToken('room-reopen', 'hash')).toBe('matched');
    await second.close();
  });

  it('refuses a file written by a newer schema', async () => {
    const file = join(dir, 'newer.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${STORE_SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqliteStore.open(file)).rejects.toMatchObject({ name: 'StoreError', code: 'store/newer-schema' });
  });

  it('refuses calls once closed', async () => {
    const store = await SqliteStore.open(join(dir, 'closed.sqlite'));
    await store.close();
    await expect(store.load('room-closed')).rejects.toBeInstanceOf(StoreError);
  });
});

import { afterEach } from 'vitest';
import Dexie from 'dexie';
import { openTroupeDb, type TroupeDb } from './database.ts';

/**
 * For tests: a factory of fresh databases (`prefix-<uuid>`), each closed and deleted after its test.
 * Call once per test file, at the top level (it registers the `afterEach`).
 */
export function testDbs(prefix: string): () => TroupeDb {
  const opened: TroupeDb[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) {
      db.close();
      await Dexie.delete(db.name);
    }
  });
  return () => {
    const db = openTroupeDb(`${prefix}-${crypto.randomUUID()}`);
    opened.push(db);
    return db;
  };
}

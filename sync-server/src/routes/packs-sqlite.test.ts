import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqlitePackStore } from '../storage/sqlite-pack-store.ts';
import { describePackRoutes } from '../testing/pack-routes-suite.ts';

const dir = mkdtempSync(join(tmpdir(), 'troupe-pack-routes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describePackRoutes('SQLite', () => SqlitePackStore.open(join(dir, 'packs.sqlite')));

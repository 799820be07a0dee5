import { PACK_META_COLUMNS, PACK_STORE_SCHEMA_VERSION, packMetaFromRow, type NewPack, type PackMeta, type PackRow, type PackStore, type PackVersion } from './pack-store.ts';
import { SqliteWorker } from './sqlite-worker-client.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS packs (
    id TEXT PRIMARY KEY,
    publisher_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    expires_at INTEGER,
    revoked_at INTEGER,
    data BLOB
  );
  CREATE INDEX IF NOT EXISTS packs_expiring ON packs (expires_at) WHERE data IS NOT NULL AND expires_at IS NOT NULL;
`;

// `data` is the last column: SQLite then never reads a large blob's overflow pages for a meta query.
const SQL = {
  create: `INSERT INTO packs (id, publisher_hash, version, size, created_at, updated_at, expires_at, revoked_at, data)
           VALUES (?, ?, 1, ?, ?, ?, ?, NULL, ?) ON CONFLICT (id) DO NOTHING`,
  meta: `SELECT ${PACK_META_COLUMNS} FROM packs WHERE id = ?`,
  read: `SELECT ${PACK_META_COLUMNS}, data FROM packs WHERE id = ?`,
  replace: `UPDATE packs SET data = ?, size = ?, version = version + 1, updated_at = ?,
              expires_at = CASE WHEN ? = 1 THEN expires_at ELSE ? END
            WHERE id = ? AND publisher_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)
            RETURNING ${PACK_META_COLUMNS}`,
  revoke: `UPDATE packs SET data = NULL, size = 0, revoked_at = coalesce(revoked_at, ?)
           WHERE id = ? AND publisher_hash = ? RETURNING ${PACK_META_COLUMNS}`,
  sweep: 'UPDATE packs SET data = NULL, size = 0 WHERE data IS NOT NULL AND expires_at IS NOT NULL AND expires_at <= ?',
} as const;

/**
 * Sealed packs in their own SQLite file (packs.sqlite beside troupe.sqlite), on their own worker
 * thread: a 64 MiB upload is one long write, and on the room file it would hold the write lock that
 * every room update waits for. Its own file also gives it its own schema version.
 */
export class SqlitePackStore implements PackStore {
  readonly kind = 'sqlite';

  private constructor(private readonly db: SqliteWorker) {}

  /** Opens (creating and migrating if needed) the pack file; rejects with StoreError if it cannot be used. */
  static async open(file: string): Promise<SqlitePackStore> {
    const db = await SqliteWorker.open(file);
    try {
      await db.migrate(PACK_STORE_SCHEMA_VERSION, SCHEMA, 'pack');
    } catch (error) {
      await db.terminate();
      throw error;
    }
    return new SqlitePackStore(db);
  }

  async create(pack: NewPack): Promise<'created' | 'exists'> {
    const changes = await this.db.call({
      op: 'run',
      sql: SQL.create,
      params: [pack.id, pack.publisherHash, pack.data.length, pack.at, pack.at, pack.expiresAt, pack.data],
    });
    return changes === 1 ? 'created' : 'exists';
  }

  async meta(id: string): Promise<PackMeta | null> {
    const [row] = (await this.db.call({ op: 'all', sql: SQL.meta, params: [id] })) as PackRow[];
    return row ? packMetaFromRow(row) : null;
  }

  async read(id: string): Promise<{ meta: PackMeta; data: Uint8Array | null } | null> {
    const [row] = (await this.db.call({ op: 'all', sql: SQL.read, params: [id] })) as Array<PackRow & { data: Uint8Array | null }>;
    return row ? { meta: packMetaFromRow(row), data: row.data } : null;
  }

  async replace(id: string, publisherHash: string, next: PackVersion): Promise<PackMeta | null> {
    const keep = next.expiresAt === undefined ? 1 : 0;
    const params = [next.data, next.data.length, next.at, keep, next.expiresAt ?? null, id, publisherHash, next.at];
    const [row] = (await this.db.call({ op: 'all', sql: SQL.replace, params })) as PackRow[];
    return row ? packMetaFromRow(row) : null;
  }

  async revoke(id: string, publisherHash: string, at: number): Promise<PackMeta | null> {
    const [row] = (await this.db.call({ op: 'all', sql: SQL.revoke, params: [at, id, publisherHash] })) as PackRow[];
    return row ? packMetaFromRow(row) : null;
  }

  async sweepExpired(now: number): Promise<number> {
    return (await this.db.call({ op: 'run', sql: SQL.sweep, params: [now] })) as number;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

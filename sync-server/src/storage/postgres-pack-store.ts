import pg from 'pg';
import { StoreError } from './doc-store.ts';
import { PACK_META_COLUMNS, PACK_STORE_SCHEMA_VERSION, packMetaFromRow, type NewPack, type PackMeta, type PackRow, type PackStore, type PackVersion } from './pack-store.ts';

export interface PostgresPackStoreOptions {
  /** Prefix of the tables (`<prefix>packs`, and the `packs_schema_version` row of `<prefix>meta`, shared with the room store). */
  tablePrefix?: string;
  /**
   * Connections in this store's pool. Small on purpose: pack requests are rare next to room
   * traffic, and each can move up to 64 MiB, so few at once bounds the memory they take.
   */
  poolSize?: number;
}

const PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,40}$/;
const SCHEMA_KEY = 'packs_schema_version';

/**
 * Sealed packs in Postgres, shared by every relay node: a pack published through one node is
 * fetched, updated or revoked through any other. Every change is one conditional statement, so two
 * nodes racing (a new version against a revoke) leave one consistent row.
 */
export class PostgresPackStore implements PackStore {
  readonly kind = 'postgres';
  private readonly packs: string;
  private readonly metaTable: string;

  private constructor(
    private readonly pool: pg.Pool,
    readonly tablePrefix: string,
  ) {
    this.packs = `${tablePrefix}packs`;
    this.metaTable = `${tablePrefix}meta`;
  }

  /** Connects, creates the table if needed (safe when several nodes start at once) and checks the schema. */
  static async open(connectionString: string, options: PostgresPackStoreOptions = {}): Promise<PostgresPackStore> {
    const prefix = options.tablePrefix ?? 'troupe_';
    if (!PREFIX_PATTERN.test(prefix)) throw new StoreError('store/misconfigured', `Table prefix "${prefix}" must match ${PREFIX_PATTERN}`);
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 4 });
    // An idle client losing its connection must not crash the relay; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresPackStore(pool, prefix);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.tablePrefix}migrate`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.metaTable} (key text PRIMARY KEY, value text NOT NULL)`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.packs} (
          id text PRIMARY KEY,
          publisher_hash text NOT NULL,
          version integer NOT NULL,
          size integer NOT NULL,
          created_at bigint NOT NULL,
          updated_at bigint NOT NULL,
          expires_at bigint,
          revoked_at bigint,
          data bytea
        )`,
      );
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.packs}_expiring ON ${this.packs} (expires_at) WHERE data IS NOT NULL AND expires_at IS NOT NULL`);
      await client.query(`INSERT INTO ${this.metaTable} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [SCHEMA_KEY, String(PACK_STORE_SCHEMA_VERSION)]);
      const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${this.metaTable} WHERE key = $1`, [SCHEMA_KEY]);
      const version = Number(rows[0]?.value);
      if (version > PACK_STORE_SCHEMA_VERSION) {
        throw new StoreError('store/newer-schema', `Postgres pack tables have schema ${version}; this relay understands up to ${PACK_STORE_SCHEMA_VERSION}.`);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async create(pack: NewPack): Promise<'created' | 'exists'> {
    const result = await this.pool.query(
      `INSERT INTO ${this.packs} (id, publisher_hash, version, size, created_at, updated_at, expires_at, revoked_at, data)
       VALUES ($1, $2, 1, $3, $4, $4, $5, NULL, $6) ON CONFLICT (id) DO NOTHING`,
      [pack.id, pack.publisherHash, pack.data.length, pack.at, pack.expiresAt, toBuffer(pack.data)],
    );
    return result.rowCount === 1 ? 'created' : 'exists';
  }

  async meta(id: string): Promise<PackMeta | null> {
    const { rows } = await this.pool.query<PackRow>(`SELECT ${PACK_META_COLUMNS} FROM ${this.packs} WHERE id = $1`, [id]);
    return rows[0] ? packMetaFromRow(rows[0]) : null;
  }

  async read(id: string): Promise<{ meta: PackMeta; data: Uint8Array | null } | null> {
    const { rows } = await this.pool.query<PackRow & { data: Buffer | null }>(`SELECT ${PACK_META_COLUMNS}, data FROM ${this.packs} WHERE id = $1`, [id]);
    const row = rows[0];
    return row ? { meta: packMetaFromRow(row), data: row.data } : null;
  }

  async replace(id: string, publisherHash: string, next: PackVersion): Promise<PackMeta | null> {
    const { rows } = await this.pool.query<PackRow>(
      `UPDATE ${this.packs} SET data = $1, size = $2, version = version + 1, updated_at = $3,
         expires_at = CASE WHEN $4 THEN expires_at ELSE $5::bigint END
       WHERE id = $6 AND publisher_hash = $7 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $3)
       RETURNING ${PACK_META_COLUMNS}`,
      [toBuffer(next.data), next.data.length, next.at, next.expiresAt === undefined, next.expiresAt ?? null, id, publisherHash],
    );
    return rows[0] ? packMetaFromRow(rows[0]) : null;
  }

  async revoke(id: string, publisherHash: string, at: number): Promise<PackMeta | null> {
    const { rows } = await this.pool.query<PackRow>(
      `UPDATE ${this.packs} SET data = NULL, size = 0, revoked_at = coalesce(revoked_at, $1)
       WHERE id = $2 AND publisher_hash = $3 RETURNING ${PACK_META_COLUMNS}`,
      [at, id, publisherHash],
    );
    return rows[0] ? packMetaFromRow(rows[0]) : null;
  }

  async sweepExpired(now: number): Promise<number> {
    const result = await this.pool.query(`UPDATE ${this.packs} SET data = NULL, size = 0 WHERE data IS NOT NULL AND expires_at IS NOT NULL AND expires_at <= $1`, [now]);
    return result.rowCount ?? 0;
  }

  /** Drops the pack table and its schema row (tests clean up with it); drops the meta table too once it is empty. */
  async dropTables(): Promise<void> {
    await this.pool.query(`DROP TABLE IF EXISTS ${this.packs}`);
    await this.pool.query(`DELETE FROM ${this.metaTable} WHERE key = $1`, [SCHEMA_KEY]);
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.metaTable}`);
    if (Number(rows[0]?.n) === 0) await this.pool.query(`DROP TABLE IF EXISTS ${this.metaTable}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

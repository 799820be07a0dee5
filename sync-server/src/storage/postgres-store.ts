import pg from 'pg';
import { STORE_SCHEMA_VERSION, StoreError, type DocStore } from './doc-store.ts';
import { mergeToSnapshot } from './merge.ts';

export interface PostgresStoreOptions {
  /** Prefix of the tables this store creates (`<prefix>rooms`, `<prefix>updates`, `<prefix>meta`). */
  tablePrefix?: string;
  /** Connections in the pool; each relay process holds its own pool. */
  poolSize?: number;
}

const PREFIX_PATTERN = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * The store for several relay processes: rows in Postgres, shared by every node. Appends are one
 * multi-row INSERT per batch; compaction holds a per-room advisory lock and deletes exactly the
 * rows it merged, so an append that commits meanwhile (from any node) is never lost.
 */
export class PostgresStore implements DocStore {
  readonly kind = 'postgres';
  private readonly t: { rooms: string; updates: string; meta: string };

  private constructor(
    private readonly pool: pg.Pool,
    readonly tablePrefix: string,
  ) {
    this.t = { rooms: `${tablePrefix}rooms`, updates: `${tablePrefix}updates`, meta: `${tablePrefix}meta` };
  }

  /** Connects, creates the tables if needed (safe when several nodes start at once) and checks the schema. */
  static async open(connectionString: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const prefix = options.tablePrefix ?? 'troupe_';
    if (!PREFIX_PATTERN.test(prefix)) throw new StoreError('store/misconfigured', `Table prefix "${prefix}" must match ${PREFIX_PATTERN}`);
    const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 8 });
    // An idle client losing its connection must not crash the relay; the next query reconnects.
    pool.on('error', () => {});
    const store = new PostgresStore(pool, prefix);
    try {
      await store.migrate();
    } catch (error) {
      await pool.end();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${this.tablePrefix}migrate`]);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.t.meta} (key text PRIMARY KEY, value text NOT NULL)`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.t.rooms} (room text PRIMARY KEY, token_hash text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`,
      );
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.t.updates} (id bigserial PRIMARY KEY, room text NOT NULL, data bytea NOT NULL)`);
      await client.query(`CREATE INDEX IF NOT EXISTS ${this.t.updates}_by_room ON ${this.t.updates} (room, id)`);
      await client.query(`INSERT INTO ${this.t.meta} (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO NOTHING`, [
        String(STORE_SCHEMA_VERSION),
      ]);
      const { rows } = await client.query<{ value: string }>(`SELECT value FROM ${this.t.meta} WHERE key = 'schema_version'`);
      const version = Number(rows[0]?.value);
      if (version > STORE_SCHEMA_VERSION) {
        throw new StoreError('store/newer-schema', `Postgres tables have schema ${version}; this relay understands up to ${STORE_SCHEMA_VERSION}.`);
      }
    });
  }

  async load(room: string): Promise<Uint8Array[]> {
    const { rows } = await this.pool.query<{ data: Buffer }>(`SELECT data FROM ${this.t.updates} WHERE room = $1 ORDER BY id`, [room]);
    return rows.map((row) => row.data);
  }

  async append(room: string, updates: readonly Uint8Array[]): Promise<void> {
    if (updates.length === 0) return;
    await this.pool.query(
      `INSERT INTO ${this.t.updates} (room, data) SELECT $1, u.data FROM unnest($2::bytea[]) WITH ORDINALITY AS u(data, n) ORDER BY u.n`,
      [room, updates.map((update) => Buffer.from(update.buffer, update.byteOffset, update.byteLength))],
    );
  }

  async compact(room: string): Promise<{ rows: number; bytes: number }> {
    return this.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 1))', [`${this.tablePrefix}${room}`]);
      const { rows } = await client.query<{ id: string; data: Buffer }>(`SELECT id, data FROM ${this.t.updates} WHERE room = $1 ORDER BY id`, [room]);
      if (rows.length <= 1) return { rows: rows.length, bytes: rows[0]?.data.length ?? 0 };
      const snapshot = await mergeToSnapshot(rows.map((row) => row.data));
      await client.query(`DELETE FROM ${this.t.updates} WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
      await client.query(`INSERT INTO ${this.t.updates} (room, data) VALUES ($1, $2)`, [room, Buffer.from(snapshot)]);
      return { rows: 1, bytes: snapshot.length };
    });
  }

  async delete(room: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query(`DELETE FROM ${this.t.updates} WHERE room = $1`, [room]);
      await client.query(`DELETE FROM ${this.t.rooms} WHERE room = $1`, [room]);
    });
  }

  async bindToken(room: string, tokenHash: string): Promise<'bound' | 'matched' | 'mismatched'> {
    const inserted = await this.pool.query(`INSERT INTO ${this.t.rooms} (room, token_hash) VALUES ($1, $2) ON CONFLICT (room) DO NOTHING`, [
      room,
      tokenHash,
    ]);
    if (inserted.rowCount === 1) return 'bound';
    const { rows } = await this.pool.query<{ token_hash: string }>(`SELECT token_hash FROM ${this.t.rooms} WHERE room = $1`, [room]);
    return rows[0]?.token_hash === tokenHash ? 'matched' : 'mismatched';
  }

  /** Drops this store's tables (tests clean up with it). */
  async dropTables(): Promise<void> {
    await this.pool.query(`DROP TABLE IF EXISTS ${this.t.updates}, ${this.t.rooms}, ${this.t.meta}`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

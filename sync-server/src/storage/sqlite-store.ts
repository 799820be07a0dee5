import { STORE_SCHEMA_VERSION, type DocStore } from './doc-store.ts';
import { mergeToSnapshot } from './merge.ts';
import { SqliteWorker } from './sqlite-worker-client.ts';

const SQL = {
  load: 'SELECT data FROM updates WHERE room = ? ORDER BY id',
  loadWithIds: 'SELECT id, data FROM updates WHERE room = ? ORDER BY id',
  append: 'INSERT INTO updates (room, data) VALUES (?, ?)',
  deleteUpTo: 'DELETE FROM updates WHERE room = ? AND id <= ?',
  deleteUpdates: 'DELETE FROM updates WHERE room = ?',
  deleteRoom: 'DELETE FROM rooms WHERE room = ?',
  count: 'SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM updates WHERE room = ?',
  bind: 'INSERT INTO rooms (room, token_hash, created_at) VALUES (?, ?, ?) ON CONFLICT (room) DO NOTHING',
  bound: 'SELECT token_hash FROM rooms WHERE room = ?',
} as const;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS rooms (
    room TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    room TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX IF NOT EXISTS updates_by_room ON updates (room, id);
`;

/**
 * The embedded default store: one SQLite file in WAL mode, owned by a worker thread
 * (sqlite-worker.mjs) so the relay's event loop never waits for the disk. `synchronous = NORMAL`:
 * every committed write survives a process crash (kill -9); only the last moments may be lost on
 * power loss, which clients repair on their next sync since they keep their own copies. Meant for
 * one relay process; several processes scale out on Postgres instead.
 */
export class SqliteStore implements DocStore {
  readonly kind = 'sqlite';

  private constructor(private readonly db: SqliteWorker) {}

  /** Opens (creating and migrating if needed) the SQLite file; rejects with StoreError if it cannot be used. */
  static async open(file: string): Promise<SqliteStore> {
    const db = await SqliteWorker.open(file);
    try {
      await db.migrate(STORE_SCHEMA_VERSION, SCHEMA, 'room');
    } catch (error) {
      await db.terminate();
      throw error;
    }
    return new SqliteStore(db);
  }

  async load(room: string): Promise<Uint8Array[]> {
    const rows = (await this.db.call({ op: 'all', sql: SQL.load, params: [room] })) as Array<{ data: Uint8Array }>;
    return rows.map((row) => row.data);
  }

  async append(room: string, updates: readonly Uint8Array[]): Promise<void> {
    await this.db.call({ op: 'batch', steps: updates.map((update) => ({ sql: SQL.append, params: [room, update] })), immediate: false });
  }

  async compact(room: string): Promise<{ rows: number; bytes: number }> {
    const rows = (await this.db.call({ op: 'all', sql: SQL.loadWithIds, params: [room] })) as Array<{ id: number; data: Uint8Array }>;
    const last = rows.at(-1);
    if (rows.length > 1 && last) {
      const snapshot = await mergeToSnapshot(rows.map((row) => row.data));
      // Ids only grow, so every row up to the last one read was merged; rows appended since stay.
      await this.db.call({
        op: 'batch',
        immediate: true,
        steps: [
          { sql: SQL.deleteUpTo, params: [room, last.id] },
          { sql: SQL.append, params: [room, snapshot] },
        ],
      });
    }
    const [after] = (await this.db.call({ op: 'all', sql: SQL.count, params: [room] })) as Array<{ rows: number; bytes: number }>;
    return { rows: after?.rows ?? 0, bytes: after?.bytes ?? 0 };
  }

  async delete(room: string): Promise<void> {
    await this.db.call({
      op: 'batch',
      immediate: true,
      steps: [
        { sql: SQL.deleteUpdates, params: [room] },
        { sql: SQL.deleteRoom, params: [room] },
      ],
    });
  }

  async bindToken(room: string, tokenHash: string): Promise<'bound' | 'matched' | 'mismatched'> {
    if ((await this.db.call({ op: 'run', sql: SQL.bind, params: [room, tokenHash, Date.now()] })) === 1) return 'bound';
    const [row] = (await this.db.call({ op: 'all', sql: SQL.bound, params: [room] })) as Array<{ token_hash: string }>;
    return row?.token_hash === tokenHash ? 'matched' : 'mismatched';
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

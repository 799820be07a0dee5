import { Worker } from 'node:worker_threads';
import { STORE_SCHEMA_VERSION, StoreError, type DocStore } from './doc-store.ts';
import { mergeToSnapshot } from './merge.ts';

/** One SQL step for the worker: a statement and its parameters. */
interface SqlStep {
  sql: string;
  params: unknown[];
}

/** Requests understood by sqlite-worker.mjs. */
type SqliteRequest =
  | { op: 'pragma'; text: string }
  | { op: 'exec'; sql: string }
  | ({ op: 'all' } & SqlStep)
  | ({ op: 'run' } & SqlStep)
  | { op: 'batch'; steps: SqlStep[]; immediate: boolean }
  | { op: 'close' };

type SqliteResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; code?: string; message: string } };

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
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private closed: Promise<void> | null = null;
  private exited = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (response: SqliteResponse) => {
      const waiter = this.pending.get(response.id);
      if (!waiter) return;
      this.pending.delete(response.id);
      if (response.ok) waiter.resolve(response.value);
      else waiter.reject(Object.assign(new Error(response.error.message), { name: response.error.name, code: response.error.code }));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => {
      this.exited = true;
      this.failAll(new StoreError('store/misconfigured', 'the SQLite worker stopped'));
    });
  }

  /** Opens (creating and migrating if needed) the SQLite file; rejects with StoreError if it cannot be used. */
  static async open(file: string): Promise<SqliteStore> {
    const store = new SqliteStore(new Worker(new URL('./sqlite-worker.mjs', import.meta.url), { workerData: { file } }));
    try {
      await store.call({ op: 'pragma', text: 'journal_mode = WAL' });
      await store.call({ op: 'pragma', text: 'synchronous = NORMAL' });
      await store.call({ op: 'pragma', text: 'busy_timeout = 5000' });
      await store.migrate();
    } catch (error) {
      await store.worker.terminate();
      throw error;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    const version = await this.call({ op: 'pragma', text: 'user_version' });
    if (typeof version !== 'number') throw new StoreError('store/misconfigured', 'SQLite did not report a user_version');
    if (version > STORE_SCHEMA_VERSION) {
      throw new StoreError('store/newer-schema', `The SQLite file has schema ${version}; this relay understands up to ${STORE_SCHEMA_VERSION}.`);
    }
    if (version === STORE_SCHEMA_VERSION) return;
    // The schema and its version change in one transaction: a crash leaves the old version or the new one.
    await this.call({ op: 'exec', sql: `BEGIN; ${SCHEMA} PRAGMA user_version = ${STORE_SCHEMA_VERSION}; COMMIT;` });
  }

  async load(room: string): Promise<Uint8Array[]> {
    const rows = (await this.call({ op: 'all', sql: SQL.load, params: [room] })) as Array<{ data: Uint8Array }>;
    return rows.map((row) => row.data);
  }

  async append(room: string, updates: readonly Uint8Array[]): Promise<void> {
    await this.call({ op: 'batch', steps: updates.map((update) => ({ sql: SQL.append, params: [room, update] })), immediate: false });
  }

  async compact(room: string): Promise<{ rows: number; bytes: number }> {
    const rows = (await this.call({ op: 'all', sql: SQL.loadWithIds, params: [room] })) as Array<{ id: number; data: Uint8Array }>;
    const last = rows.at(-1);
    if (rows.length > 1 && last) {
      const snapshot = await mergeToSnapshot(rows.map((row) => row.data));
      // Ids only grow, so every row up to the last one read was merged; rows appended since stay.
      await this.call({
        op: 'batch',
        immediate: true,
        steps: [
          { sql: SQL.deleteUpTo, params: [room, last.id] },
          { sql: SQL.append, params: [room, snapshot] },
        ],
      });
    }
    const [after] = (await this.call({ op: 'all', sql: SQL.count, params: [room] })) as Array<{ rows: number; bytes: number }>;
    return { rows: after?.rows ?? 0, bytes: after?.bytes ?? 0 };
  }

  async delete(room: string): Promise<void> {
    await this.call({
      op: 'batch',
      immediate: true,
      steps: [
        { sql: SQL.deleteUpdates, params: [room] },
        { sql: SQL.deleteRoom, params: [room] },
      ],
    });
  }

  async bindToken(room: string, tokenHash: string): Promise<'bound' | 'matched' | 'mismatched'> {
    if ((await this.call({ op: 'run', sql: SQL.bind, params: [room, tokenHash, Date.now()] })) === 1) return 'bound';
    const [row] = (await this.call({ op: 'all', sql: SQL.bound, params: [room] })) as Array<{ token_hash: string }>;
    return row?.token_hash === tokenHash ? 'matched' : 'mismatched';
  }

  close(): Promise<void> {
    const stop = async () => void (await this.worker.terminate());
    this.closed ??= this.call({ op: 'close' }).then(stop, stop);
    return this.closed;
  }

  private call(request: SqliteRequest): Promise<unknown> {
    if (this.exited || (this.closed && request.op !== 'close')) return Promise.reject(new StoreError('store/misconfigured', 'the SQLite store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

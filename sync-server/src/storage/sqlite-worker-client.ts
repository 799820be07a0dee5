import { Worker } from 'node:worker_threads';
import { StoreError } from './doc-store.ts';

/** One SQL step for the worker: a statement and its parameters. */
export interface SqlStep {
  sql: string;
  params: unknown[];
}

/** Requests understood by sqlite-worker.mjs. */
export type SqliteRequest =
  | { op: 'pragma'; text: string }
  | { op: 'exec'; sql: string }
  | ({ op: 'all' } & SqlStep)
  | ({ op: 'run' } & SqlStep)
  | { op: 'batch'; steps: SqlStep[]; immediate: boolean }
  | { op: 'close' };

type SqliteResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; code?: string; message: string } };

/**
 * One SQLite file owned by a worker thread (sqlite-worker.mjs), reached by messages, so the relay's
 * event loop never waits for the disk. Opened in WAL mode with `synchronous = NORMAL` (every
 * committed write survives a process crash). Used by the room store and the pack store, each on
 * its own file so a large pack upload never holds the write lock that room updates wait for.
 */
export class SqliteWorker {
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

  /** Starts the worker on `file` and sets WAL, NORMAL sync and a busy timeout; rejects if the file cannot be used. */
  static async open(file: string): Promise<SqliteWorker> {
    const client = new SqliteWorker(new Worker(new URL('./sqlite-worker.mjs', import.meta.url), { workerData: { file } }));
    try {
      await client.call({ op: 'pragma', text: 'journal_mode = WAL' });
      await client.call({ op: 'pragma', text: 'synchronous = NORMAL' });
      await client.call({ op: 'pragma', text: 'busy_timeout = 5000' });
    } catch (error) {
      await client.terminate();
      throw error;
    }
    return client;
  }

  /**
   * Brings the file to `version` (its `user_version`): runs `schema` and sets the version in one
   * transaction, so a crash leaves the old version or the new one. Refuses a file with a newer one.
   */
  async migrate(version: number, schema: string, label: string): Promise<void> {
    const current = await this.call({ op: 'pragma', text: 'user_version' });
    if (typeof current !== 'number') throw new StoreError('store/misconfigured', 'SQLite did not report a user_version');
    if (current > version) {
      throw new StoreError('store/newer-schema', `The SQLite ${label} file has schema ${current}; this relay understands up to ${version}.`);
    }
    if (current === version) return;
    await this.call({ op: 'exec', sql: `BEGIN; ${schema} PRAGMA user_version = ${version}; COMMIT;` });
  }

  call(request: SqliteRequest): Promise<unknown> {
    if (this.exited || (this.closed && request.op !== 'close')) return Promise.reject(new StoreError('store/misconfigured', 'the SQLite store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Closes the database, then the thread. */
  close(): Promise<void> {
    const stop = async () => void (await this.worker.terminate());
    this.closed ??= this.call({ op: 'close' }).then(stop, stop);
    return this.closed;
  }

  /** Stops the thread without closing the database (after a failed open). */
  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

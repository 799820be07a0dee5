// SQLite over postMessage: the worker thread that owns the SQLite file for SqliteStore, so that
// disk writes and WAL checkpoints (which fsync) never block the relay's event loop.
//
// Deliberately generic and in plain JavaScript: it knows no table, no Yjs and no Troupe logic
// (those live in sqlite-store.ts), and needing no TypeScript loader keeps the thread at ~10 MB
// instead of ~40 MB. Requests are served one at a time, in order (SQLite has one writer anyway).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
const statements = new Map();

function statement(sql) {
  let prepared = statements.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    statements.set(sql, prepared);
  }
  return prepared;
}

function serve(request) {
  switch (request.op) {
    case 'pragma':
      return db.pragma(request.text, { simple: true });
    case 'exec':
      db.exec(request.sql);
      return null;
    case 'all':
      return statement(request.sql).all(...request.params);
    case 'run':
      return statement(request.sql).run(...request.params).changes;
    case 'batch': {
      // One transaction; IMMEDIATE takes the write lock up front when asked.
      const run = db.transaction(() => request.steps.map((step) => statement(step.sql).run(...step.params).changes));
      return request.immediate ? run.immediate() : run();
    }
    case 'close':
      db.close();
      return null;
    default:
      throw new Error(`unknown SQLite worker request ${request.op}`);
  }
}

parentPort.on('message', (request) => {
  try {
    parentPort.postMessage({ id: request.id, ok: true, value: serve(request) });
  } catch (error) {
    parentPort.postMessage({ id: request.id, ok: false, error: { name: error?.name ?? 'Error', code: error?.code, message: String(error?.message ?? error) } });
  }
  if (request.op === 'close') parentPort.close();
});

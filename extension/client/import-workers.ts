/**
 * Import workers for an extension page: picked files are read and parsed in dedicated workers while
 * the page stays free to paint and to hand batches to the background. Only extension pages use this
 * (a content script cannot start an extension's worker); should a worker fail to start, its files
 * are read on the page's thread as before, so an import never fails for want of a worker.
 */
import { readCardFile, type FileLike, type ReadFile } from './import-client.ts';
import type { ReadAnswer, ReadRequest } from './import-worker.ts';
import { IMPORT_PARSE_WORKERS } from '../messaging/limits/library.ts';

/** What the pool needs of a Worker (tests pass fakes). */
export interface WorkerLike {
  postMessage(request: ReadRequest): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ReadAnswer>) => void): void;
  addEventListener(type: 'error', listener: () => void): void;
  terminate(): void;
}

/** Reads files for one import run; `close` ends its workers. */
export interface FileReaders {
  readFile(file: FileLike): Promise<ReadFile>;
  close(): void;
}

interface Slot {
  worker: WorkerLike;
  /** Requests sent to this worker and not answered yet. */
  waiting: Map<number, { file: FileLike; resolve(read: ReadFile): void }>;
}

function spawnImportWorker(): WorkerLike {
  return new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module', name: 'troupe-import' });
}

/**
 * Opens `count` import workers (started on the first file). Each file goes to the least busy one.
 * @example
 *   const readers = openImportWorkers('blob');
 *   try { await importFiles(files, { send, assets: 'blob', readFile: readers.readFile }); } finally { readers.close(); }
 */
export function openImportWorkers(assets: 'blob' | 'base64', count = IMPORT_PARSE_WORKERS, spawn: () => WorkerLike = spawnImportWorker): FileReaders {
  const slots: Slot[] = [];
  let failed = false;
  let nextId = 1;
  const inPage = (file: FileLike) => readCardFile(file, assets);

  const fail = (slot: Slot) => {
    failed = true;
    const stranded = [...slot.waiting.values()];
    slot.waiting.clear();
    for (const { file, resolve } of stranded) void inPage(file).then(resolve);
  };
  const start = (): boolean => {
    try {
      for (let i = 0; i < count; i++) {
        const slot: Slot = { worker: spawn(), waiting: new Map() };
        slot.worker.addEventListener('message', (event) => {
          const request = slot.waiting.get(event.data.id);
          slot.waiting.delete(event.data.id);
          request?.resolve(event.data.read);
        });
        slot.worker.addEventListener('error', () => fail(slot));
        slots.push(slot);
      }
      return true;
    } catch {
      failed = true;
      return false;
    }
  };

  return {
    readFile(file) {
      if (failed || (slots.length === 0 && !start())) return inPage(file);
      const slot = slots.reduce((best, next) => (next.waiting.size < best.waiting.size ? next : best));
      const id = nextId++;
      return new Promise<ReadFile>((resolve) => {
        slot.waiting.set(id, { file, resolve });
        try {
          slot.worker.postMessage({ id, file, assets });
        } catch {
          // Not something a worker can be handed (not a real File): read it here.
          slot.waiting.delete(id);
          void inPage(file).then(resolve);
        }
      });
    },
    close() {
      for (const slot of slots.splice(0)) slot.worker.terminate();
    },
  };
}

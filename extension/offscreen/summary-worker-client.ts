/**
 * The offscreen document's one summary worker: started on the first job, driven through comlink, kept
 * for the document's life. A worker that fails (cannot load, or dies) fails the jobs it held with a
 * clear error, instead of leaving them waiting, and the next job starts a new one.
 */
import { wrap, type Remote } from 'comlink';
import type { SummaryRequest, SummaryResult } from '../messaging/protocols/offscreen-protocol.ts';
import type { SummaryWorkerApi } from './summary-worker.ts';

/** What the link needs of a Worker (tests pass a MessagePort-backed fake). */
export interface WorkerHandle {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: string, listener: (event: { message?: string }) => void): void;
  removeEventListener(type: string, listener: (event: { message?: string }) => void): void;
  terminate(): void;
}

export interface SummaryWorkerLink {
  summarise(request: SummaryRequest): Promise<SummaryResult>;
  /** Ends the worker (a later job starts a new one). */
  close(): void;
}

function spawnSummaryWorker(): WorkerHandle {
  // Kept literal so Vite sees the worker and bundles it (see FACTS.md, "Workers").
  return new Worker(new URL('./summary-worker.ts', import.meta.url), { type: 'module', name: 'troupe-summary' }) as unknown as WorkerHandle;
}

interface Running {
  worker: WorkerHandle;
  remote: Remote<SummaryWorkerApi>;
  /** Rejects when the worker fails; every job races against it. */
  failed: Promise<never>;
}

/**
 * Links the offscreen document to its summary worker (one at a time).
 * @example const link = summaryWorkerLink(); const result = await link.summarise(request);
 */
export function summaryWorkerLink(spawn: () => WorkerHandle = spawnSummaryWorker): SummaryWorkerLink {
  let running: Running | null = null;

  const start = (): Running => {
    const worker = spawn();
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_resolve, reject) => {
      fail = reject;
    });
    failed.catch(() => {}); // observed by the jobs that race it; none may be running
    worker.addEventListener('error', (event) => {
      fail(Object.assign(new Error(`The summary worker stopped: ${event.message || 'it could not start'}.`), { code: 'summary/worker-failed' }));
      if (running?.worker === worker) running = null;
      worker.terminate();
    });
    return { worker, remote: wrap<SummaryWorkerApi>(worker as unknown as Parameters<typeof wrap>[0]), failed };
  };

  return {
    summarise(request) {
      running ??= start();
      return Promise.race([running.remote.summarise(request), running.failed]);
    },
    close() {
      running?.worker.terminate();
      running = null;
    },
  };
}

/**
 * Answers import batches that extension pages post straight to the service worker (see
 * messaging/worker-import.ts): Blobs arrive as handles, so a 15 MB import takes ~10 ms to cross
 * instead of ~900 ms as a runtime message. Only pages of our own origin can post to our worker.
 */
import { describeError } from '@troupe/shared/batch';
import { LIBRARY_VALIDATORS } from '../messaging/protocols/library-protocol.ts';
import type { ImportResult, WireImportItem } from '../messaging/library-wire.ts';
import { RUNTIME_PROTOCOL_VERSION, type RuntimeResult } from '../messaging/runtime-protocol.ts';
import { WORKER_IMPORT_TYPE, type WorkerImportEnvelope } from '../messaging/worker-import.ts';

/** The parts of a service worker's `message` event this channel uses. */
interface WorkerMessageEvent {
  data: unknown;
  origin: string;
  ports: readonly MessagePort[];
  waitUntil?(promise: Promise<unknown>): void;
}

/**
 * Answers import batches posted to the service worker (call once, while the worker starts). Messages
 * from another origin, or without a reply port, or of another shape, are ignored or refused with a reason.
 */
export function serveImportOverWorker(importItems: (items: WireImportItem[]) => Promise<ImportResult[]>): void {
  const scope = globalThis as unknown as { location?: { origin: string }; addEventListener?(type: 'message', listener: (event: WorkerMessageEvent) => void): void };
  if (!scope.addEventListener || !scope.location) return;
  const ownOrigin = scope.location.origin;
  scope.addEventListener('message', (event) => {
    const port = event.ports[0];
    const data = event.data as Partial<WorkerImportEnvelope> | null;
    if (!port || event.origin !== ownOrigin || typeof data !== 'object' || data === null || data.type !== WORKER_IMPORT_TYPE) return;
    const work = (async (): Promise<RuntimeResult<{ results: ImportResult[] }>> => {
      if (data.troupe !== RUNTIME_PROTOCOL_VERSION) return { ok: false, error: { code: 'message/version', message: 'This part of Troupe is out of date: reload the page.' } };
      try {
        const { items } = LIBRARY_VALIDATORS[WORKER_IMPORT_TYPE](data.payload);
        return { ok: true, value: { results: await importItems(items) } };
      } catch (error) {
        return { ok: false, error: describeError(error, 'import/failed') };
      }
    })().then((result) => port.postMessage(result));
    event.waitUntil?.(work);
  });
}

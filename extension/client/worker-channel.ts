/**
 * A second road from extension pages (the options page) to the background, for imports only:
 * `ServiceWorkerRegistration.active.postMessage`, which structured-clones its message, so card
 * images travel as Blob handles instead of base64 inside JSON. Measured here: a 15 MB runtime
 * message takes ~900 ms; the same bytes as Blobs ~10 ms. Only pages of our own origin can post to
 * our worker; content scripts run in the web page's origin and keep using runtime messages.
 * Same envelope, same validator, same handler as the runtime message `library.import`.
 */
import { RUNTIME_PROTOCOL_VERSION, type RuntimeResult } from '../messaging/runtime-protocol.ts';
import { WORKER_READY_MS } from '../messaging/limits/library.ts';
import { IMPORT_FORMAT, type ImportResult, type WireImportItem } from '../messaging/library-wire.ts';
import { WORKER_IMPORT_TYPE, type WorkerImportEnvelope } from '../messaging/worker-import.ts';

/** True in an extension page (our own origin), where the worker channel can be used. */
export function workerChannelAvailable(): boolean {
  return typeof location !== 'undefined' && location.protocol === 'chrome-extension:' && typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
}

/** Code of the error thrown when the worker cannot be reached this way (callers fall back to runtime messages). */
export const WORKER_UNAVAILABLE = 'worker/unavailable';

/** Our active service worker; waits a little while it activates (just after install or update). */
async function activeWorker(): Promise<ServiceWorker | null> {
  const registration = await navigator.serviceWorker.getRegistration();
  if (registration?.active) return registration.active;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), WORKER_READY_MS); });
  const ready = await Promise.race([navigator.serviceWorker.ready, late]).finally(() => clearTimeout(timer));
  return ready?.active ?? null;
}

/** Sends one import batch to the background's service worker and returns its results. */
export async function importOverWorker(items: WireImportItem[]): Promise<ImportResult[]> {
  const worker = await activeWorker();
  if (!worker) throw Object.assign(new Error('Troupe\'s background worker is not active.'), { code: WORKER_UNAVAILABLE });
  const channel = new MessageChannel();
  const answer = new Promise<RuntimeResult<{ results: ImportResult[] }>>((resolve) => {
    channel.port1.onmessage = (event: MessageEvent<RuntimeResult<{ results: ImportResult[] }>>) => {
      channel.port1.close();
      resolve(event.data);
    };
  });
  const envelope: WorkerImportEnvelope = { troupe: RUNTIME_PROTOCOL_VERSION, type: WORKER_IMPORT_TYPE, payload: { format: IMPORT_FORMAT, items } };
  worker.postMessage(envelope, [channel.port2]);
  const result = await answer;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value.results;
}


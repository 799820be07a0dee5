/**
 * A second road from extension pages (the options page) to the background, for imports only:
 * `ServiceWorkerRegistration.active.postMessage`, which structured-clones its message, so card
 * images travel as Blob handles instead of base64 inside JSON. Measured here: a 15 MB runtime
 * message takes ~900 ms; the same bytes as Blobs ~10 ms. Only pages of our own origin can post to
 * our worker; content scripts run in the web page's origin and keep using runtime messages.
 * Same envelope, same validator, same handler as the runtime message `library.import`.
 */
import { RUNTIME_PROTOCOL_VERSION, type RuntimeResult } from '../messaging/runtime-protocol.ts';
import { LIBRARY_VALIDATORS } from '../messaging/protocols/library-protocol.ts';
import { describeError } from '../background/library/errors.ts';
import { WORKER_READY_MS } from '../messaging/limits/library.ts';
import { IMPORT_FORMAT, type ImportResult, type WireImportItem } from '../messaging/library-wire.ts';

const TYPE = 'library.import';

interface Envelope {
  troupe: typeof RUNTIME_PROTOCOL_VERSION;
  type: typeof TYPE;
  payload: { format: typeof IMPORT_FORMAT; items: WireImportItem[] };
}

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
  const envelope: Envelope = { troupe: RUNTIME_PROTOCOL_VERSION, type: TYPE, payload: { format: IMPORT_FORMAT, items } };
  worker.postMessage(envelope, [channel.port2]);
  const result = await answer;
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value.results;
}

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
    const data = event.data as Partial<Envelope> | null;
    if (!port || event.origin !== ownOrigin || typeof data !== 'object' || data === null || data.type !== TYPE) return;
    const work = (async (): Promise<RuntimeResult<{ results: ImportResult[] }>> => {
      if (data.troupe !== RUNTIME_PROTOCOL_VERSION) return { ok: false, error: { code: 'message/version', message: 'This part of Troupe is out of date: reload the page.' } };
      try {
        const { items } = LIBRARY_VALIDATORS[TYPE](data.payload);
        return { ok: true, value: { results: await importItems(items) } };
      } catch (error) {
        return { ok: false, error: describeError(error) };
      }
    })().then((result) => port.postMessage(result));
    event.waitUntil?.(work);
  });
}

/**
 * The import road from extension pages straight to the service worker (`ServiceWorker.postMessage`,
 * which structured-clones, so card images travel as Blob handles instead of base64 inside JSON).
 * Same envelope, same validator, same handler as the runtime message `library.import`.
 */
import type { RUNTIME_PROTOCOL_VERSION } from './runtime-protocol.ts';
import type { IMPORT_FORMAT, WireImportItem } from './library-wire.ts';

export const WORKER_IMPORT_TYPE = 'library.import';

/** What a page posts to the worker, with a MessagePort for the answer. */
export interface WorkerImportEnvelope {
  troupe: typeof RUNTIME_PROTOCOL_VERSION;
  type: typeof WORKER_IMPORT_TYPE;
  payload: { format: typeof IMPORT_FORMAT; items: WireImportItem[] };
}

/**
 * An import worker: reads and parses the card files an extension page hands it, off the page's own
 * thread (a 1,000-file import is seconds of parsing). Started by import-workers.ts; the work itself is
 * readCardFile, the same function the page runs where no worker can be started.
 */
import { readCardFile, type FileLike, type ReadFile } from './import-client.ts';

/** What the page asks of the worker: one file, and how its assets should travel on. */
export interface ReadRequest {
  id: number;
  file: FileLike;
  assets: 'blob' | 'base64';
}

/** The worker's answer to request `id`. */
export interface ReadAnswer {
  id: number;
  read: ReadFile;
}

/** The parts of a dedicated worker's global scope used here (the project's types are the page's). */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<ReadRequest>) => void): void;
  postMessage(answer: ReadAnswer): void;
}

const scope = self as unknown as WorkerScope;
scope.addEventListener('message', (event) => {
  const { id, file, assets } = event.data;
  void readCardFile(file, assets).then((read) => scope.postMessage({ id, read }));
});

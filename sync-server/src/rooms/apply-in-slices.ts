import * as Y from 'yjs';

/**
 * Longest stretch of Yjs work before yielding to the event loop. Loading or compacting a room with
 * thousands of rows takes tens of milliseconds; done in one go it would stall every other room's
 * fan-out for that long (the p99 latency budget is 5 ms).
 */
export const SLICE_MS = 2;

/**
 * Applies updates to a doc in slices of at most SLICE_MS, yielding between slices. An update that
 * Yjs rejects is reported to `onError` and skipped, so one bad row cannot make a room unloadable.
 */
export async function applyInSlices(doc: Y.Doc, updates: readonly Uint8Array[], onError: (index: number, error: unknown) => void): Promise<number> {
  let applied = 0;
  let i = 0;
  while (i < updates.length) {
    const started = performance.now();
    Y.transact(doc, () => {
      while (i < updates.length && performance.now() - started < SLICE_MS) {
        const index = i++;
        try {
          Y.applyUpdate(doc, updates[index]!);
          applied += updates[index]!.length;
        } catch (error) {
          onError(index, error);
        }
      }
    });
    if (i < updates.length) await new Promise((resolve) => setImmediate(resolve));
  }
  return applied;
}

import * as Y from 'yjs';
import { applyInSlices } from '../rooms/apply-in-slices.ts';

/*
 * Compaction merges stored updates through a Y.Doc rather than `Y.mergeUpdates`: the doc
 * garbage-collects deleted content (mergeUpdates keeps it), so a compacted room shrinks when things
 * are deleted, and measured here it is also faster (500 small rows: ~8 ms against ~15 ms). Updates
 * whose dependencies are missing survive: Yjs keeps them pending and includes them in the state.
 */

/** Merges updates into one snapshot on the event loop, in slices, so other rooms keep flowing. */
export async function mergeToSnapshot(updates: readonly Uint8Array[]): Promise<Uint8Array> {
  const doc = new Y.Doc();
  try {
    await applyInSlices(doc, updates, (_index, error) => {
      throw error;
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

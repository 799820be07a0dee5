import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkIndexFormat, indexEntries, indexEntry, initIndexDoc, INDEX_DOC_FORMAT, markDeleted, stampItem } from './index-doc.ts';

/** Exchanges both docs' states, as two devices do through the relay. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('library index doc', () => {
  it('lists stamped items and deletions with their kinds', () => {
    const doc = new Y.Doc();
    initIndexDoc(doc);
    stampItem(doc, 'character', 'c1', 's1');
    stampItem(doc, 'lorebook', 'l1', 's2');
    markDeleted(doc, 'character', 'c2', 5);
    expect(indexEntries(doc).sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'c1', kind: 'character', stamp: 's1', deleted: false },
      { id: 'c2', kind: 'character', stamp: '', deleted: true },
      { id: 'l1', kind: 'lorebook', stamp: 's2', deleted: false },
    ]);
    expect(indexEntry(doc, 'nope')).toBeNull();
  });

  it('keeps a deletion when another device stamps the same id concurrently', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    stampItem(a, 'character', 'c1', 's1');
    exchange(a, b);
    markDeleted(a, 'character', 'c1', 10);
    stampItem(b, 'character', 'c1', 's2');
    exchange(a, b);
    expect(indexEntry(a, 'c1')).toMatchObject({ deleted: true });
    expect(indexEntry(b, 'c1')).toMatchObject({ deleted: true });
    stampItem(b, 'character', 'c1', 's3');
    expect(indexEntry(b, 'c1')).toMatchObject({ deleted: true });
  });

  it('skips malformed entries and refuses an index from a newer format', () => {
    const doc = new Y.Doc();
    doc.getMap('items').set('bad', { kind: 'spaceship', stamp: 's' });
    doc.getMap('items').set('worse', 42);
    expect(indexEntries(doc)).toEqual([]);
    expect(checkIndexFormat(doc)).toBe(true);
    doc.getMap('meta').set('format', INDEX_DOC_FORMAT + 1);
    expect(checkIndexFormat(doc)).toBe(false);
  });
});

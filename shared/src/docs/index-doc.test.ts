import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkIndexFormat, indexEntries, indexEntry, INDEX_DOC_FORMAT, isIndexReadable, markDeleted, stampItem } from './index-doc.ts';

/** Exchanges both docs' states, as two devices do through the relay. */
function exchange(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('library index doc', () => {
  it('lists stamped items and deletions with their kinds', () => {
    const doc = new Y.Doc();
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

  it('skips malformed entries', () => {
    const doc = new Y.Doc();
    doc.getMap('items').set('bad', { kind: 'spaceship', stamp: 's' });
    doc.getMap('items').set('worse', 42);
    doc.getMap('deleted').set('gone', 'yes');
    expect(indexEntries(doc)).toEqual([]);
  });
});

describe('library index format', () => {
  it('reads an index no device has marked as format 1, and never marks format 1 itself', () => {
    const old = new Y.Doc();
    old.getMap('items').set('c1', { kind: 'character', stamp: 's1' });
    expect(checkIndexFormat(old)).toBe(INDEX_DOC_FORMAT);
    expect(indexEntry(old, 'c1')).toMatchObject({ stamp: 's1' });
    stampItem(old, 'character', 'c2', 's2');
    expect(old.getMap('meta').get('format')).toBeUndefined();
  });

  it('refuses to read or write an index from a newer format with a typed error', () => {
    const doc = new Y.Doc();
    stampItem(doc, 'character', 'c1', 's1');
    // A fresh device that has not synced yet writes nothing the newer marker could lose to.
    const fresh = new Y.Doc();
    stampItem(fresh, 'lorebook', 'l9', 's9');
    const newer = new Y.Doc();
    newer.getMap('meta').set('format', INDEX_DOC_FORMAT + 1);
    exchange(doc, newer);
    exchange(fresh, newer);
    exchange(doc, fresh);
    expect(isIndexReadable(doc)).toBe(false);
    expect(isIndexReadable(fresh)).toBe(false);
    const tooNew = expect.objectContaining({ name: 'DocError', code: 'doc/too-new' }) as Error;
    expect(() => checkIndexFormat(doc)).toThrowError(tooNew);
    expect(() => indexEntries(doc)).toThrowError(tooNew);
    expect(() => indexEntry(doc, 'c1')).toThrowError(tooNew);
    expect(() => stampItem(doc, 'character', 'c1', 's2')).toThrowError(tooNew);
    expect(() => markDeleted(doc, 'character', 'c1', 1)).toThrowError(tooNew);
    expect(doc.getMap('items').get('c1')).toEqual({ kind: 'character', stamp: 's1' });
  });

  it('refuses an index whose format is not a number', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('format', 'one');
    expect(isIndexReadable(doc)).toBe(false);
    expect(() => indexEntries(doc)).toThrowError(expect.objectContaining({ code: 'doc/invalid-field' }) as Error);
  });
});

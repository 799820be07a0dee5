// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { INDEX_DOC_FORMAT, indexEntry, markDeleted, stampItem, type DocKind } from '@troupe/shared/docs';
import { IndexSync } from './index-sync.ts';

interface Heard { wanted: string[]; deleted: string[]; changes: number }

function indexSync(): { sync: IndexSync; heard: Heard } {
  const heard: Heard = { wanted: [], deleted: [], changes: 0 };
  const sync = new IndexSync({
    wanted: (_kind, id) => heard.wanted.push(id),
    deletedElsewhere: (_kind, id) => heard.deleted.push(id),
    changed: () => heard.changes++,
  });
  sync.load(null);
  return { sync, heard };
}

/** Another device's index, sent to this one as the relay would. */
function fromElsewhere(sync: IndexSync, change: (doc: Y.Doc) => void): void {
  const other = new Y.Doc();
  Y.applyUpdate(other, Y.encodeStateAsUpdate(sync.doc));
  const before = Y.encodeStateVector(other);
  change(other);
  Y.applyUpdate(sync.doc, Y.encodeStateAsUpdate(other, before), 'relay');
}

describe('IndexSync', () => {
  it('wants docs the index lists at a stamp this device has not synced, and applies remote deletions once', () => {
    const { sync, heard } = indexSync();
    fromElsewhere(sync, (doc) => {
      stampItem(doc, 'character', 'c1', 's1');
      stampItem(doc, 'lorebook', 'l1', 's1');
    });
    sync.reconcile();
    expect(heard.wanted.sort()).toEqual(['c1', 'l1']);

    sync.roundDone({ kind: 'character', id: 'c1', pushed: false, startStamp: 's1', changedAfterSync: false });
    fromElsewhere(sync, (doc) => markDeleted(doc, 'lorebook', 'l1', 1));
    heard.wanted = [];
    sync.reconcile();
    sync.reconcile();
    expect(heard.wanted).toEqual([]);
    expect(heard.deleted).toEqual(['l1']);
  });

  it('records a push with a new stamp of its own, and keeps the doc dirty when it changed again meanwhile', () => {
    const { sync } = indexSync();
    const origins: unknown[] = [];
    sync.doc.on('update', (_u: Uint8Array, origin: unknown) => origins.push(origin));
    expect(sync.changedHere('character', 'c1')).toBe(true);
    expect(sync.isDirty('c1')).toBe(true);
    expect(sync.roundDone({ kind: 'character', id: 'c1', pushed: true, startStamp: '', changedAfterSync: true })).toBe(true);
    expect(sync.isDirty('c1')).toBe(true);
    const first = sync.stampOf('c1');
    expect(sync.roundDone({ kind: 'character', id: 'c1', pushed: true, startStamp: first, changedAfterSync: false })).toBe(false);
    expect(sync.isDirty('c1')).toBe(false);
    expect(sync.stampOf('c1')).not.toBe(first);
    // Its own stamps are not news to itself.
    expect(origins.every((origin) => !sync.isRemote(origin))).toBe(true);
    expect(sync.saved().seen.c1).toBe(sync.stampOf('c1'));
  });

  it('asks for another pull when the stamp moved while the room was open', () => {
    const { sync } = indexSync();
    fromElsewhere(sync, (doc) => stampItem(doc, 'character', 'c1', 's1'));
    fromElsewhere(sync, (doc) => stampItem(doc, 'character', 'c1', 's2'));
    expect(sync.roundDone({ kind: 'character', id: 'c1', pushed: false, startStamp: 's1', changedAfterSync: false })).toBe(true);
    expect(sync.roundDone({ kind: 'character', id: 'c1', pushed: false, startStamp: 's2', changedAfterSync: false })).toBe(false);
  });

  it('ignores edits to a doc deleted for good, and marks a local deletion in the index', () => {
    const { sync } = indexSync();
    sync.changedHere('character', 'c1');
    sync.transactLocal(() => sync.deletedHere('character', 'c1'));
    expect(sync.isDirty('c1')).toBe(false);
    expect(indexEntry(sync.doc, 'c1')).toMatchObject({ deleted: true });
    expect(sync.changedHere('character', 'c1')).toBe(false);
  });

  it('adopts local docs the index does not know and tombstones it never heard of', () => {
    const { sync } = indexSync();
    fromElsewhere(sync, (doc) => stampItem(doc, 'character', 'known', 's1'));
    const local: { kind: DocKind; id: string }[] = [{ kind: 'character', id: 'known' }, { kind: 'lorebook', id: 'new' }];
    expect(sync.adopt([{ kind: 'character', id: 'gone' }], local)).toEqual([{ kind: 'lorebook', id: 'new' }]);
    expect(indexEntry(sync.doc, 'gone')).toMatchObject({ deleted: true });
  });

  it('restores a saved index and bookkeeping, leaving a format-1 index unmarked', () => {
    const old = new Y.Doc();
    stampItem(old, 'character', 'c1', 's1');
    const wanted: string[] = [];
    const sync = new IndexSync({ wanted: (_kind, id) => wanted.push(id), deletedElsewhere: () => {}, changed: () => {} });
    sync.load({ index: Y.encodeStateAsUpdate(old), seen: { c1: 's1' }, dirty: { c2: 'character' }, uploads: [], assetsListed: true });
    expect(sync.doc.getMap('meta').get('format')).toBeUndefined();
    sync.reconcile();
    expect(wanted).toEqual([]);
    expect(sync.isDirty('c2')).toBe(true);
  });

  it('refuses an index from a newer Troupe: says why, wants nothing, records nothing', () => {
    const { sync, heard } = indexSync();
    sync.changedHere('character', 'c1');
    fromElsewhere(sync, (doc) => {
      stampItem(doc, 'character', 'c2', 's1');
      doc.getMap('meta').set('format', INDEX_DOC_FORMAT + 1);
    });
    sync.reconcile();
    expect(sync.usable()).toBe(false);
    expect(sync.refused()).toBe('index made by a newer Troupe');
    expect(heard.wanted).toEqual([]);
    expect(sync.entry('c2')).toBeNull();
    expect(sync.roundDone({ kind: 'character', id: 'c1', pushed: true, startStamp: '', changedAfterSync: false })).toBe(false);
    expect(sync.doc.getMap('items').has('c1')).toBe(false);
    // Edits made meanwhile stay owed, for a build that can read the index.
    expect(sync.changedHere('character', 'c3')).toBe(true);
    expect(sync.saved().dirty).toEqual({ c1: 'character', c3: 'character' });
  });
});

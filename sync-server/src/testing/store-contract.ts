import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from '../storage/doc-store.ts';

/**
 * The behaviour every DocStore must have, run against each adapter. `open` gives a fresh store;
 * `rooms` are unique per run so adapters sharing a database with other tests do not collide.
 */
export function describeStoreContract(name: string, open: () => Promise<DocStore>, cleanup: (store: DocStore) => Promise<void> = async () => {}): void {
  describe(`${name} store contract`, () => {
    let store: DocStore;
    const room = (label: string) => `${label}-${Math.random().toString(36).slice(2, 10)}`;

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await cleanup(store);
      await store.close();
    });

    function updates(count: number): { list: Uint8Array[]; doc: Y.Doc } {
      const doc = new Y.Doc();
      const list: Uint8Array[] = [];
      doc.on('update', (update: Uint8Array) => list.push(update));
      for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i % 7}`, i);
      return { list, doc };
    }

    function docOf(rows: Uint8Array[]): Y.Doc {
      const doc = new Y.Doc();
      for (const row of rows) Y.applyUpdate(doc, row);
      return doc;
    }

    it('loads nothing for an unknown room', async () => {
      expect(await store.load(room('unknown'))).toEqual([]);
    });

    it('appends and loads updates in order, byte for byte', async () => {
      const r = room('append');
      const { list } = updates(5);
      await store.append(r, list.slice(0, 2));
      await store.append(r, list.slice(2));
      const loaded = await store.load(r);
      expect(loaded.map((row) => Array.from(row))).toEqual(list.map((row) => Array.from(row)));
    });

    it('compacts rows into one snapshot holding the same document', async () => {
      const r = room('compact');
      const { list, doc } = updates(40);
      await store.append(r, list);
      const after = await store.compact(r);
      const rows = await store.load(r);
      expect(after.rows).toBe(1);
      expect(rows).toHaveLength(1);
      expect(after.bytes).toBe(rows[0]!.length);
      expect(docOf(rows).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    });

    it('keeps an append that lands while compaction runs', async () => {
      const r = room('race');
      const { list, doc } = updates(300);
      await store.append(r, list.slice(0, 299));
      await Promise.all([store.compact(r), store.append(r, list.slice(299))]);
      expect(docOf(await store.load(r)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    });

    it('binds the first token and refuses others', async () => {
      const r = room('token');
      expect(await store.bindToken(r, 'hash-a')).toBe('bound');
      expect(await store.bindToken(r, 'hash-a')).toBe('matched');
      expect(await store.bindToken(r, 'hash-b')).toBe('mismatched');
    });

    it('binds exactly one token when two bind at once', async () => {
      const r = room('token-race');
      const outcomes = await Promise.all(['a', 'b', 'c', 'd'].map((token) => store.bindToken(r, token)));
      expect(outcomes.filter((outcome) => outcome === 'bound')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome === 'mismatched')).toHaveLength(3);
    });

    it('deletes a room with its token binding', async () => {
      const r = room('delete');
      await store.bindToken(r, 'hash-a');
      await store.append(r, updates(3).list);
      await store.delete(r);
      expect(await store.load(r)).toEqual([]);
      expect(await store.bindToken(r, 'hash-b')).toBe('bound');
    });
  });
}

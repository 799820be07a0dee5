import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkStateVector, checkUpdateV1 } from './update-check.ts';
import { RelayError } from './errors.ts';
import { MAX_ANY_DEPTH } from '../limits.ts';
import { seededRandom } from '../testing/prng.ts';

/** A document exercising every struct and content kind Yjs writes. */
function richDoc(): Y.Doc {
  const doc = new Y.Doc();
  const text = doc.getText('text');
  text.insert(0, 'Hello 🌍 world', { bold: true }); // strings (with a surrogate pair) and formats
  text.insertEmbed(3, { image: 'avatar.png' }); // embed
  text.delete(0, 2); // deletions and a delete set
  const map = doc.getMap('map');
  map.set('n', 1.5);
  map.set('big', 2n ** 60n);
  map.set('nested', { list: [1, 'two', null, true, false, undefined, { deep: [new Uint8Array([1, 2])] }] });
  map.set('binary', new Uint8Array([9, 8, 7]));
  map.set('child', new Y.Map());
  map.set('sub', new Y.Doc());
  map.set('n', 2); // overwrite: a deleted item, garbage-collected into a GC struct
  const xml = doc.getXmlFragment('xml');
  const element = new Y.XmlElement('p');
  element.setAttribute('class', 'lead');
  element.insert(0, [new Y.XmlText('para')]);
  // Yjs' typings leave XmlHook out of insert(), though the format carries it (type ref 5).
  xml.insert(0, [element, new Y.XmlHook('hook') as unknown as Y.XmlElement]);
  doc.getArray('array').insert(0, [1, [2, 3], 'x']);
  return doc;
}

function expectMalformed(bytes: Uint8Array): void {
  expect(() => checkUpdateV1(bytes)).toThrow(RelayError);
}

describe('checkUpdateV1', () => {
  it('accepts every kind of update Yjs produces', () => {
    const doc = richDoc();
    const updates: Uint8Array[] = [];
    const live = new Y.Doc();
    live.on('update', (update: Uint8Array) => updates.push(update));
    Y.applyUpdate(live, Y.encodeStateAsUpdate(doc));
    live.getText('text').insert(0, 'more');
    live.getArray('array').delete(0, 1);
    for (const update of [Y.encodeStateAsUpdate(doc), ...updates, Y.mergeUpdates(updates), new Uint8Array([0, 0])]) {
      expect(() => checkUpdateV1(update)).not.toThrow();
    }
  });

  it('accepts updates with gaps (Skip structs from merging non-adjacent updates)', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (update: Uint8Array) => updates.push(update));
    for (let i = 0; i < 5; i++) doc.getArray('a').push([i]);
    const withGap = Y.mergeUpdates([updates[0]!, updates[2]!, updates[4]!]);
    expect(() => checkUpdateV1(withGap)).not.toThrow();
  });

  it('rejects every truncation of a real update', () => {
    const update = Y.encodeStateAsUpdate(richDoc());
    for (let length = 0; length < update.length; length++) expectMalformed(update.subarray(0, length));
  });

  it('rejects trailing bytes', () => {
    expectMalformed(Uint8Array.of(0, 0, 0));
  });

  it('rejects counts that exceed the frame before anything is allocated', () => {
    // 2^28 clients / structs claimed by a handful of bytes: Yjs would pre-allocate arrays for them.
    expectMalformed(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x01, 0, 0));
    expectMalformed(Uint8Array.of(1, 0xff, 0xff, 0xff, 0x7f, 1, 0));
  });

  it('rejects values nested beyond the depth limit, accepts ordinary nesting', () => {
    const nestedUpdate = (depth: number) => {
      let value: unknown[] = [];
      for (let i = 0; i < depth; i++) value = [value];
      const doc = new Y.Doc();
      doc.getArray('a').insert(0, [value]);
      return Y.encodeStateAsUpdate(doc);
    };
    expect(() => checkUpdateV1(nestedUpdate(10))).not.toThrow();
    expect(() => checkUpdateV1(nestedUpdate(MAX_ANY_DEPTH + 5))).toThrow('nested too deeply');
  });

  it('decides quickly on random and mutated bytes, where Yjs itself can take hundreds of ms', () => {
    const random = seededRandom(0x5eed);
    const base = Y.encodeStateAsUpdate(richDoc());
    const started = performance.now();
    let accepted = 0;
    for (let i = 0; i < 5_000; i++) {
      const bytes = i % 2 === 0 ? Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)) : base.slice();
      if (i % 2 === 1) for (let j = 0; j < 3; j++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        checkUpdateV1(bytes);
        accepted++;
      } catch (error) {
        expect(error).toBeInstanceOf(RelayError);
      }
    }
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(accepted).toBeLessThan(5_000);
  });
});

describe('checkStateVector', () => {
  it('accepts real state vectors and rejects truncated ones', () => {
    const vector = Y.encodeStateVector(richDoc());
    expect(() => checkStateVector(vector)).not.toThrow();
    expect(() => checkStateVector(vector.subarray(0, vector.length - 1))).toThrow(RelayError);
    expect(() => checkStateVector(Uint8Array.of(0))).not.toThrow();
  });
});

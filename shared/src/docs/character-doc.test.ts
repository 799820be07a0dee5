import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CHARACTER_DOC_SCHEMA, initCharacterDoc, readCharacterCore, updateCharacterCore } from './character-doc.ts';
import { DocError } from './errors.ts';

describe('character doc', () => {
  it('round-trips core fields through a Yjs update', () => {
    const a = new Y.Doc();
    initCharacterDoc(a, { name: 'Mira', description: 'A cartographer.' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readCharacterCore(b)).toEqual({ name: 'Mira', description: 'A cartographer.' });
  });

  it('merges concurrent edits of different fields', () => {
    const a = new Y.Doc();
    initCharacterDoc(a, { name: 'Mira', description: 'old' });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    updateCharacterCore(a, { name: 'Mira the Bold' });
    updateCharacterCore(b, { description: 'new' });
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(readCharacterCore(a)).toEqual({ name: 'Mira the Bold', description: 'new' });
    expect(readCharacterCore(b)).toEqual(readCharacterCore(a));
  });

  it('refuses a doc from a newer layout with a specific error', () => {
    const doc = new Y.Doc();
    initCharacterDoc(doc, { name: 'x', description: '' });
    doc.getMap('meta').set('schema', CHARACTER_DOC_SCHEMA + 1);
    expect(() => readCharacterCore(doc)).toThrowError(expect.objectContaining({ code: 'doc/too-new' }) as DocError);
  });

  it('rejects a field of the wrong type', () => {
    const doc = new Y.Doc();
    doc.getMap('card').set('name', 42);
    expect(() => readCharacterCore(doc)).toThrowError(/should be text/);
  });
});

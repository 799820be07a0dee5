import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { parseCardFile, type Character } from '../cards/index.ts';
import { CHARACTER_DOC_SCHEMA, initCharacterDoc, readCharacterCore, readCharacterDoc, readCharacterOptions, updateCharacterFields, writeCharacterDoc, writeCharacterOptions } from './character-doc.ts';
import { lorebookEntryKeys, readLorebookDoc, removeLorebookEntry, upsertLorebookEntry, writeLorebookDoc } from './lorebook-doc.ts';

import { readFixture } from '../cards/test-support.ts';

const fixtures = [
  'st-Eldoria.worldinfo.json', 'st-default_Seraphina.png', 'synthetic-lorebook_v3.json',
  'synthetic-v3-ccv3-only.png', 'synthetic-v3-kitchen-sink.json', 'synthetic-v3.charx',
];

/** A doc as another device would see it: rebuilt from the first doc's whole state. */
function synced(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

describe('character and lorebook docs keep every fixture losslessly', () => {
  it.each(fixtures)('%s', (file) => {
    const parsed = parseCardFile(readFixture(file), file);
    const doc = new Y.Doc();
    if (parsed.kind === 'character') {
      writeCharacterDoc(doc, parsed.character);
      expect(readCharacterDoc(synced(doc))).toEqual(parsed.character);
    } else {
      writeLorebookDoc(doc, parsed.lorebook);
      expect(readLorebookDoc(synced(doc))).toEqual(parsed.lorebook);
    }
  });
});

const base = (): Character => ({
  spec: 'chara_card_v3',
  spec_version: '3.0',
  data: {
    name: 'Mira', description: 'A cartographer.', personality: '', scenario: '', first_mes: 'Hello.', mes_example: '',
    creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: ['Hi!'], tags: ['maps'],
    creator: 'ann', character_version: '1', extensions: { talkativeness: '0.5', custom: { deep: [1, 2] } }, group_only_greetings: [],
    character_book: { extensions: {}, entries: [
      { keys: ['river'], content: 'The river runs north.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false },
      { keys: ['tower'], content: 'The tower is old.', extensions: {}, enabled: true, insertion_order: 90, use_regex: false },
    ] },
  },
});

describe('character doc', () => {
  it('merges concurrent edits of different fields and different entries', () => {
    const a = new Y.Doc();
    writeCharacterDoc(a, base());
    const b = synced(a);
    updateCharacterFields(a, { name: 'Mira the Bold' });
    updateCharacterFields(b, { tags: ['maps', 'rivers'] });
    const [first, second] = lorebookEntryKeys(b);
    upsertLorebookEntry(a, first!, { ...base().data.character_book!.entries[0]!, content: 'The river runs south.' });
    removeLorebookEntry(b, second!);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const merged = readCharacterDoc(a);
    expect(merged.data.name).toBe('Mira the Bold');
    expect(merged.data.tags).toEqual(['maps', 'rivers']);
    expect(merged.data.character_book!.entries.map((e) => e.content)).toEqual(['The river runs south.']);
    expect(readCharacterDoc(b)).toEqual(merged);
  });

  it('rewrites only what changed when the same card is stored again', () => {
    const doc = new Y.Doc();
    writeCharacterDoc(doc, base());
    const before = Y.encodeStateVector(doc);
    writeCharacterDoc(doc, base());
    expect(Y.encodeStateAsUpdate(doc, before).byteLength).toBeLessThan(4);
  });

  it('reads a version-1 doc (name and description only) with every other field defaulted', () => {
    const doc = new Y.Doc();
    doc.getMap('meta').set('schema', 1);
    doc.getMap('card').set('name', 'Old');
    doc.getMap('card').set('description', 'From the first release.');
    const read = readCharacterDoc(doc);
    expect(read.data).toMatchObject({ name: 'Old', description: 'From the first release.', first_mes: '', alternate_greetings: [], extensions: {} });
    expect(read.data.character_book).toBeUndefined();
  });

  it('creates a minimal character from the panel form', () => {
    const doc = new Y.Doc();
    initCharacterDoc(doc, { name: 'Bo', description: 'A sailor.' });
    expect(readCharacterCore(synced(doc))).toEqual({ name: 'Bo', description: 'A sailor.' });
    expect(doc.getMap('meta').get('schema')).toBe(CHARACTER_DOC_SCHEMA);
  });

  it('refuses a doc from a newer layout with a specific error', () => {
    const doc = new Y.Doc();
    initCharacterDoc(doc, { name: 'x', description: '' });
    doc.getMap('meta').set('schema', CHARACTER_DOC_SCHEMA + 1);
    expect(() => readCharacterDoc(doc)).toThrowError(expect.objectContaining({ code: 'doc/too-new' }) as Error);
  });

  it('rejects a core field of the wrong type', () => {
    const doc = new Y.Doc();
    doc.getMap('data').set('name', '42');
    expect(() => readCharacterDoc(doc)).toThrowError(/should be text/);
    doc.getMap('data').set('description', '{broken');
    expect(() => readCharacterDoc(doc)).toThrowError(/damaged/);
  });

  it('keeps a "__proto__" extension key as data without touching prototypes', () => {
    const card = base();
    Object.defineProperty(card.data.extensions, '__proto__', { value: { polluted: true }, enumerable: true });
    const doc = new Y.Doc();
    writeCharacterDoc(doc, card);
    const read = readCharacterDoc(synced(doc));
    expect(Object.getOwnPropertyDescriptor(read.data.extensions, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("a character's Troupe options", () => {
  it('default off, set in the doc (synced), never part of the card, and kept when the card is written again', () => {
    const doc = new Y.Doc();
    initCharacterDoc(doc, { name: 'Mira', description: 'A cartographer' });
    expect(readCharacterOptions(doc)).toEqual({ longTermMemory: false });
    writeCharacterOptions(doc, { longTermMemory: true });
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(readCharacterOptions(other)).toEqual({ longTermMemory: true });
    expect(JSON.stringify(readCharacterDoc(other))).not.toContain('longTermMemory');
    writeCharacterDoc(other, { ...readCharacterDoc(other), data: { ...readCharacterDoc(other).data, description: 'A mapmaker' } });
    expect(readCharacterOptions(other)).toEqual({ longTermMemory: true });
    // A peer's odd value reads as off.
    other.getMap('troupe').set('longTermMemory', 'yes');
    expect(readCharacterOptions(other)).toEqual({ longTermMemory: false });
  });
});

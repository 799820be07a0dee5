// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocError, MAX_FACT_CHARS, MAX_PINNED_FACTS, putFact } from '@troupe/shared/docs';
import { testDbs } from '../db/test-db.ts';
import { changeFeedFor, type Change } from '../changes/change-feed.ts';
import { loadDoc, updatesTable } from '../library/doc-store.ts';
import { addFact, deleteFact, readMemory, updateFact } from './memory-store.ts';
import { MemoryError } from './memory-error.ts';

const dbs = testDbs('memory');
/** A database whose chat CHAT has a character (memory belongs to character chats). */
async function freshDbWithChat() {
  const db = dbs();
  await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
  return db;
}
const CHAT = 'http://127.0.0.1:3000#s1';

describe('a chat\'s pinned facts', () => {
  it('are added, edited and deleted in the chat\'s memory doc, for the chat\'s character, other chats untouched', async () => {
    const db = await freshDbWithChat();
    expect((await readMemory(db, CHAT)).facts).toEqual([]);
    const first = await addFact(db, CHAT, 'Ilse keeps bees in Harrowgate.', 10);
    const second = await addFact(db, CHAT, 'The compass is due by the solstice.', 11);
    await updateFact(db, CHAT, first, 'Ilse keeps bees in Harrowgate, by the river.', 12);
    const memory = await readMemory(db, CHAT);
    expect(memory).toMatchObject({ chatKey: CHAT, characterId: 'c1' });
    expect(memory.facts).toEqual([
      { id: first, text: 'Ilse keeps bees in Harrowgate, by the river.', at: 10 },
      { id: second, text: 'The compass is due by the solstice.', at: 11 },
    ]);
    expect(await db.memories.get(CHAT)).toMatchObject({ chatKey: CHAT, characterId: 'c1', updatedAt: 12 });
    await deleteFact(db, CHAT, first, 13);
    expect((await readMemory(db, CHAT)).facts.map((f) => f.id)).toEqual([second]);
    expect((await readMemory(db, 'http://127.0.0.1:3000#other')).facts).toEqual([]);
  });

  it('a deleted fact stays deleted: editing it is refused, and an older copy of the doc cannot bring it back', async () => {
    const db = await freshDbWithChat();
    const id = await addFact(db, CHAT, 'To be forgotten.');
    const before = await loadDoc(db, 'memory', CHAT);
    const old = Y.encodeStateAsUpdateV2(before);
    before.destroy();
    await deleteFact(db, CHAT, id);
    await expect(updateFact(db, CHAT, id, 'back?')).rejects.toBeInstanceOf(MemoryError);
    // Another device that still holds the fact syncs its (older) state in.
    await updatesTable(db, 'memory').add({ k: CHAT, u: old });
    expect((await readMemory(db, CHAT)).facts).toEqual([]);
  });

  it('refuses facts past the limits with the doc\'s error, writing nothing', async () => {
    const db = await freshDbWithChat();
    await expect(addFact(db, CHAT, 'x'.repeat(MAX_FACT_CHARS + 1))).rejects.toMatchObject({ code: 'doc/fact-too-long' });
    expect(await db.memories.get(CHAT)).toBeUndefined();
    expect(await updatesTable(db, 'memory').count()).toBe(0);
    // Fill to the limit in one doc write, then one more is refused.
    await addFact(db, CHAT, 'first');
    const doc = await loadDoc(db, 'memory', CHAT);
    const base = Y.encodeStateVectorFromUpdateV2(Y.encodeStateAsUpdateV2(doc));
    for (let i = 1; i < MAX_PINNED_FACTS; i++) putFact(doc, { id: `f${i}`, text: `fact ${i}`, at: i });
    await updatesTable(db, 'memory').add({ k: CHAT, u: Y.encodeStateAsUpdateV2(doc, base) });
    doc.destroy();
    expect((await readMemory(db, CHAT)).facts).toHaveLength(MAX_PINNED_FACTS);
    const refused = await addFact(db, CHAT, 'one too many').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DocError);
    expect(refused).toMatchObject({ code: 'doc/too-many-facts' });
  });

  it('is heard on the change feed as a write to the chat\'s memory', async () => {
    const db = await freshDbWithChat();
    const heard: Change[] = [];
    changeFeedFor(db).subscribe((change) => { if (change.table === 'memories') heard.push(change); });
    await addFact(db, CHAT, 'A fact.');
    expect(heard).toEqual([expect.objectContaining({ table: 'memories', ids: [CHAT], origin: 'person' })]);
  });

  it('a memory doc from a newer Troupe is refused, never misread', async () => {
    const db = await freshDbWithChat();
    const doc = new Y.Doc();
    doc.getMap('meta').set('format', 99);
    await updatesTable(db, 'memory').add({ k: CHAT, u: Y.encodeStateAsUpdateV2(doc) });
    await expect(readMemory(db, CHAT)).rejects.toMatchObject({ code: 'memory/too-new' });
    await expect(addFact(db, CHAT, 'x')).rejects.toMatchObject({ code: 'memory/too-new' });
  });

  it('belongs to a character chat: a chat without one cannot pin', async () => {
    const db = dbs();
    await expect(addFact(db, 'http://127.0.0.1:3000#none', 'x')).rejects.toMatchObject({ code: 'memory/no-character' });
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyTranscriptOps, initChatMemory, putFact } from '@troupe/shared/docs';
import type { CharacterRow } from '../db/database.ts';
import { testDbs } from '../db/test-db.ts';
import { getChatState } from '../chats/chats.ts';
import { adoptCharacterFromMemory, applyRemoteMemoryUpdate, deleteMemoryForRemote, localMemoryIds } from './memory-sync.ts';
import { readMemory, syncTranscript } from './memory-store.ts';
import { MemoryError } from './memory-error.ts';

const dbs = testDbs('memory-sync');
const CHAT = 'http://127.0.0.1:3000#s1';
const said = (id: string, text: string) => ({ id, role: 'user' as const, text });

/** Another device's memory of CHAT as one update: its transcript and a fact. */
function remoteUpdate(characterId: string, ids: string[], fact?: string): Uint8Array {
  const doc = new Y.Doc();
  initChatMemory(doc, { chatKey: CHAT, characterId });
  applyTranscriptOps(doc, ids.map((id, index) => ({ kind: 'insert' as const, index, after: ids[index - 1] ?? null, message: said(id, `Message ${id}`) })), { now: 1 });
  if (fact) putFact(doc, { id: 'f1', text: fact, at: 1 });
  const update = Y.encodeStateAsUpdateV2(doc);
  doc.destroy();
  return update;
}

async function addCharacter(db: ReturnType<typeof dbs>, id: string, deleted = false) {
  const row: Omit<CharacterRow, 'doc'> = { id, name: id, sortName: id, excerpt: '', tags: [], creator: '', world: '', bookEntries: 0, avatarAssetId: null, createdAt: 1, updatedAt: 1 };
  await db.characters.add((deleted ? { ...row, deletedAt: 1 } : row) as CharacterRow);
}

describe("a chat's memory from another device", () => {
  it('is stored with its row; the chat takes its character, at once or when the character arrives later', async () => {
    const db = dbs();
    const update = remoteUpdate('c1', ['m1', 'm2'], 'Ilse keeps bees.');
    expect(await applyRemoteMemoryUpdate(db, CHAT, update, 5)).toBe(true);
    expect(await db.memories.get(CHAT)).toMatchObject({ chatKey: CHAT, characterId: 'c1', seenHere: [], updatedAt: 5 });
    expect((await readMemory(db, CHAT)).facts.map((f) => f.text)).toEqual(['Ilse keeps bees.']);
    expect(await localMemoryIds(db)).toEqual([CHAT]);
    // The character is not here yet: no binding to a character this device does not have.
    expect((await getChatState(db, CHAT)).character).toBeNull();
    expect(await db.chats.get(CHAT)).toBeUndefined();
    await addCharacter(db, 'c1');
    expect((await getChatState(db, CHAT)).character?.id).toBe('c1');
    // The same update again stores nothing.
    expect(await applyRemoteMemoryUpdate(db, CHAT, update)).toBe(false);
  });

  it('never overrides the character this device chose, nor gives one in the trash', async () => {
    const db = dbs();
    await addCharacter(db, 'c1');
    await addCharacter(db, 'trashed', true);
    await db.chats.put({ chatKey: CHAT, characterId: null, updatedAt: 1 });
    await applyRemoteMemoryUpdate(db, CHAT, remoteUpdate('c1', ['m1']));
    expect((await db.chats.get(CHAT))?.characterId).toBeNull();

    const other = 'http://127.0.0.1:3000#s2';
    const update = (() => {
      const doc = new Y.Doc();
      initChatMemory(doc, { chatKey: other, characterId: 'trashed' });
      return Y.encodeStateAsUpdateV2(doc);
    })();
    await applyRemoteMemoryUpdate(db, other, update);
    expect(await adoptCharacterFromMemory(db, other)).toBe(false);
    expect(await db.chats.get(other)).toBeUndefined();
  });

  it("a row kept before memory synced counts all its messages as this device's: an update does not change what it may delete", async () => {
    const db = dbs();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    await syncTranscript(db, CHAT, [said('m1', 'Message m1'), said('m2', 'Message m2')]);
    await db.memories.update(CHAT, { seenHere: undefined });
    await applyRemoteMemoryUpdate(db, CHAT, remoteUpdate('c1', ['m1', 'm2', 'm3']));
    expect((await db.memories.get(CHAT))?.seenHere?.sort()).toEqual(['m1', 'm2']);
    // This NextChat deleted m2 and never had m3.
    await syncTranscript(db, CHAT, [said('m1', 'Message m1')]);
    expect((await readMemory(db, CHAT)).messages.map((m) => m.id)).toEqual(['m1', 'm3']);
  });

  it('a deletion made elsewhere sticks: the row and doc go, later updates and writes are refused', async () => {
    const db = dbs();
    await db.chats.put({ chatKey: CHAT, characterId: 'c1', updatedAt: 1 });
    await applyRemoteMemoryUpdate(db, CHAT, remoteUpdate('c1', ['m1']));
    await deleteMemoryForRemote(db, CHAT, 9);
    expect(await db.memories.get(CHAT)).toBeUndefined();
    expect(await db.tombstones.get(CHAT)).toEqual({ id: CHAT, kind: 'memory', deletedAt: 9 });
    expect(await applyRemoteMemoryUpdate(db, CHAT, remoteUpdate('c1', ['m1', 'm2']))).toBe(false);
    expect((await readMemory(db, CHAT)).messages).toEqual([]);
    await expect(syncTranscript(db, CHAT, [said('m1', 'Message m1')])).rejects.toEqual(expect.objectContaining({ code: 'memory/deleted' }) as MemoryError);
  });
});

/**
 * What sync needs from chats' memory, as library/sync-hooks.ts is for the library: which chats have
 * memory here, storing a memory doc update that came from another device (making the row when this
 * device had none), and carrying out a deletion made elsewhere. Sync never writes memory any other way.
 */
import { isChatMemoryReadable, readChatMemory } from '@troupe/shared/docs';
import { markWriteOrigin } from '../changes/write-origin.ts';
import type { MemoryRow, TroupeDb } from '../db/database.ts';
import { applyNewUpdate, deleteDocUpdates, loadDoc, updatesTable } from '../library/doc-store.ts';

/** The chat keys whose memory this device holds. */
export async function localMemoryIds(db: TroupeDb): Promise<string[]> {
  return (await db.memories.toCollection().primaryKeys()).filter((key): key is string => typeof key === 'string');
}

/**
 * Stores a memory update received from another device and refreshes the chat's row (made when this
 * device had no memory of the chat). When this device has never given the chat a character, it takes
 * the memory's: NextChat's own sync (or an import) brought the chat here, and the person chose its
 * character on the other device. A chat deleted for good stays deleted: the update is dropped.
 * Returns false when nothing was stored.
 */
export async function applyRemoteMemoryUpdate(db: TroupeDb, chatKey: string, update: Uint8Array, now = Date.now()): Promise<boolean> {
  return db.transaction('rw', [db.memories, updatesTable(db, 'memory'), db.tombstones, db.chats, db.characters], async () => {
    markWriteOrigin('sync');
    if (await db.tombstones.get(chatKey)) return false;
    const row = await db.memories.get(chatKey);
    const doc = await loadDoc(db, 'memory', chatKey);
    try {
      const readable = isChatMemoryReadable(doc);
      // A row from before memory synced: everything it kept came from this device's NextChat (see MemoryRow.seenHere).
      const seenHere = row?.seenHere ?? (row && readable ? readChatMemory(doc).messages.map((message) => message.id) : []);
      if (!applyNewUpdate(doc, update)) return false;
      await updatesTable(db, 'memory').add({ k: chatKey, u: update });
      // A doc in a newer layout is kept as it came (a newer build reads it) but names no character here.
      const characterId = row?.characterId ?? (isChatMemoryReadable(doc) ? readChatMemory(doc).characterId : null);
      if (row) await db.memories.update(chatKey, { characterId, seenHere, updatedAt: now });
      else await db.memories.add({ chatKey, characterId, seenHere, updatedAt: now } as MemoryRow);
      await adoptCharacter(db, chatKey, characterId, now);
      return true;
    } finally {
      doc.destroy();
    }
  });
}

/**
 * Gives the chat the character its memory names, when this device has never chosen one for it and has
 * that character (not in the trash). Call inside a transaction over chats, characters and memories.
 */
async function adoptCharacter(db: TroupeDb, chatKey: string, characterId: string | null, now: number): Promise<void> {
  if (!characterId || (await db.chats.get(chatKey))) return;
  const character = await db.characters.get(characterId);
  if (!character || character.deletedAt !== undefined) return;
  await db.chats.add({ chatKey, characterId, updatedAt: now });
}

/**
 * The chat's character from its synced memory, adopted now if it was not yet (its character may have
 * arrived after its memory). Returns true when the chat was given a character.
 */
export async function adoptCharacterFromMemory(db: TroupeDb, chatKey: string, now = Date.now()): Promise<boolean> {
  // Read first: most chats without a character have no memory either, and need no write transaction.
  if (!(await db.memories.get(chatKey))?.characterId) return false;
  return db.transaction('rw', [db.memories, db.chats, db.characters], async () => {
    if (await db.chats.get(chatKey)) return false;
    const row = await db.memories.get(chatKey);
    if (!row?.characterId) return false;
    markWriteOrigin('sync');
    await adoptCharacter(db, chatKey, row.characterId, now);
    return (await db.chats.get(chatKey)) !== undefined;
  });
}

/** Carries out a deletion of a chat's memory made on another device: row and doc go, a tombstone stays. */
export async function deleteMemoryForRemote(db: TroupeDb, chatKey: string, now = Date.now()): Promise<void> {
  await db.transaction('rw', [db.memories, updatesTable(db, 'memory'), db.tombstones], async () => {
    markWriteOrigin('sync');
    await db.memories.delete(chatKey);
    await deleteDocUpdates(db, 'memory', chatKey);
    if (!(await db.tombstones.get(chatKey))) await db.tombstones.put({ id: chatKey, kind: 'memory', deletedAt: now });
  });
}

/**
 * Reads a character's long-term memory: the memory of its other chats on this device (their own or
 * synced from a paired device), gathered by shared/src/memory/long-term.ts. Whether the character's
 * switch is on is the caller's question (the switch lives in the character's doc).
 */
import { gatherLongTerm, LONG_TERM_MAX_CHATS, type LongTermMemory, type LongTermSource } from '@troupe/shared/memory';
import type { TroupeDb } from '../db/database.ts';
import { MemoryError } from './memory-error.ts';
import { readMemory } from './memory-store.ts';

/** What the character kept from its chats other than `chatKey`; `ownFacts` (this chat's) are not repeated. */
export async function readLongTerm(db: TroupeDb, characterId: string, chatKey: string, ownFacts: readonly string[]): Promise<LongTermMemory> {
  const rows = await db.memories.where('characterId').equals(characterId).toArray();
  const others = rows.filter((row) => row.chatKey !== chatKey).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, LONG_TERM_MAX_CHATS);
  const sources: LongTermSource[] = [];
  for (const { chatKey: other } of others) {
    try {
      const { messages, summaries, facts } = await readMemory(db, other);
      sources.push({ chatKey: other, messages, summaries, facts });
    } catch (error) {
      // A chat saved by a newer Troupe is left out of long-term memory, not the reason it fails.
      if (!(error instanceof MemoryError && error.code === 'memory/too-new')) throw error;
    }
  }
  return gatherLongTerm(sources, ownFacts);
}

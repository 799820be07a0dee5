/**
 * Reads a character's long-term memory: the memory of its other chats on this device (their own or
 * synced from a paired device), gathered by shared/src/memory/long-term.ts. Whether the character's
 * switch is on is the caller's question (the switch lives in the character's doc).
 */
import { gatherLongTerm, LONG_TERM_MAX_CHATS, type LongTermMemory, type LongTermSource } from '@troupe/shared/memory';
import type { TroupeDb } from '../db/database.ts';
import { MemoryError } from './memory-error.ts';
import { readMemory } from './memory-store.ts';

/** Long-term memories kept (one per chat built lately): each is a few hundred KB at most. */
const KEPT_LONG_TERMS = 8;

/**
 * Long-term memory as of the other chats' rows: every reply changes the open chat's memory (and with it
 * the memories table), not the others', so their docs are read again only when one of them changed.
 */
export class LongTermReader {
  private readonly kept = new Map<string, { signature: string; value: Promise<LongTermMemory> }>();

  constructor(private readonly db: TroupeDb) {}

  /** What the character kept from its chats other than `chatKey`; `ownFacts` (this chat's) are not repeated. */
  async read(characterId: string, chatKey: string, ownFacts: readonly string[]): Promise<LongTermMemory> {
    const rows = await this.db.memories.where('characterId').equals(characterId).toArray();
    const others = rows.filter((row) => row.chatKey !== chatKey).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, LONG_TERM_MAX_CHATS);
    const signature = JSON.stringify([characterId, others.map((row) => [row.chatKey, row.updatedAt]), ownFacts]);
    const key = `${characterId}\n${chatKey}`;
    const hit = this.kept.get(key);
    if (hit?.signature === signature) return hit.value;
    const value = readSources(this.db, others.map((row) => row.chatKey)).then((sources) => gatherLongTerm(sources, ownFacts));
    this.kept.delete(key);
    this.kept.set(key, { signature, value });
    if (this.kept.size > KEPT_LONG_TERMS) this.kept.delete(this.kept.keys().next().value!);
    value.catch(() => { if (this.kept.get(key)?.value === value) this.kept.delete(key); });
    return value;
  }
}

async function readSources(db: TroupeDb, chatKeys: readonly string[]): Promise<LongTermSource[]> {
  const sources: LongTermSource[] = [];
  for (const chatKey of chatKeys) {
    try {
      const { messages, summaries, facts } = await readMemory(db, chatKey);
      sources.push({ chatKey, messages, summaries, facts });
    } catch (error) {
      // A chat saved by a newer Troupe is left out of long-term memory, not the reason it fails.
      if (!(error instanceof MemoryError && error.code === 'memory/too-new')) throw error;
    }
  }
  return sources;
}

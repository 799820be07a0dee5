import type { TroupeDb } from '../db/database.ts';
import { libraryFor, type Library } from '../library/library.ts';
import { defaultPersonaSetting } from './default-persona.ts';
import { changeFeedFor } from '../changes/change-feed.ts';
import { markWriteOrigin } from '../changes/write-origin.ts';
import { savedPersonasItem } from '../personas/persona-store.ts';
import { readSavedPersonas } from '../personas/saved-personas.ts';
import { promptSettingsItem } from './global-prompt-settings.ts';
import { readMemory } from '../memory/memory-store.ts';
import { LongTermReader } from '../memory/long-term.ts';
import { currentSummaries } from '@troupe/shared/memory';
import type { PromptServiceDeps } from './prompt-service.ts';

/** The prompt service's view of the database and settings: the chat's binding and state, cards, lorebooks, global settings. */
export function promptDepsFromDb(db: TroupeDb, library: Library = libraryFor(db)): PromptServiceDeps {
  const longTerm = new LongTermReader(db);
  return {
    readChat: async (chatKey) => {
      const row = await db.chats.get(chatKey);
      return { characterId: row?.characterId ?? null, promptState: row?.promptState ?? null, settings: row?.settings ?? null };
    },
    defaultPersona: () => defaultPersonaSetting.getValue(),
    savedPersonas: async () => readSavedPersonas(await savedPersonasItem.getValue()),
    characterVersion: async (id) => {
      const row = await db.characters.get(id);
      return row && row.deletedAt === undefined ? row.updatedAt : null;
    },
    readCard: (id) => library.readCard(id),
    promptSettings: () => promptSettingsItem.getValue(),
    linkedLorebookRef: (id) => library.linkedLorebookRef(id),
    lorebookVersions: (ids) => library.lorebookVersions(ids),
    readLorebook: (id) => library.readLorebook(id),
    exchanges: (chatKey) => db.chatLog.where('chatKey').equals(chatKey).count(),
    memory: async (chatKey) => {
      const [memory, chat] = await Promise.all([readMemory(db, chatKey), db.chats.get(chatKey)]);
      const facts = memory.facts.map((fact) => fact.text);
      const own = { facts, summaries: currentSummaries(memory.messages, memory.summaries) };
      const characterId = chat?.characterId;
      if (!characterId || !(await library.characterOptions(characterId))?.longTermMemory) return own;
      return { ...own, longTerm: await longTerm.read(characterId, chatKey, facts) };
    },
    savePromptState: (chatKey, promptState) => db.transaction('rw', db.chats, async () => {
      // The service's own bookkeeping: the change feed must not make it drop the chat it just built.
      markWriteOrigin('prompt-state');
      await db.chats.update(chatKey, { promptState });
    }),
    now: () => new Date(),
    changes: changeFeedFor(db),
  };
}

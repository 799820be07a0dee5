import type { TroupeDb } from '../db/database.ts';
import { libraryFor } from '../library/library.ts';
import { defaultPersonaSetting } from './default-persona.ts';
import { onTableWrites } from '../db/table-writes.ts';
import { savedPersonasItem } from '../personas/persona-store.ts';
import { readSavedPersonas } from '../personas/saved-personas.ts';
import type { PromptService, PromptServiceDeps } from './prompt-service.ts';

/** The prompt service's view of the database: the chat's binding and state, cards and linked worlds. */
export function promptDepsFromDb(db: TroupeDb): PromptServiceDeps {
  const library = libraryFor(db);
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
    linkedLorebook: async (id) => (await library.linkedLorebook(id))?.lorebook ?? null,
    exchanges: (chatKey) => db.chatLog.where('chatKey').equals(chatKey).count(),
    savePromptState: async (chatKey, promptState) => { await db.chats.update(chatKey, { promptState }); },
    now: () => new Date(),
  };
}

/**
 * Tells the prompt service when what it keeps between requests goes stale: any character write (the
 * version it checks), the default persona setting and the saved personas. Writes to a chat are announced by its handlers.
 */
export function watchPromptInputs(db: TroupeDb, prompts: PromptService): void {
  onTableWrites(db, ['characters'], () => prompts.forgetCharacters());
  defaultPersonaSetting.watch(() => prompts.forgetPersonas());
  savedPersonasItem.watch(() => prompts.forgetPersonas());
}

import type { TroupeDb } from '../db/database.ts';
import { libraryFor, type Library } from '../library/library.ts';
import { defaultPersonaSetting } from './default-persona.ts';
import { onTableWrites } from '../db/table-writes.ts';
import { savedPersonasItem } from '../personas/persona-store.ts';
import { readSavedPersonas } from '../personas/saved-personas.ts';
import { promptSettingsItem } from './global-prompt-settings.ts';
import type { PromptService, PromptServiceDeps } from './prompt-service.ts';

/** The prompt service's view of the database and settings: the chat's binding and state, cards, lorebooks, global settings. */
export function promptDepsFromDb(db: TroupeDb, library: Library = libraryFor(db)): PromptServiceDeps {
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
    savePromptState: async (chatKey, promptState) => { await db.chats.update(chatKey, { promptState }); },
    now: () => new Date(),
  };
}

/**
 * Tells the prompt service when what it keeps between requests goes stale: any character or lorebook
 * write (the versions it checks), the personas and the global prompt settings. Writes to a chat are
 * announced by its handlers.
 */
export function watchPromptInputs(db: TroupeDb, prompts: PromptService): () => void {
  const stops = [
    onTableWrites(db, ['characters'], () => prompts.forgetCharacters()),
    onTableWrites(db, ['lorebooks'], () => prompts.forgetLorebooks()),
    ...[defaultPersonaSetting, savedPersonasItem, promptSettingsItem].map((item) => item.watch(() => prompts.forgetSettings())),
  ];
  return () => { for (const stop of stops) stop(); };
}

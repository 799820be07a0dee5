import type { TroupeDb } from './db/database.ts';
import type { RuntimeHandlers } from './runtime-server.ts';
import { chatHandlers } from './handlers/chat-handlers.ts';
import { libraryHandlers } from './handlers/library-handlers.ts';
import { originsHandlers } from './handlers/origins-handlers.ts';
import { sillytavernHandlers } from './handlers/sillytavern-handlers.ts';
import { libraryFor } from './library/library.ts';
import type { Announce } from './handlers/types.ts';
import { promptHandlers } from './handlers/prompt-handlers.ts';
import { PromptService } from './prompt-service/prompt-service.ts';
import { promptDepsFromDb } from './prompt-service/library-deps.ts';
import { markKitsStaleOnChange } from './prompt-service/kit-staleness.ts';
import { changeFeedFor } from './changes/change-feed.ts';
import { writeSetting } from './changes/settings-writes.ts';
import { syncHandlers } from './handlers/sync-handlers.ts';
import { personaHandlers, type PersonaFollowers } from './handlers/persona-handlers.ts';
import { unfollowPersona } from './chats/chats.ts';
import { defaultPersonaSetting } from './prompt-service/default-persona.ts';
import { personaStore } from './personas/persona-store.ts';
import { browserImageTools } from './library/images.ts';
import { memoryHandlers } from './handlers/memory-handlers.ts';

/** The background's answers to every runtime request: each domain's handlers, merged. */
export function createRuntimeHandlers(db: TroupeDb, announce: Announce): RuntimeHandlers {
  const prompts = new PromptService(promptDepsFromDb(db));
  const changes = changeFeedFor(db);
  markKitsStaleOnChange(changes);
  // A chat's memory changed (here or through sync): its panel reads it again.
  changes.subscribe((change) => {
    if (change.table === 'memories') for (const chatKey of [...change.ids, ...change.removed]) announce({ type: 'memory-changed', chatKey });
  });
  return {
    ...libraryHandlers(db, announce), ...chatHandlers(db, announce), ...originsHandlers(),
    ...sillytavernHandlers({ store: (items) => libraryFor(db).importParsed(items) }),
    ...promptHandlers(prompts, announce, db),
    ...syncHandlers(db),
    ...personaHandlers(personaStore(), browserImageTools(), personaFollowers(db), announce),
    ...memoryHandlers(db, (chatKey, texts) => prompts.countForChat(chatKey, texts)),
  };
}

/** Chats (in the database) and the default persona (in storage) that follow a saved persona. */
function personaFollowers(db: TroupeDb): PersonaFollowers {
  return {
    unfollowInChats: (persona) => unfollowPersona(db, persona),
    async unfollowAsDefault(persona) {
      if ((await defaultPersonaSetting.getValue()).id === persona.id) await writeSetting(defaultPersonaSetting, { name: persona.name, description: persona.description });
    },
  };
}

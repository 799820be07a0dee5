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
import { promptDepsFromDb, watchPromptInputs } from './prompt-service/library-deps.ts';
import { kitRevisionBumper } from '../messaging/storage/kit-revision.ts';
import { syncHandlers } from './handlers/sync-handlers.ts';
import { personaHandlers, type PersonaFollowers } from './handlers/persona-handlers.ts';
import { unfollowPersona } from './chats/chats.ts';
import { defaultPersonaSetting } from './prompt-service/default-persona.ts';
import { personaStore } from './personas/persona-store.ts';
import { browserImageTools } from './library/images.ts';

/** The background's answers to every runtime request: each domain's handlers, merged. */
export function createRuntimeHandlers(db: TroupeDb, announce: Announce): RuntimeHandlers {
  const prompts = new PromptService({ ...promptDepsFromDb(db), kitsStale: kitRevisionBumper() });
  watchPromptInputs(db, prompts);
  // Every chat or persona write is announced; the prompt service forgets (or, for a reply, updates) what it kept.
  const announceWrite: Announce = (event) => {
    if (event.type === 'chat-changed') prompts.forget(event.chatKey);
    else if (event.type === 'reply-saved') prompts.replySaved(event.chatKey, event.logCount);
    else if (event.type === 'personas-changed') prompts.forgetSettings();
    announce(event);
  };
  return {
    ...libraryHandlers(db, announce), ...chatHandlers(db, announceWrite), ...originsHandlers(),
    ...sillytavernHandlers({ store: (items) => libraryFor(db).importParsed(items) }),
    ...promptHandlers(prompts, announce, db),
    ...syncHandlers(db),
    ...personaHandlers(personaStore(), browserImageTools(), personaFollowers(db), announceWrite),
  };
}

/** Chats (in the database) and the default persona (in storage) that follow a saved persona. */
function personaFollowers(db: TroupeDb): PersonaFollowers {
  return {
    unfollowInChats: (persona) => unfollowPersona(db, persona),
    async unfollowAsDefault(persona) {
      if ((await defaultPersonaSetting.getValue()).id === persona.id) await defaultPersonaSetting.setValue({ name: persona.name, description: persona.description });
    },
  };
}

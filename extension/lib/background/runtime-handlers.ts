import type { TroupeDb } from '../db/database.ts';
import type { RuntimeHandlers } from '../messaging/runtime-server.ts';
import { chatHandlers } from './handlers/chat-handlers.ts';
import { libraryHandlers } from './handlers/library-handlers.ts';
import { originsHandlers } from './handlers/origins-handlers.ts';
import { sillytavernHandlers } from './handlers/sillytavern-handlers.ts';
import { libraryFor } from '../library/library.ts';
import type { Announce } from './handlers/types.ts';
import { promptHandlers } from './handlers/prompt-handlers.ts';
import { PromptService } from '../prompt-service/prompt-service.ts';
import { promptDepsFromDb } from '../prompt-service/library-deps.ts';
import { syncHandlers } from './handlers/sync-handlers.ts';

/** The background's answers to every runtime request: each domain's handlers, merged. */
export function createRuntimeHandlers(db: TroupeDb, announce: Announce): RuntimeHandlers {
  const prompts = new PromptService(promptDepsFromDb(db));
  // Every chat write is announced; the prompt service forgets what it kept of that chat.
  const announceChatWrite: Announce = (event) => {
    if (event.type === 'chat-changed') prompts.forget(event.chatKey);
    announce(event);
  };
  return {
    ...libraryHandlers(db, announce), ...chatHandlers(db, announceChatWrite), ...originsHandlers(),
    ...sillytavernHandlers({ store: (items) => libraryFor(db).importParsed(items) }),
    ...promptHandlers(prompts, announce, db),
    ...syncHandlers(db),
  };
}

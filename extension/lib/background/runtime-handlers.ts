import type { TroupeDb } from '../db/database.ts';
import { createCharacter, listCharacters } from '../db/characters.ts';
import { appendChatLog, getChatState, readChatLog, setActiveCharacter } from '../db/chats.ts';
import type { RuntimeHandlers } from '../messaging/runtime-server.ts';
import type { RuntimeEvent } from '../messaging/runtime-client.ts';
import { browser } from '#imports';
import { extraMatchPatterns } from '../origins/origins.ts';
import { syncRegisteredOrigins } from '../origins/register.ts';

/** The background's answers to every runtime request: the database behind typed messages. */
export function createRuntimeHandlers(db: TroupeDb, announce: (event: RuntimeEvent) => void): RuntimeHandlers {
  return {
    'characters.list': () => listCharacters(db),
    'characters.create': async (req) => {
      const created = await createCharacter(db, req);
      announce({ type: 'characters-changed' });
      return created;
    },
    'chat.get': ({ chatKey }) => getChatState(db, chatKey),
    'chat.activate': async ({ chatKey, characterId }) => {
      const state = await setActiveCharacter(db, chatKey, characterId);
      announce({ type: 'chat-changed', chatKey });
      return state;
    },
    'chat.appendReply': async (req) => {
      const logCount = await appendChatLog(db, req);
      announce({ type: 'chat-changed', chatKey: req.chatKey });
      return { logCount };
    },
    'chat.log': ({ chatKey }) => readChatLog(db, chatKey),
    'origins.list': async () => extraMatchPatterns((await browser.permissions.getAll()).origins ?? []),
    'origins.sync': () => syncRegisteredOrigins(),
  };
}

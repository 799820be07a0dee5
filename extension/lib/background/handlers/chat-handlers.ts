import type { TroupeDb } from '../../db/database.ts';
import { appendChatLog, getChatState, readChatLog, setActiveCharacter } from '../../db/chats.ts';
import type { ChatApi } from '../../messaging/protocols/chat-protocol.ts';
import type { Announce, Handlers } from './types.ts';

export function chatHandlers(db: TroupeDb, announce: Announce): Handlers<ChatApi> {
  return {
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
  };
}

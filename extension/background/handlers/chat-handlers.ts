import type { TroupeDb } from '../db/database.ts';
import { appendChatLog, getChatSettings, getChatState, readChatLog, setActiveCharacter, updateChatSettings } from '../chats/chats.ts';
import type { ChatApi, ChatSettingsView } from '../../messaging/protocols/chat-protocol.ts';
import { libraryFor } from '../library/library.ts';
import { greetingsOf } from '../../messaging/chat-settings.ts';
import { defaultPersonaSetting } from '../prompt-service/default-persona.ts';
import { writeSetting } from '../changes/settings-writes.ts';
import { liveLorebookIds } from './live-lorebooks.ts';
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
      announce({ type: 'reply-saved', chatKey: req.chatKey, logCount });
      return { logCount };
    },
    'chat.log': ({ chatKey }) => readChatLog(db, chatKey),
    'chat.settings.get': ({ chatKey }) => settingsView(db, chatKey),
    'chat.settings.update': async ({ chatKey, defaultPersona, ...patch }) => {
      if (patch.lorebookIds) patch.lorebookIds = await liveLorebookIds(db, patch.lorebookIds);
      await updateChatSettings(db, chatKey, patch);
      if (defaultPersona) await writeSetting(defaultPersonaSetting, defaultPersona);
      announce({ type: 'chat-changed', chatKey });
      return settingsView(db, chatKey);
    },
  };
}

async function settingsView(db: TroupeDb, chatKey: string): Promise<ChatSettingsView> {
  const [settings, defaultPersona, row] = await Promise.all([getChatSettings(db, chatKey), defaultPersonaSetting.getValue(), db.chats.get(chatKey)]);
  const card = row?.characterId ? await libraryFor(db).readCard(row.characterId) : null;
  return { chatKey, settings, defaultPersona, greetings: card ? greetingsOf(card.data) : [] };
}

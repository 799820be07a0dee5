/** Runtime messages about NextChat chats: which character speaks, and what was said. */
import type { ChatState } from '../../db/chats.ts';
import type { ChatLogRow } from '../../db/database.ts';
import { MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS, MAX_REPLY_CHARS } from '../../limits.ts';
import { nullable, object, oneOf, string } from '../validate.ts';
import type { Validators } from './define.ts';

export interface ChatApi {
  'chat.get': { req: { chatKey: string }; res: ChatState };
  'chat.activate': { req: { chatKey: string; characterId: string | null }; res: ChatState };
  'chat.appendReply': {
    req: { chatKey: string; characterId: string; userText: string; replyText: string; status: 'done' | 'aborted' };
    res: { logCount: number };
  };
  'chat.log': { req: { chatKey: string }; res: ChatLogRow[] };
}

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const id = (v: unknown, field: string) => string(v, field, 100, { min: 1 });

export const CHAT_VALIDATORS: Validators<ChatApi> = {
  'chat.get': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
  'chat.activate': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), characterId: nullable(o.characterId, (v) => id(v, 'characterId')) };
  },
  'chat.appendReply': (p) => {
    const o = object(p, 'payload');
    return {
      chatKey: chatKey(o.chatKey),
      characterId: id(o.characterId, 'characterId'),
      userText: string(o.userText, 'userText', MAX_INTERCEPT_BODY_CHARS),
      // The store cuts long replies with a marker; anything far beyond that is not a reply.
      replyText: string(o.replyText, 'replyText', MAX_REPLY_CHARS * 2),
      status: oneOf(o.status, 'status', ['done', 'aborted'] as const),
    };
  },
  'chat.log': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
};

/** Runtime messages about NextChat chats: which character speaks, and what was said. */
import type { ChatLogEntry, ChatState } from '../chat-types.ts';
import { MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS, MAX_REPLY_CHARS } from '../limits/general.ts';
import { MessageError, nullable, object, oneOf, string } from '../validate.ts';
import type { ChatSettingsPatch } from '../chat-types.ts';
import { AUTHOR_NOTE_ROLES, HOST_SYSTEM_MODES, type AuthorNoteSettings, type ChatSettings, type PersonaSettings } from '../chat-settings.ts';
import { lorebookIdList } from './lorebook-ids.ts';
import {
  MAX_AUTHOR_NOTE, MAX_AUTHOR_NOTE_DEPTH, MAX_AUTHOR_NOTE_EVERY_N, MAX_GREETING_INDEX, MAX_PERSONA_DESCRIPTION, MAX_PERSONA_NAME,
} from '../limits/prompt.ts';
import type { Validators } from './define.ts';

export interface ChatApi {
  'chat.get': { req: { chatKey: string }; res: ChatState };
  'chat.activate': { req: { chatKey: string; characterId: string | null }; res: ChatState };
  'chat.appendReply': {
    req: { chatKey: string; characterId: string; userText: string; replyText: string; status: 'done' | 'aborted' };
    res: { logCount: number };
  };
  'chat.log': { req: { chatKey: string }; res: ChatLogEntry[] };
  /** The chat's persona, author's note, greeting choice, chat lore and system prompt mode, with what the panel needs to show them. */
  'chat.settings.get': { req: { chatKey: string }; res: ChatSettingsView };
  /** Changes part of the chat's settings (and, with `defaultPersona`, the persona of every other chat). */
  'chat.settings.update': { req: ChatSettingsUpdate; res: ChatSettingsView };
}

/** A chat's settings as the panel shows them: the global persona it falls back to and the card's greetings. */
export interface ChatSettingsView {
  chatKey: string;
  settings: ChatSettings;
  defaultPersona: PersonaSettings;
  /** `[first_mes, ...alternate_greetings]` of the active character; empty without one. */
  greetings: string[];
}

export interface ChatSettingsUpdate extends ChatSettingsPatch {
  chatKey: string;
  defaultPersona?: PersonaSettings;
}

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });

function integer(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new MessageError(`${field} must be a whole number, 0 or more`);
  if (value > max) throw new MessageError(`${field} must be at most ${max}`);
  return value;
}

function persona(value: unknown, field: string): PersonaSettings {
  const o = object(value, field);
  const followed = nullable(o.id, (v) => id(v, `${field}.id`));
  return {
    name: string(o.name, `${field}.name`, MAX_PERSONA_NAME),
    description: string(o.description, `${field}.description`, MAX_PERSONA_DESCRIPTION),
    ...(followed ? { id: followed } : {}),
  };
}

function authorNote(value: unknown): AuthorNoteSettings {
  const o = object(value, 'authorNote');
  return {
    text: string(o.text, 'authorNote.text', MAX_AUTHOR_NOTE),
    depth: integer(o.depth, 'authorNote.depth', MAX_AUTHOR_NOTE_DEPTH),
    everyN: integer(o.everyN, 'authorNote.everyN', MAX_AUTHOR_NOTE_EVERY_N),
    role: oneOf(o.role, 'authorNote.role', AUTHOR_NOTE_ROLES),
  };
}
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
  'chat.settings.get': (p) => ({ chatKey: chatKey(object(p, 'payload').chatKey) }),
  'chat.settings.update': (p) => {
    const o = object(p, 'payload');
    return {
      chatKey: chatKey(o.chatKey),
      ...('persona' in o ? { persona: nullable(o.persona, (v) => persona(v, 'persona')) } : {}),
      ...(o.authorNote !== undefined ? { authorNote: authorNote(o.authorNote) } : {}),
      ...(o.greetingIndex !== undefined ? { greetingIndex: integer(o.greetingIndex, 'greetingIndex', MAX_GREETING_INDEX) } : {}),
      ...(o.lorebookIds !== undefined ? { lorebookIds: lorebookIdList(o.lorebookIds, 'lorebookIds') } : {}),
      ...('hostSystemMode' in o ? { hostSystemMode: nullable(o.hostSystemMode, (v) => oneOf(v, 'hostSystemMode', HOST_SYSTEM_MODES)) } : {}),
      ...(o.defaultPersona !== undefined ? { defaultPersona: persona(o.defaultPersona, 'defaultPersona') } : {}),
    };
  },
};

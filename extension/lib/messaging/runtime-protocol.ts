/**
 * The runtime channel between the background (which owns the database) and every other extension
 * context. One map from message type to request and response; one validator per request, run by the
 * background before anything is touched.
 */
import type { CharacterSummary } from '../db/characters.ts';
import type { ChatState } from '../db/chats.ts';
import type { ChatLogRow } from '../db/database.ts';
import {
  MAX_AVATAR_DATA_URL, MAX_CHARACTER_DESCRIPTION, MAX_CHARACTER_NAME, MAX_CHAT_KEY, MAX_INTERCEPT_BODY_CHARS, MAX_REPLY_CHARS,
} from '../limits.ts';
import { MessageError, nullable, object, oneOf, string } from './validate.ts';

/** Version of the envelope; a context from an older build gets a clear error instead of misreading. */
export const RUNTIME_PROTOCOL_VERSION = 1;

export interface RuntimeApi {
  'characters.list': { req: Record<string, never>; res: CharacterSummary[] };
  'characters.create': { req: { name: string; description: string; avatar: string | null }; res: CharacterSummary };
  'chat.get': { req: { chatKey: string }; res: ChatState };
  'chat.activate': { req: { chatKey: string; characterId: string | null }; res: ChatState };
  'chat.appendReply': {
    req: { chatKey: string; characterId: string; userText: string; replyText: string; status: 'done' | 'aborted' };
    res: { logCount: number };
  };
  'chat.log': { req: { chatKey: string }; res: ChatLogRow[] };
  'origins.list': { req: Record<string, never>; res: string[] };
  'origins.sync': { req: Record<string, never>; res: string[] };
}

export type RuntimeType = keyof RuntimeApi;
export type RuntimeRequest<T extends RuntimeType> = RuntimeApi[T]['req'];
export type RuntimeResponse<T extends RuntimeType> = RuntimeApi[T]['res'];

export interface RuntimeEnvelope<T extends RuntimeType = RuntimeType> { troupe: typeof RUNTIME_PROTOCOL_VERSION; type: T; payload: RuntimeRequest<T> }
export type RuntimeResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Only raster images as base64 data URLs: an SVG avatar could carry script. */
const AVATAR_DATA_URL = /^data:image\/(png|jpeg|webp|gif);base64,[A-Za-z0-9+/=]+$/;
const empty = (): Record<string, never> => ({});
const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const id = (v: unknown, field: string) => string(v, field, 100, { min: 1 });

/** Validators: each turns an untrusted payload into the typed request or throws MessageError. */
export const RUNTIME_VALIDATORS: { [T in RuntimeType]: (payload: unknown) => RuntimeRequest<T> } = {
  'characters.list': empty,
  'characters.create': (p) => {
    const o = object(p, 'payload');
    const name = string(o.name, 'Name', MAX_CHARACTER_NAME).trim();
    if (name.length === 0) throw new MessageError('Name must not be empty');
    const avatar = nullable(o.avatar, (v) => string(v, 'Avatar', MAX_AVATAR_DATA_URL));
    if (avatar !== null && !AVATAR_DATA_URL.test(avatar)) throw new MessageError('Avatar must be a PNG, JPEG, WebP or GIF image');
    return { name, description: string(o.description, 'Description', MAX_CHARACTER_DESCRIPTION), avatar };
  },
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
  'origins.list': empty,
  'origins.sync': empty,
};

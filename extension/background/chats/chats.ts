import { MAX_LOG_BYTES_PER_CHAT, MAX_LOG_BYTES_PER_ORIGIN, MAX_LOG_REPLIES_PER_CHAT, MAX_REPLY_CHARS } from '../../messaging/limits/general.ts';
import type { ChatLogRow, TroupeDb } from '../db/database.ts';
import { markWriteOrigin } from '../changes/write-origin.ts';
import { LibraryError } from '../library/errors.ts';
import { libraryFor } from '../library/library.ts';
import { adoptCharacterFromMemory } from '../memory/memory-sync.ts';
import type { CapturedReply, ChatSettingsPatch, ChatState } from '../../messaging/chat-types.ts';
import { CHAT_SETTINGS_VERSION, chatSettingsOrDefault, type ChatSettings, type PersonaSettings } from '../../messaging/chat-settings.ts';

/** The chat's active character and how many exchanges its log holds. */
export async function getChatState(db: TroupeDb, chatKey: string): Promise<ChatState> {
  let row = await db.chats.get(chatKey);
  // A chat this device never gave a character takes the one its synced memory names (see memory-sync.ts).
  if (!row && (await adoptCharacterFromMemory(db, chatKey))) row = await db.chats.get(chatKey);
  const character = row?.characterId ? await libraryFor(db).summary(row.characterId) : null;
  const logCount = await db.chatLog.where('chatKey').equals(chatKey).count();
  return { chatKey, character, logCount };
}

/** Makes `characterId` the active character of one chat (null deactivates); other chats are untouched. */
export async function setActiveCharacter(db: TroupeDb, chatKey: string, characterId: string | null, now = Date.now()): Promise<ChatState> {
  if (characterId !== null && !(await db.characters.get(characterId))) {
    throw new LibraryError('character/not-found', 'That character no longer exists in your library.');
  }
  // Update, not put: the chat's settings and prompt state outlive switching characters.
  await db.transaction('rw', db.chats, async () => {
    const row = await db.chats.get(chatKey);
    await db.chats.put({ ...row, chatKey, characterId, updatedAt: now });
  });
  return getChatState(db, chatKey);
}

/** The chat's persona, author's note, greeting choice, chat lore and system prompt mode, defaults filled in. */
export async function getChatSettings(db: TroupeDb, chatKey: string): Promise<ChatSettings> {
  return chatSettingsOrDefault((await db.chats.get(chatKey))?.settings);
}


/** Saves part of one chat's settings in the current format (an old row is upgraded); other chats and the chat's active character are untouched. */
export async function updateChatSettings(db: TroupeDb, chatKey: string, patch: ChatSettingsPatch, now = Date.now()): Promise<ChatSettings> {
  return db.transaction('rw', db.chats, async () => {
    const row = await db.chats.get(chatKey);
    const settings: ChatSettings = { ...chatSettingsOrDefault(row?.settings), ...patch, version: CHAT_SETTINGS_VERSION };
    await db.chats.put({ characterId: null, ...row, chatKey, settings, updatedAt: now });
    return settings;
  });
}

/**
 * Chats that follow a saved persona which is being deleted keep its last name and description as their
 * own persona. Returns the keys of the chats changed. (A rare action: it reads every chat row.)
 */
export async function unfollowPersona(db: TroupeDb, persona: PersonaSettings & { id: string }, now = Date.now()): Promise<string[]> {
  return db.transaction('rw', db.chats, async () => {
    const changed: string[] = [];
    await db.chats.toCollection().modify((row) => {
      if (row.settings?.persona?.id !== persona.id) return;
      row.settings = { ...chatSettingsOrDefault(row.settings), persona: { name: persona.name, description: persona.description }, version: CHAT_SETTINGS_VERSION };
      row.updatedAt = now;
      changed.push(row.chatKey);
    });
    return changed;
  });
}

export type ChatLogErrorCode = 'chat-log/full' | 'chat-log/site-full';

/** A reply that cannot be stored without passing a limit; nothing was written. */
export class ChatLogError extends Error {
  constructor(readonly code: ChatLogErrorCode, message: string) {
    super(message);
    this.name = 'ChatLogError';
  }
}

const utf8 = new TextEncoder();
const bytesOf = (text: string) => utf8.encode(text).length;
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * Stores one finished exchange in the chat's log, attributed to the character that was active, and
 * returns the log's length. Refuses (ChatLogError, nothing written, older replies kept) a reply past
 * the chat's limits (MAX_LOG_REPLIES_PER_CHAT, MAX_LOG_BYTES_PER_CHAT) or its site's (MAX_LOG_BYTES_PER_ORIGIN).
 */
export async function appendChatLog(db: TroupeDb, reply: CapturedReply, now = Date.now()): Promise<number> {
  const replyText = reply.replyText.length > MAX_REPLY_CHARS ? `${reply.replyText.slice(0, MAX_REPLY_CHARS)}\n[… cut by Troupe]` : reply.replyText;
  const size = bytesOf(reply.userText) + bytesOf(replyText);
  // One transaction: two replies saved at once each get their own count, in order, and the limits hold.
  return db.transaction('rw', db.chatLog, db.chats, async () => {
    markWriteOrigin('reply');
    const row = await db.chats.get(reply.chatKey);
    const count = await db.chatLog.where('chatKey').equals(reply.chatKey).count();
    const chatBytes = row?.logBytes ?? await loggedBytes(db, reply.chatKey);
    if (count >= MAX_LOG_REPLIES_PER_CHAT || chatBytes + size > MAX_LOG_BYTES_PER_CHAT) {
      throw new ChatLogError('chat-log/full', `This chat's log is full (${MAX_LOG_REPLIES_PER_CHAT.toLocaleString('en')} replies or ${mb(MAX_LOG_BYTES_PER_CHAT)}): the reply was not stored; the earlier ones are kept.`);
    }
    const origin = reply.chatKey.slice(0, reply.chatKey.indexOf('#') + 1);
    let siteBytes = size;
    await db.chats.where('chatKey').startsWith(origin).each((chat) => { siteBytes += chat.chatKey === reply.chatKey ? chatBytes : chat.logBytes ?? 0; });
    if (!row) siteBytes += chatBytes;
    if (siteBytes > MAX_LOG_BYTES_PER_ORIGIN) {
      throw new ChatLogError('chat-log/site-full', `Troupe's logs for this NextChat site are full (${mb(MAX_LOG_BYTES_PER_ORIGIN)}): the reply was not stored; the earlier ones are kept.`);
    }
    await db.chatLog.add({ ...reply, replyText, at: now });
    await db.chats.put({ ...(row ?? { chatKey: reply.chatKey, characterId: reply.characterId, updatedAt: now }), logBytes: chatBytes + size });
    return count + 1;
  });
}

/** The bytes of a chat's log, counted row by row (for chats logged before the total was kept). */
async function loggedBytes(db: TroupeDb, chatKey: string): Promise<number> {
  let total = 0;
  await db.chatLog.where('chatKey').equals(chatKey).each((row) => { total += bytesOf(row.userText) + bytesOf(row.replyText); });
  return total;
}

export async function readChatLog(db: TroupeDb, chatKey: string): Promise<ChatLogRow[]> {
  return db.chatLog.where('[chatKey+at]').between([chatKey, -Infinity], [chatKey, Infinity]).toArray();
}

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { testDbs } from '../db/test-db.ts';
import { libraryFor } from '../library/library.ts';
import { appendChatLog, getChatSettings, setActiveCharacter, unfollowPersona, updateChatSettings } from './chats.ts';
import { MAX_LOG_BYTES_PER_CHAT, MAX_LOG_BYTES_PER_ORIGIN, MAX_LOG_REPLIES_PER_CHAT } from '../../messaging/limits/general.ts';
import { DEFAULT_CHAT_SETTINGS } from '../../messaging/chat-settings.ts';

const freshDb = testDbs('chats');

describe('per-chat settings', () => {
  it('defaults, saves per chat, and leaves other chats alone', async () => {
    const db = freshDb();
    expect(await getChatSettings(db, 'o#a')).toEqual(DEFAULT_CHAT_SETTINGS);
    await updateChatSettings(db, 'o#a', { persona: { name: 'Ann', description: 'A sailor.' } });
    await updateChatSettings(db, 'o#a', { authorNote: { text: 'Be brief.', depth: 1, everyN: 2, role: 'user' }, greetingIndex: 1 });
    expect(await getChatSettings(db, 'o#a')).toEqual({
      version: 2, persona: { name: 'Ann', description: 'A sailor.' }, authorNote: { text: 'Be brief.', depth: 1, everyN: 2, role: 'user' }, greetingIndex: 1,
      lorebookIds: [], hostSystemMode: null, readAloud: false,
    });
    expect(await getChatSettings(db, 'o#b')).toEqual(DEFAULT_CHAT_SETTINGS);
    expect((await db.chats.get('o#a'))?.characterId).toBeNull();
  });

  it('reads a row saved in format 1 and upgrades it on the next write, keeping what it held', async () => {
    const db = freshDb();
    const v1 = { version: 1 as const, persona: { name: 'Ann', description: '' }, authorNote: { text: 'Old note.', depth: 2, everyN: 0, role: 'system' as const }, greetingIndex: 1 };
    await db.chats.put({ chatKey: 'o#old', characterId: null, updatedAt: 1, settings: v1 });
    expect(await getChatSettings(db, 'o#old')).toEqual({ ...v1, version: 2, lorebookIds: [], hostSystemMode: null, readAloud: false });
    await updateChatSettings(db, 'o#old', { lorebookIds: ['b1'], hostSystemMode: 'keep' });
    expect((await db.chats.get('o#old'))?.settings).toEqual({ ...v1, version: 2, lorebookIds: ['b1'], hostSystemMode: 'keep', readAloud: false });
  });

  it('reads a format from a newer build as the defaults instead of misreading it', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: 'o#new', characterId: null, updatedAt: 1, settings: { version: 9 } as unknown as typeof DEFAULT_CHAT_SETTINGS });
    expect(await getChatSettings(db, 'o#new')).toEqual(DEFAULT_CHAT_SETTINGS);
  });

  it('keeps settings and prompt state when the active character changes', async () => {
    const db = freshDb();
    const mira = await libraryFor(db).createCharacter({ name: 'Mira', description: 'x', avatar: null });
    await updateChatSettings(db, 'o#a', { greetingIndex: 2 });
    await db.chats.update('o#a', { promptState: { version: 1, timedState: null, variables: { seen: 'tower' } } });
    await setActiveCharacter(db, 'o#a', mira.id);
    await setActiveCharacter(db, 'o#a', null);
    await setActiveCharacter(db, 'o#a', mira.id);
    const row = await db.chats.get('o#a');
    expect(row?.characterId).toBe(mira.id);
    expect(row?.settings?.greetingIndex).toBe(2);
    expect(row?.promptState?.variables).toEqual({ seen: 'tower' });
  });
});

describe('unfollowPersona', () => {
  it('gives chats that follow a deleted persona its last text as their own, and leaves other chats alone', async () => {
    const db = freshDb();
    await updateChatSettings(db, 'o#a', { persona: { id: 'p-ann', name: 'Ann', description: 'Old copy.' }, greetingIndex: 1 });
    await updateChatSettings(db, 'o#b', { persona: { id: 'p-bo', name: 'Bo', description: '' } });
    await updateChatSettings(db, 'o#c', { persona: null });
    expect(await unfollowPersona(db, { id: 'p-ann', name: 'Ann', description: 'Mends nets.' }, 5)).toEqual(['o#a']);
    expect(await getChatSettings(db, 'o#a')).toMatchObject({ persona: { name: 'Ann', description: 'Mends nets.' }, greetingIndex: 1 });
    expect((await getChatSettings(db, 'o#a')).persona).not.toHaveProperty('id');
    expect((await getChatSettings(db, 'o#b')).persona).toEqual({ id: 'p-bo', name: 'Bo', description: '' });
    expect((await getChatSettings(db, 'o#c')).persona).toBeNull();
  });
});

describe('chat log limits', () => {
  const reply = (chatKey: string, replyText: string) => ({ chatKey, characterId: 'c', userText: 'hi', replyText, status: 'done' as const });

  it('keeps a running byte total per chat, counting an older log once', async () => {
    const db = freshDb();
    await db.chatLog.add({ ...reply('o#a', 'before totals'), at: 1 });
    expect(await appendChatLog(db, reply('o#a', 'héllo'), 2)).toBe(2);
    // 'hi' + 'before totals' + 'hi' + 'héllo' (é is two bytes in UTF-8).
    expect((await db.chats.get('o#a'))?.logBytes).toBe(2 + 13 + 2 + 6);
  });

  it('refuses a reply past the chat\'s bytes, storing nothing and keeping the rest', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: 'o#a', characterId: 'c', updatedAt: 1, logBytes: MAX_LOG_BYTES_PER_CHAT - 10 });
    await expect(appendChatLog(db, reply('o#a', 'a reply too many'))).rejects.toMatchObject({ code: 'chat-log/full' });
    expect(await db.chatLog.count()).toBe(0);
    expect((await db.chats.get('o#a'))?.logBytes).toBe(MAX_LOG_BYTES_PER_CHAT - 10);
    expect(await appendChatLog(db, reply('o#b', 'another chat is fine'))).toBe(1);
  });

  it('refuses a reply past the site\'s bytes, whichever chat it is for; other sites are not counted', async () => {
    const db = freshDb();
    const half = MAX_LOG_BYTES_PER_ORIGIN / 2;
    await db.chats.bulkPut([
      { chatKey: 'http://a:1#x', characterId: 'c', updatedAt: 1, logBytes: half },
      { chatKey: 'http://a:1#y', characterId: 'c', updatedAt: 1, logBytes: half - 5 },
      { chatKey: 'http://b:2#z', characterId: 'c', updatedAt: 1, logBytes: half },
    ]);
    await expect(appendChatLog(db, reply('http://a:1#new', 'flooding'))).rejects.toThrow(/logs for this NextChat site are full/);
    expect(await appendChatLog(db, reply('http://b:2#new', 'elsewhere'))).toBe(1);
  });

  it('refuses a reply past the chat\'s count of replies', async () => {
    const db = freshDb();
    await db.chatLog.bulkAdd(Array.from({ length: MAX_LOG_REPLIES_PER_CHAT }, (_, i) => ({ ...reply('o#long', ''), at: i })));
    await db.chats.put({ chatKey: 'o#long', characterId: 'c', updatedAt: 1, logBytes: 0 });
    await expect(appendChatLog(db, reply('o#long', 'one more'))).rejects.toMatchObject({ code: 'chat-log/full' });
  });
});

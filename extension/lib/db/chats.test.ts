// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { testDbs } from './test-db.ts';
import { createCharacter } from './characters.ts';
import { getChatSettings, setActiveCharacter, unfollowPersona, updateChatSettings } from './chats.ts';
import { DEFAULT_CHAT_SETTINGS } from '../prompt-service/chat-settings.ts';

const freshDb = testDbs('chats');

describe('per-chat settings', () => {
  it('defaults, saves per chat, and leaves other chats alone', async () => {
    const db = freshDb();
    expect(await getChatSettings(db, 'o#a')).toEqual(DEFAULT_CHAT_SETTINGS);
    await updateChatSettings(db, 'o#a', { persona: { name: 'Ann', description: 'A sailor.' } });
    await updateChatSettings(db, 'o#a', { authorNote: { text: 'Be brief.', depth: 1, everyN: 2, role: 'user' }, greetingIndex: 1 });
    expect(await getChatSettings(db, 'o#a')).toEqual({
      version: 2, persona: { name: 'Ann', description: 'A sailor.' }, authorNote: { text: 'Be brief.', depth: 1, everyN: 2, role: 'user' }, greetingIndex: 1,
      lorebookIds: [], hostSystemMode: null,
    });
    expect(await getChatSettings(db, 'o#b')).toEqual(DEFAULT_CHAT_SETTINGS);
    expect((await db.chats.get('o#a'))?.characterId).toBeNull();
  });

  it('reads a row saved in format 1 and upgrades it on the next write, keeping what it held', async () => {
    const db = freshDb();
    const v1 = { version: 1 as const, persona: { name: 'Ann', description: '' }, authorNote: { text: 'Old note.', depth: 2, everyN: 0, role: 'system' as const }, greetingIndex: 1 };
    await db.chats.put({ chatKey: 'o#old', characterId: null, updatedAt: 1, settings: v1 });
    expect(await getChatSettings(db, 'o#old')).toEqual({ ...v1, version: 2, lorebookIds: [], hostSystemMode: null });
    await updateChatSettings(db, 'o#old', { lorebookIds: ['b1'], hostSystemMode: 'keep' });
    expect((await db.chats.get('o#old'))?.settings).toEqual({ ...v1, version: 2, lorebookIds: ['b1'], hostSystemMode: 'keep' });
  });

  it('reads a format from a newer build as the defaults instead of misreading it', async () => {
    const db = freshDb();
    await db.chats.put({ chatKey: 'o#new', characterId: null, updatedAt: 1, settings: { version: 9 } as unknown as typeof DEFAULT_CHAT_SETTINGS });
    expect(await getChatSettings(db, 'o#new')).toEqual(DEFAULT_CHAT_SETTINGS);
  });

  it('keeps settings and prompt state when the active character changes', async () => {
    const db = freshDb();
    const mira = await createCharacter(db, { name: 'Mira', description: 'x', avatar: null });
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

// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DexieYProvider } from 'y-dexie';
import { readCharacterCore } from '@troupe/shared/docs';
import { openTroupeDb, type TroupeDb } from './database.ts';
import { libraryFor } from '../library/library.ts';
import { appendChatLog, getChatState, readChatLog, setActiveCharacter } from '../chats/chats.ts';
import { MAX_REPLY_CHARS } from '../../messaging/limits/general.ts';

let db: TroupeDb;
beforeEach(() => { db = openTroupeDb(`test-${crypto.randomUUID()}`); });
afterEach(async () => { await db.delete(); });

describe('characters', () => {
  it('creates a character with its Y.Doc and lists it', async () => {
    const mira = await libraryFor(db).createCharacter({ name: 'Mira', description: 'A cartographer.', avatar: null }, 1000);
    await libraryFor(db).createCharacter({ name: 'Bo', description: '', avatar: 'data:image/png;base64,AA==' }, 2000);
    expect((await libraryFor(db).summaries()).map((c) => c.name)).toEqual(['Bo', 'Mira']);

    const row = (await db.characters.get(mira.id))!;
    const provider = DexieYProvider.load(row.doc);
    await provider.whenLoaded;
    expect(readCharacterCore(row.doc)).toEqual({ name: 'Mira', description: 'A cartographer.' });
    DexieYProvider.release(row.doc);
  });
});

describe('chats', () => {
  it('binds a character to one chat only', async () => {
    const mira = await libraryFor(db).createCharacter({ name: 'Mira', description: 'x', avatar: null });
    await setActiveCharacter(db, 'o#chat-1', mira.id);
    expect((await getChatState(db, 'o#chat-1')).character?.name).toBe('Mira');
    expect((await getChatState(db, 'o#chat-2')).character).toBeNull();
    expect((await setActiveCharacter(db, 'o#chat-1', null)).character).toBeNull();
  });

  it('refuses to activate a character that does not exist', async () => {
    await expect(setActiveCharacter(db, 'o#c', 'missing')).rejects.toMatchObject({ code: 'character/not-found' });
    expect(await db.chats.count()).toBe(0);
  });

  it('keeps each chat\'s log in order and cuts oversized replies with a marker', async () => {
    await appendChatLog(db, { chatKey: 'o#a', characterId: 'c', userText: 'hi', replyText: 'one', status: 'done' }, 1);
    await appendChatLog(db, { chatKey: 'o#b', characterId: 'c', userText: 'hi', replyText: 'other', status: 'done' }, 2);
    const count = await appendChatLog(db, { chatKey: 'o#a', characterId: 'c', userText: 'more', replyText: 'x'.repeat(MAX_REPLY_CHARS + 5), status: 'aborted' }, 3);
    expect(count).toBe(2);
    const log = await readChatLog(db, 'o#a');
    expect(log.map((r) => r.userText)).toEqual(['hi', 'more']);
    expect(log[1]!.replyText.endsWith('[… cut by Troupe]')).toBe(true);
    expect(log[1]!.status).toBe('aborted');
  });
});

// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import Dexie from 'dexie';
import yDexie, { DexieYProvider } from 'y-dexie';
import * as Y from 'yjs';
import { initCharacterDoc, readCharacterDoc } from '@troupe/shared/docs';
import { excerptOf, openTroupeDb, type TroupeDb } from './database.ts';
import { libraryFor } from '../library/library.ts';
import { getChatState, readChatLog } from '../chats/chats.ts';

const names: string[] = [];
const opened: TroupeDb[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
  for (const name of names.splice(0)) await Dexie.delete(name);
});

/** Writes a database exactly as the schema-1 build did (its schema, its rows, its docs). */
async function seedVersion1(name: string): Promise<void> {
  const v1 = new Dexie(name, { addons: [yDexie] });
  v1.version(1).stores({ characters: 'id, name, updatedAt, doc: Y.Doc', chats: 'chatKey, characterId', chatLog: '++seq, chatKey, [chatKey+at]' });
  const doc = (core: { name: string; description: string }) => {
    const d = new Y.Doc();
    initCharacterDoc(d, core);
    return d;
  };
  await v1.table('characters').add({ id: 'mira', name: 'Mira', description: 'A cartographer\nwho answers   in riddles.', avatar: 'data:image/png;base64,iVBORw0KGgo=', createdAt: 10, updatedAt: 20, doc: doc({ name: 'Mira', description: 'A cartographer\nwho answers   in riddles.' }) });
  await v1.table('characters').add({ id: 'bo', name: 'bo', description: 'x'.repeat(1000), avatar: null, createdAt: 30, updatedAt: 40, doc: doc({ name: 'bo', description: 'x'.repeat(1000) }) });
  await v1.table('chats').put({ chatKey: 'o#1', characterId: 'mira', updatedAt: 50 });
  await v1.table('chatLog').add({ chatKey: 'o#1', characterId: 'mira', userText: 'hi', replyText: 'hello', status: 'done', at: 60 });
  v1.close();
}

describe('schema 1 -> 2', () => {
  it('keeps every character, chat and log row working, moves the avatar to a Blob and a thumbnail', async () => {
    const name = `upgrade-${crypto.randomUUID()}`;
    names.push(name);
    await seedVersion1(name);

    const db = openTroupeDb(name);
    opened.push(db);
    await db.open();
    expect(db.verno).toBe(4);

    const mira = (await db.characters.get('mira'))!;
    expect(mira).toMatchObject({ name: 'Mira', sortName: 'mira', excerpt: 'A cartographer who answers in riddles.', tags: [], creator: '', world: '', bookEntries: 0, createdAt: 10, updatedAt: 20 });
    expect(mira).not.toHaveProperty('description');
    expect(mira).not.toHaveProperty('avatar');
    const asset = (await db.assets.get(mira.avatarAssetId!))!;
    expect(asset).toMatchObject({ characterId: 'mira', uri: 'ccdefault:', mime: 'image/png', size: 8 });
    expect([...new Uint8Array(await asset.blob.arrayBuffer())]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await db.thumbs.get('mira')).toEqual({ id: 'mira', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', version: 0 });

    const bo = (await db.characters.get('bo'))!;
    expect(bo.avatarAssetId).toBeNull();
    expect(bo.excerpt).toBe(excerptOf('x'.repeat(1000)));
    expect(bo.excerpt.length).toBeLessThan(300);

    // The docs are untouched and still read (layout 1), through y-dexie's own provider too.
    const provider = DexieYProvider.load(mira.doc);
    await provider.whenLoaded;
    expect(readCharacterDoc(mira.doc).data.description).toBe('A cartographer\nwho answers   in riddles.');
    DexieYProvider.release(mira.doc);

    // What the chat code reads keeps working: the full description, the binding, the log.
    expect(await libraryFor(db).summary('mira')).toEqual({ id: 'mira', name: 'Mira', description: 'A cartographer\nwho answers   in riddles.', avatar: 'data:image/png;base64,iVBORw0KGgo=', updatedAt: 20 });
    expect((await getChatState(db, 'o#1')).character?.name).toBe('Mira');
    expect((await readChatLog(db, 'o#1')).map((r) => r.replyText)).toEqual(['hello']);
    expect((await libraryFor(db).summaries()).map((c) => c.name)).toEqual(['bo', 'Mira']);
    // New indexes answer.
    expect(await db.characters.orderBy('sortName').primaryKeys()).toEqual(['bo', 'mira']);
    expect(await db.characters.where('deletedAt').aboveOrEqual(0).count()).toBe(0);
  });

  it('opens an empty new database at schema 4 with every table, chats\' memory and pack bookkeeping included', async () => {
    const name = `fresh-${crypto.randomUUID()}`;
    names.push(name);
    const db = openTroupeDb(name);
    opened.push(db);
    await db.open();
    expect(db.tables.map((t) => t.name).sort()).toEqual(
      ['$characters.doc_updates', '$lorebooks.doc_updates', '$memories.doc_updates', 'assets', 'characters', 'chatLog', 'chats', 'importedPacks', 'lorebooks', 'memories', 'sharedPacks', 'thumbs', 'tombstones'],
    );
  });
});

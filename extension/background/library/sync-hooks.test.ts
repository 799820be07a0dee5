// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMinimalPng, parseCardObject } from '@troupe/shared/cards';
import { updateCharacterFields, writeCharacterDoc } from '@troupe/shared/docs';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import { Library } from './library.ts';
import { applyRemoteUpdate, localAssets, storeSyncedAsset, watchLocalChanges } from './sync-hooks.ts';

const dbs: TroupeDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

function card(name: string) {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, description: 'x' } });
  if (parsed.kind !== 'character') throw new Error('not a character');
  return parsed.character;
}

async function sha(bytes: Uint8Array): Promise<string> {
  return Buffer.from(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)).toString('hex');
}

describe('sync hooks', () => {
  it('hears local writes but not what sync writes, even for the same character at once', async () => {
    const db = openTroupeDb(`hooks-${crypto.randomUUID()}`);
    dbs.push(db);
    const library = new Library(db, { images: null, maintain: false });
    const heard: string[] = [];
    const stop = watchLocalChanges(db, { changed: (_kind, id) => heard.push(id), deleted: () => {} });
    const remote = new Y.Doc();
    writeCharacterDoc(remote, card('Remote'));
    const id = crypto.randomUUID();
    expect(await applyRemoteUpdate(db, 'character', id, Y.encodeStateAsUpdateV2(remote))).toBe(true);
    const png = createMinimalPng();
    await storeSyncedAsset(db, id, { uri: 'ccdefault:', hash: await sha(png), size: png.length, mime: 'image/png', name: 'avatar.png' }, png);
    expect(heard).toEqual([]);
    expect((await db.characters.get(id))?.avatarAssetId).toBeTruthy();

    // A local edit committing while sync writes the same id is still a local change.
    const later = new Y.Doc();
    Y.applyUpdate(later, Y.encodeStateAsUpdate(remote));
    updateCharacterFields(later, { creator_notes: 'changed' });
    await Promise.all([
      applyRemoteUpdate(db, 'character', id, Y.encodeStateAsUpdateV2(later, Y.encodeStateVector(remote))),
      library.updateCharacter(id, { description: 'local' }),
    ]);
    expect(heard).toEqual([id]);
    stop();
    library.dispose();
  });

  it('hashes a character\'s assets once and keeps the hash on the row', async () => {
    const db = openTroupeDb(`hooks-${crypto.randomUUID()}`);
    dbs.push(db);
    const library = new Library(db, { images: null, maintain: false });
    const png = createMinimalPng();
    const made = await library.createCharacter({ name: 'Ada', description: '', avatar: `data:image/png;base64,${Buffer.from(png).toString('base64')}` });
    let calls = 0;
    const hash = async (bytes: Uint8Array) => { calls++; return sha(bytes); };
    const first = await localAssets(db, made.id, hash);
    expect(first).toEqual([expect.objectContaining({ uri: 'ccdefault:', hash: await sha(png), size: png.length })]);
    await localAssets(db, made.id, hash);
    expect(calls).toBe(1);
    library.dispose();
  });
});

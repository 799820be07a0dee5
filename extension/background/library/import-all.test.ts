// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMinimalPng, parseCardObject, type Character, type Lorebook } from '@troupe/shared/cards';
import { testLibrary, type TestLibrary } from './test-support.ts';
import { LibraryError } from './errors.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => { await t.close(); });

function card(name: string, description = `${name} keeps the lighthouse.`): Character {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, description, extensions: { world: 'The Coast' } } });
  if (parsed.kind !== 'character') throw new Error('expected a character');
  return parsed.character;
}

function book(name: string, entries: number): Lorebook {
  const parsed = parseCardObject({ name, entries: Array.from({ length: entries }, (_, i) => ({ keys: [`k${i}`], content: `entry ${i}` })) });
  if (parsed.kind !== 'lorebook') throw new Error('expected a lorebook');
  return parsed.lorebook;
}

const avatar = (seed: number) => {
  const bytes = createMinimalPng();
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = seed;
  return { uri: 'ccdefault:', name: 'avatar.png', mime: 'image/png', bytes: out };
};

async function counts() {
  return { characters: await t.db.characters.count(), lorebooks: await t.db.lorebooks.count(), assets: await t.db.assets.count(), thumbs: await t.db.thumbs.count() };
}

describe('importAll: every item or none', () => {
  it('adds new characters with their avatars and books in one go, in order', async () => {
    const ids = await t.library.importAll([
      { kind: 'lorebook', lorebook: book('The Coast', 3), replace: null },
      { kind: 'character', character: card('Ada'), assets: [avatar(1)], replace: null },
      { kind: 'character', character: card('Bo'), assets: [], replace: null },
    ]);
    expect(ids).toHaveLength(3);
    expect((await t.db.lorebooks.get(ids[0]!))!).toMatchObject({ name: 'The Coast', entries: 3 });
    expect((await t.library.readCard(ids[1]!))!.data.name).toBe('Ada');
    expect((await t.db.characters.get(ids[1]!))!.avatarAssetId).not.toBeNull();
    expect(await counts()).toEqual({ characters: 2, lorebooks: 1, assets: 1, thumbs: 1 });
    expect(await t.library.linkedLorebookRef(ids[1]!)).toMatchObject({ id: ids[0] });
  });

  it('replaces a character in place: same id, the new card, the new avatar bytes, the old ones gone', async () => {
    const [id] = await t.library.importAll([{ kind: 'character', character: card('Ada'), assets: [avatar(1)], replace: null }]);
    const oldAsset = (await t.db.characters.get(id!))!.avatarAssetId!;
    const [same] = await t.library.importAll([{ kind: 'character', character: card('Ada', 'Now she sails.'), assets: [avatar(2)], replace: id! }]);
    expect(same).toBe(id);
    expect((await t.library.readCard(id!))!.data.description).toBe('Now she sails.');
    const assets = await t.db.assets.where('characterId').equals(id!).toArray();
    expect(assets).toHaveLength(1);
    expect(assets[0]!.id).not.toBe(oldAsset);
    expect(new Uint8Array(await assets[0]!.blob.arrayBuffer()).at(-1)).toBe(2);
    expect((await t.library.query({ search: 'sails', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 10 })).items.map((i) => i.id)).toEqual([id]);
  });

  it('stores nothing when one item fails: a replace target that is gone undoes the new items before it', async () => {
    const [kept] = await t.library.importAll([{ kind: 'character', character: card('Keeper'), assets: [avatar(1)], replace: null }]);
    const before = await counts();
    const run = t.library.importAll([
      { kind: 'lorebook', lorebook: book('The Coast', 2), replace: null },
      { kind: 'character', character: card('New one'), assets: [avatar(3)], replace: null },
      { kind: 'character', character: card('Keeper', 'changed'), assets: [], replace: kept! },
      { kind: 'character', character: card('Ghost'), assets: [], replace: 'no-such-character' },
    ]);
    await expect(run).rejects.toBeInstanceOf(LibraryError);
    expect(await counts()).toEqual(before);
    expect((await t.library.readCard(kept!))!.data.description).toBe('Keeper keeps the lighthouse.');
    expect((await t.db.assets.where('characterId').equals(kept!).toArray())).toHaveLength(1);
  });

  it('stores nothing when the write that goes with it fails', async () => {
    const before = await counts();
    const run = t.library.importAll(
      [{ kind: 'character', character: card('Ada'), assets: [avatar(1)], replace: null }],
      { tables: [t.db.importedPacks], write: async () => { throw new Error('bookkeeping failed'); } },
    );
    await expect(run).rejects.toThrow('bookkeeping failed');
    expect(await counts()).toEqual(before);
    expect(await t.db.importedPacks.count()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { characterAssets, charactersWithAssets, hashInUse, observeAssetChanges, removeCharacterAssets, setCharacterAssets, type AssetEntry } from './asset-manifest.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const avatar: AssetEntry = { uri: 'ccdefault:', hash: 'a'.repeat(64), size: 10, mime: 'image/png', name: 'avatar.png' };
const sprite: AssetEntry = { uri: 'embeded://assets/expression/images/joy.png', hash: 'b'.repeat(64), size: 20, mime: 'image/png', name: 'joy.png', path: 'assets/expression/images/joy.png' };

describe('asset manifest in the index doc', () => {
  it('lists a character\'s assets, writes only differences and reports what it dropped', () => {
    const doc = new Y.Doc();
    expect(setCharacterAssets(doc, A, [avatar, sprite])).toEqual([]);
    expect(characterAssets(doc, A)).toEqual(expect.arrayContaining([avatar, sprite]));
    let updates = 0;
    doc.on('update', () => updates++);
    setCharacterAssets(doc, A, [avatar, sprite]);
    expect(updates).toBe(0);
    const replaced = { ...avatar, hash: 'c'.repeat(64) };
    expect(setCharacterAssets(doc, A, [replaced])).toEqual(expect.arrayContaining([avatar, sprite]));
    expect(characterAssets(doc, A)).toEqual([replaced]);
    setCharacterAssets(doc, B, [avatar]);
    expect(charactersWithAssets(doc)).toEqual(new Set([A, B]));
    expect(hashInUse(doc, avatar.hash)).toBe(true);
    expect(removeCharacterAssets(doc, B)).toEqual([avatar]);
    expect(hashInUse(doc, avatar.hash)).toBe(false);
  });

  it('merges assets added to one character on two devices, and tells a device what the other changed', () => {
    const one = new Y.Doc();
    const two = new Y.Doc();
    const heard: { ids: string[]; removed: { characterId: string; uri: string }[] }[] = [];
    observeAssetChanges(two, (origin) => origin === 'remote', (ids, removed) => heard.push({ ids: [...ids], removed }));
    setCharacterAssets(one, A, [avatar]);
    setCharacterAssets(two, A, [sprite]);
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one), 'remote');
    Y.applyUpdate(one, Y.encodeStateAsUpdate(two), 'remote');
    expect(characterAssets(one, A)).toEqual(expect.arrayContaining([avatar, sprite]));
    expect(characterAssets(two, A)).toHaveLength(2);
    expect(heard).toEqual([{ ids: [A], removed: [] }]);
    const before = Y.encodeStateVector(two);
    removeCharacterAssets(one, A);
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one, before), 'remote');
    expect(heard[1]!.removed).toEqual(expect.arrayContaining([{ characterId: A, uri: avatar.uri }, { characterId: A, uri: sprite.uri }]));
  });

  it('skips entries of a newer format or with a malformed hash', () => {
    const doc = new Y.Doc();
    doc.getMap('assets').set(`${A} ccdefault:`, { ...avatar, format: 2 });
    doc.getMap('assets').set(`${A} other`, { ...avatar, uri: 'other', hash: 'nothex', format: 1 });
    expect(characterAssets(doc, A)).toEqual([]);
  });
});

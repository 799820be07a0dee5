import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ASSET_ENTRY_FORMAT, characterAssets, charactersWithAssets, hashInUse, observeAssetChanges, removeCharacterAssets, setCharacterAssets, type AssetEntry } from './asset-manifest.ts';
import { INDEX_DOC_FORMAT } from './index-doc.ts';

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

  it('skips malformed entries', () => {
    const doc = new Y.Doc();
    doc.getMap('assets').set(`${A} other`, { ...avatar, uri: 'other', hash: 'nothex', format: ASSET_ENTRY_FORMAT });
    doc.getMap('assets').set(`${A} unversioned`, { ...avatar, uri: 'unversioned' });
    doc.getMap('assets').set(`${A} mismatched`, { ...avatar, format: ASSET_ENTRY_FORMAT });
    expect(characterAssets(doc, A)).toEqual([]);
  });
});

describe('asset manifest versions', () => {
  it('skips an entry of a newer format but keeps counting its blob as in use', () => {
    const doc = new Y.Doc();
    setCharacterAssets(doc, A, [sprite]);
    doc.getMap('assets').set(`${A} ccdefault:`, { ...avatar, format: ASSET_ENTRY_FORMAT + 1 });
    doc.getMap('assets').set(`${B} ccdefault:`, { format: ASSET_ENTRY_FORMAT + 1, blob: 'a layout we cannot guess' });
    expect(characterAssets(doc, A)).toEqual([sprite]);
    expect(hashInUse(doc, avatar.hash)).toBe(true);
    // An entry naming no hash we can read might use any blob.
    expect(hashInUse(doc, 'd'.repeat(64))).toBe(true);
  });

  it('replaces a newer entry only under the same URI when publishing its own list', () => {
    const doc = new Y.Doc();
    const newer = { ...sprite, format: ASSET_ENTRY_FORMAT + 1 };
    doc.getMap('assets').set(`${A} ${sprite.uri}`, newer);
    expect(setCharacterAssets(doc, A, [avatar])).toEqual([]);
    expect(doc.getMap('assets').get(`${A} ${sprite.uri}`)).toEqual(newer);
    expect(characterAssets(doc, A)).toEqual([avatar]);
  });

  it('reads an index from before asset sync as listing no assets', () => {
    const doc = new Y.Doc();
    expect(characterAssets(doc, A)).toEqual([]);
    expect(charactersWithAssets(doc).size).toBe(0);
  });

  it('refuses the manifest of an index in a newer format', () => {
    const doc = new Y.Doc();
    setCharacterAssets(doc, A, [avatar]);
    doc.getMap('meta').set('format', INDEX_DOC_FORMAT + 1);
    const tooNew = expect.objectContaining({ code: 'doc/too-new' }) as Error;
    expect(() => characterAssets(doc, A)).toThrowError(tooNew);
    expect(() => hashInUse(doc, avatar.hash)).toThrowError(tooNew);
    expect(() => setCharacterAssets(doc, A, [])).toThrowError(tooNew);
    expect(() => charactersWithAssets(doc)).toThrowError(tooNew);
  });
});

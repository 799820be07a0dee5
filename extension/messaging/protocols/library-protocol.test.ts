import { describe, expect, it } from 'vitest';
import { LIBRARY_VALIDATORS, characterPatch, SHARE_HASH_KEY, sharedFromHash } from './library-protocol.ts';
import { MAX_IMPORT_BATCH_ITEMS, MAX_PAGE_SIZE } from '../limits/library.ts';

const validQuery = { search: 'sera', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 50 };

describe('library messages', () => {
  it('accepts a well-formed query and refuses pages that are too big or badly typed', () => {
    expect(LIBRARY_VALIDATORS['library.query'](validQuery)).toEqual(validQuery);
    expect(() => LIBRARY_VALIDATORS['library.query']({ ...validQuery, limit: MAX_PAGE_SIZE + 1 })).toThrow(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    expect(() => LIBRARY_VALIDATORS['library.query']({ ...validQuery, sort: 'random' })).toThrow('sort must be one of name, updated, created');
    expect(() => LIBRARY_VALIDATORS['library.query']({ ...validQuery, offset: 1.5 })).toThrow('offset must be a whole number');
  });

  it('checks import items: format version, batch size, base64, known source formats', () => {
    const item = { kind: 'character', label: 'a.png', character: { spec: 'chara_card_v3' }, assets: [{ uri: 'ccdefault:', name: 'a.png', mime: 'image/png', base64: 'iVBORw0KGgo=' }], sourceFormat: 'v3-png', warnings: [] };
    expect(LIBRARY_VALIDATORS['library.import']({ format: 1, items: [item] }).items).toHaveLength(1);
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 2, items: [] })).toThrow('format must be 1');
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 1, items: Array(MAX_IMPORT_BATCH_ITEMS + 1).fill(item) })).toThrow(`items has more than ${MAX_IMPORT_BATCH_ITEMS} items`);
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 1, items: [{ ...item, assets: [{ ...item.assets[0], base64: 'not base64!' }] }] })).toThrow('asset.base64 must be base64');
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 1, items: [{ ...item, sourceFormat: 'v9-png' }] })).toThrow('sourceFormat must be one of');
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 1, items: [{ ...item, kind: 'preset' }] })).toThrow('kind must be one of character, lorebook');
    // Over the worker channel the bytes are a Blob; an asset must carry bytes one way or the other.
    const blob = new Blob([new Uint8Array([1, 2, 3])]);
    expect(LIBRARY_VALIDATORS['library.import']({ format: 1, items: [{ ...item, assets: [{ uri: 'ccdefault:', name: 'a', mime: 'image/png', blob }] }] }).items[0]).toMatchObject({ assets: [{ blob }] });
    expect(() => LIBRARY_VALIDATORS['library.import']({ format: 1, items: [{ ...item, assets: [{ uri: 'ccdefault:', name: 'a', mime: 'image/png', blob: {} }] }] })).toThrow('asset must carry its bytes');
  });

  it('lets the editor change only known fields, each of its type', () => {
    expect(characterPatch({ name: '  Mira ', tags: ['a'], creator_notes_multilingual: { en: 'x', 'pt-BR': 'y' }, world: 'Eldoria' }))
      .toEqual({ name: 'Mira', tags: ['a'], creator_notes_multilingual: { en: 'x', 'pt-BR': 'y' }, world: 'Eldoria' });
    expect(() => characterPatch({ name: ' ' })).toThrow('Name must not be empty');
    expect(() => characterPatch({ extensions: {} })).toThrow('extensions is not a field the editor changes');
    expect(() => characterPatch({ alternate_greetings: 'hi' })).toThrow('alternate_greetings must be a list');
    expect(() => characterPatch({ alternate_greetings: ['ok', 3] })).toThrow('alternate_greetings[1] must be text');
    expect(() => characterPatch(JSON.parse('{"creator_notes_multilingual":{"__proto__":"x"}}'))).toThrow('"__proto__" is not a language code');
  });

  it('keeps asset names to safe file names and asset types to known ones', () => {
    const ok = { characterId: 'c', type: 'emotion', name: 'happy_1', base64: 'AA==' };
    expect(LIBRARY_VALIDATORS['library.asset.add'](ok)).toEqual(ok);
    expect(() => LIBRARY_VALIDATORS['library.asset.add']({ ...ok, name: '../../evil' })).toThrow('Asset name may use');
    expect(() => LIBRARY_VALIDATORS['library.asset.add']({ ...ok, type: 'script' })).toThrow('Asset type must be one of');
  });

  it('reads export and lore requests by kind', () => {
    expect(LIBRARY_VALIDATORS['library.export']({ kind: 'lorebook', id: 'b', format: 'worldinfo' })).toEqual({ kind: 'lorebook', id: 'b', format: 'worldinfo' });
    expect(() => LIBRARY_VALIDATORS['library.export']({ kind: 'lorebook', id: 'b', format: 'png' })).toThrow('format must be one of worldinfo, lorebook_v3');
    expect(LIBRARY_VALIDATORS['library.lore.upsertEntry']({ target: { kind: 'character', id: 'c' }, key: null, entry: { keys: ['k'] } }))
      .toEqual({ target: { kind: 'character', id: 'c' }, key: null, entry: { keys: ['k'] } });
    expect(() => LIBRARY_VALIDATORS['library.lore.updateBook']({ target: { kind: 'lorebook', id: 'b' }, fields: { name: 'B', description: '', scan_depth: -1, token_budget: null, recursive_scanning: false } }))
      .toThrow('Scan depth must be a whole number from 0 to 1000');
  });
});

describe('opening the library to share a character', () => {
  it('takes an optional character id, and reads it back from the options page\'s #share= fragment', () => {
    expect(LIBRARY_VALIDATORS['library.openManager']({})).toEqual({});
    expect(LIBRARY_VALIDATORS['library.openManager']({ share: 'c-1' })).toEqual({ share: 'c-1' });
    expect(() => LIBRARY_VALIDATORS['library.openManager']({ share: '' })).toThrow(/id/);
    expect(sharedFromHash(`#${SHARE_HASH_KEY}=c%201`)).toBe('c 1');
    expect(sharedFromHash('#other=1')).toBeNull();
    expect(sharedFromHash('')).toBeNull();
  });
});

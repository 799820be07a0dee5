// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMinimalPng, parseCardObject } from '@troupe/shared/cards';
import type { LibraryQuery } from '../../messaging/library-wire.ts';
import { FIXTURES, fakeImages, parseFixture, testLibrary, type TestLibrary } from './test-support.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => { await t.close(); });

const query = (patch: Partial<LibraryQuery> = {}): LibraryQuery => ({ search: '', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 2, ...patch });
const card = (name: string) => {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name } });
  if (parsed.kind !== 'character') throw new Error(name);
  return { label: name, parsed };
};

describe('listing before the search index is loaded', () => {
  it('pages past characters waiting out a delete, and counts only the others', async () => {
    const results = await t.library.importParsed(['Ann', 'Bo', 'Cy', 'Di'].map(card));
    await t.library.remove('character', results[0]!.ok ? results[0]!.id : '');
    await t.library.remove('character', results[2]!.ok ? results[2]!.id : '');
    // A fresh Library on the same database has no search index yet: it reads through the rows' indexes.
    const { Library } = await import('./library.ts');
    const fresh = new Library(t.db, { images: null, maintain: false });
    try {
      expect(await fresh.query(query())).toMatchObject({ total: 2, offset: 0, items: [{ name: 'Bo' }, { name: 'Di' }] });
      expect(await fresh.query(query({ direction: 'desc', limit: 1 }))).toMatchObject({ total: 2, items: [{ name: 'Di' }] });
      expect(await fresh.query(query({ offset: 1 }))).toMatchObject({ total: 2, offset: 1, items: [{ name: 'Di' }] });
    } finally {
      fresh.dispose();
    }
  });
});

describe('thumbnails in answers', () => {
  it('are not looked for when a character has no avatar', async () => {
    await t.library.importParsed(['Ann', 'Bo'].map(card));
    const reads = vi.spyOn(t.db.thumbs, 'bulkGet');
    expect((await t.library.query(query({ search: 'n' }))).items.map((item) => item.avatar)).toEqual([null]);
    expect((await t.library.query(query())).items.map((item) => item.avatar)).toEqual([null, null]);
    expect(reads).not.toHaveBeenCalled();
  });

  it('follow a thumbnail that is made, remade or removed after an answer showed it', async () => {
    const [result] = await t.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
    if (!result?.ok) throw new Error('import');
    const avatar = async (search = 'seraph') => (await t.library.query(query({ search }))).items[0]?.avatar;
    expect(await avatar()).toBeNull(); // pending
    await t.library.fillThumbnails();
    const made = await avatar();
    expect(made).toMatch(/^data:image\/webp;base64,/);
    expect(await avatar('sera')).toBe(made);
    const png = createMinimalPng();
    await t.library.addAsset(result.id, { type: 'icon', name: 'main', bytes: png });
    const remade = await avatar();
    expect(remade).not.toBe(made);
    expect(remade).toBe(await fakeImages.thumbnail(new Blob([png as Uint8Array<ArrayBuffer>]), 'image/png', png));
    const detail = await t.library.character(result.id);
    await t.library.removeAsset(result.id, detail.assets.find((asset) => asset.isAvatar)!.id);
    expect(await avatar()).toBeNull();
  });
});

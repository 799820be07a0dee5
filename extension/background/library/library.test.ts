// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseCardFile, type Character } from '@troupe/shared/cards';
import { base64ToBytes, bytesToBase64 } from '@troupe/shared/bytes';
import { updatesTable } from './doc-store.ts';
import type { ImportResult, LibraryQuery, WireImportItem } from '../../messaging/library-wire.ts';
import { FIXTURES, fixtureBytes, parseFixture, testLibrary, type TestLibrary } from './test-support.ts';
import { UNDO_WINDOW_MS } from '../../messaging/limits/library.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => { await t.close(); });

const query = (patch: Partial<LibraryQuery> = {}): LibraryQuery => ({ search: '', tag: null, sort: 'name', direction: 'asc', offset: 0, limit: 50, ...patch });

type Stored = ImportResult & { ok: true };

async function importFixtures(): Promise<{ seraphina: Stored; kitchen: Stored; charx: Stored; eldoria: Stored }> {
  const results = await t.library.importParsed([
    { label: FIXTURES.seraphina, parsed: parseFixture(FIXTURES.seraphina) },
    { label: FIXTURES.kitchenSink, parsed: parseFixture(FIXTURES.kitchenSink) },
    { label: FIXTURES.charx, parsed: parseFixture(FIXTURES.charx) },
    { label: 'Eldoria.json', parsed: parseFixture(FIXTURES.eldoria, 'Eldoria.json') },
  ]);
  for (const result of results) expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
  const [seraphina, kitchen, charx, eldoria] = results as Stored[];
  return { seraphina: seraphina!, kitchen: kitchen!, charx: charx!, eldoria: eldoria! };
}

describe('import', () => {
  it('stores each card as index row + doc + blobs + thumbnail, and World Info as a lorebook', async () => {
    const { seraphina, charx, eldoria } = await importFixtures();
    expect(seraphina).toMatchObject({ kind: 'character', name: 'Seraphina', warnings: [] });
    expect(eldoria).toMatchObject({ kind: 'lorebook', name: 'Eldoria' });

    const row = (await t.db.characters.get(seraphina.id))!;
    expect(row).toMatchObject({ name: 'Seraphina', sortName: 'seraphina', creator: 'OtisAlejandro', world: 'Eldoria', bookEntries: 4 });
    const assets = await t.db.assets.where('characterId').equals(seraphina.id).toArray();
    expect(assets).toHaveLength(1);
    expect(assets[0]).toMatchObject({ id: row.avatarAssetId, uri: 'ccdefault:', mime: 'image/png' });
    // The thumbnail is pending in the same transaction, and made once imports are quiet.
    expect(await t.db.thumbs.get(seraphina.id)).toEqual({ id: seraphina.id, dataUrl: '', version: 0 });
    expect((await t.library.query(query({ search: 'seraphina' }))).items[0]!.avatar).toBeNull();
    expect(await t.library.fillThumbnails()).toBe(2);
    expect((await t.db.thumbs.get(seraphina.id))!.dataUrl).toBe(`data:image/webp;base64,${btoa(`image/png:${assets[0]!.size}`)}`);
    expect((await t.library.query(query({ search: 'seraphina' }))).items[0]!.avatar).toMatch(/^data:image\/webp;base64,/);
    expect(await updatesTable(t.db, 'character').where('k').equals(seraphina.id).count()).toBe(1);

    // The CHARX keeps all three assets; its avatar is the `icon` named main.
    const charxAssets = await t.db.assets.where('characterId').equals(charx.id).toArray();
    expect(charxAssets.map((a) => a.uri).sort()).toEqual(['embeded://assets/background/images/gullpoint.png', 'embeded://assets/emotion/images/happy.png', 'embeded://assets/icon/images/main.png']);
    const charxAvatar = (await t.db.characters.get(charx.id))!.avatarAssetId;
    expect(charxAssets.find((a) => a.id === charxAvatar)!.uri).toBe('embeded://assets/icon/images/main.png');

    // The stored card reads back as the file had it.
    expect(await t.library.readCard(seraphina.id)).toEqual((parseFixture(FIXTURES.seraphina) as { character: Character }).character);
    expect((await t.db.lorebooks.get(eldoria.id))!).toMatchObject({ name: 'Eldoria', entries: 4 });
  });

  it('resolves a character\'s linked World Info to the lorebook of that name', async () => {
    const { seraphina, eldoria, kitchen } = await importFixtures();
    const linked = await t.library.linkedLorebookRef(seraphina.id);
    expect(linked?.id).toBe(eldoria.id);
    expect((await t.library.readLorebook(linked!.id))?.entries).toHaveLength(4);
    expect((await t.library.character(seraphina.id)).linkedWorld).toEqual({ name: 'Eldoria', lorebookId: eldoria.id });
    expect(await t.library.linkedLorebookRef(kitchen.id)).toBeNull();
  });

  it('gives each bad item its own error and stores the rest (wire items are parsed again)', async () => {
    const good = parseFixture(FIXTURES.kitchenSink);
    if (good.kind !== 'character') throw new Error('fixture');
    const items: WireImportItem[] = [
      { kind: 'character', label: 'not-a-card.json', character: { hello: 'world' } as unknown as Character, assets: [], sourceFormat: 'v3-json', warnings: [] },
      { kind: 'character', label: 'ok.json', character: good.character, assets: [], sourceFormat: 'v3-json', warnings: [] },
      { kind: 'character', label: 'bad-asset.json', character: good.character, assets: [{ uri: 'ccdefault:', name: 'a.png', mime: 'image/png', base64: '%%%' }], sourceFormat: 'v3-json', warnings: [] },
    ];
    const results = await t.library.importWire(items);
    expect(results[0]).toMatchObject({ label: 'not-a-card.json', ok: false, code: 'card/unknown-format' });
    expect(results[1]).toMatchObject({ label: 'ok.json', ok: true, name: 'Marin Test-Keeper' });
    expect(results[2]).toMatchObject({ label: 'bad-asset.json', ok: false });
    expect(await t.db.characters.count()).toBe(1);
  });

  it('leaves nothing behind when a card\'s transaction fails half way', async () => {
    vi.spyOn(t.db.thumbs, 'bulkPut').mockRejectedValueOnce(new Error('disk full'));
    const [result] = await t.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
    expect(result).toMatchObject({ ok: false, message: 'disk full' });
    expect(await t.db.characters.count()).toBe(0);
    expect(await t.db.assets.count()).toBe(0);
    expect(await updatesTable(t.db, 'character').count()).toBe(0);
    // The next card goes in.
    const [next] = await t.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
    expect(next).toMatchObject({ ok: true });
  });

  it('stores the rest of a batch whose shared transaction failed because of one card', async () => {
    const bulkAdd = t.db.assets.bulkAdd.bind(t.db.assets);
    vi.spyOn(t.db.assets, 'bulkAdd').mockImplementation(((rows: { uri: string }[]) => {
      if (rows.some((row) => row.uri.includes('gullpoint'))) return Promise.reject(new Error('this asset cannot be stored'));
      return bulkAdd(rows as never);
    }) as never);
    const results = await t.library.importParsed([
      { label: 'a.png', parsed: parseFixture(FIXTURES.seraphina) },
      { label: 'm.charx', parsed: parseFixture(FIXTURES.charx) },
      { label: 'Eldoria.json', parsed: parseFixture(FIXTURES.eldoria, 'Eldoria.json') },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ label: 'm.charx', message: 'this asset cannot be stored' });
    expect((await t.db.characters.toArray()).map((r) => r.name)).toEqual(['Seraphina']);
    expect(await t.db.lorebooks.count()).toBe(1);
    expect(await t.db.assets.count()).toBe(1);
    expect(await updatesTable(t.db, 'character').count()).toBe(1);
  });

  it('round-trips assets through the wire format', async () => {
    const parsed = parseFixture(FIXTURES.charx);
    if (parsed.kind !== 'character') throw new Error('fixture');
    const [result] = await t.library.importWire([{
      kind: 'character', label: 'm.charx', character: parsed.character, sourceFormat: parsed.sourceFormat, warnings: [],
      assets: parsed.assets.map((a) => ({ uri: a.uri, name: a.name, path: a.path!, mime: a.mime, base64: bytesToBase64(a.bytes) })),
    }]);
    if (!result?.ok) throw new Error(JSON.stringify(result));
    const stored = await t.db.assets.where('characterId').equals(result.id).toArray();
    const icon = stored.find((a) => a.uri.endsWith('main.png'))!;
    expect(new Uint8Array(await icon.blob.arrayBuffer())).toEqual(parsed.assets.find((a) => a.uri.endsWith('main.png'))!.bytes);

    // The worker channel carries Blobs instead.
    const [viaBlob] = await t.library.importWire([{
      kind: 'character', label: 'm.charx', character: parsed.character, sourceFormat: parsed.sourceFormat, warnings: [],
      assets: parsed.assets.map((a) => ({ uri: a.uri, name: a.name, mime: a.mime, blob: new Blob([a.bytes as Uint8Array<ArrayBuffer>]) })),
    }]);
    if (!viaBlob?.ok) throw new Error(JSON.stringify(viaBlob));
    const blobs = await t.db.assets.where('characterId').equals(viaBlob.id).toArray();
    expect(blobs.map((a) => [a.mime, a.blob.type])).toEqual([['image/png', 'image/png'], ['image/png', 'image/png'], ['image/png', 'image/png']]);
    expect((await t.db.characters.get(viaBlob.id))!.avatarAssetId).not.toBeNull();
  });

  it('creates the panel\'s quick character with its avatar as a Blob and a thumbnail', async () => {
    const png = fixtureBytes(FIXTURES.ccv3Png);
    const summary = await t.library.createCharacter({ name: 'Quick', description: 'Made in the panel.', avatar: `data:image/png;base64,${bytesToBase64(png)}` });
    expect(summary).toMatchObject({ name: 'Quick', description: 'Made in the panel.' });
    expect(summary.avatar).toBe(`data:image/webp;base64,${btoa(`image/png:${png.length}`)}`);
    expect(await t.db.assets.count()).toBe(1);
  });
});

describe('thumbnails', () => {
  it('settles an avatar that does not decode without a thumbnail, and never retries it', async () => {
    const broken = testLibrary({ thumbnail: async () => null, toPng: async () => null });
    try {
      const [result] = await broken.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
      if (!result?.ok) throw new Error('import');
      expect(await broken.library.fillThumbnails()).toBe(1);
      expect(await broken.db.thumbs.get(result.id)).toMatchObject({ dataUrl: '', version: 1 });
      expect(await broken.library.fillThumbnails()).toBe(0);
    } finally {
      await broken.close();
    }
  });

  it('makes none without image tools (they stay pending for a context that has them)', async () => {
    const bare = testLibrary(null);
    try {
      await bare.library.importParsed([{ label: 's.png', parsed: parseFixture(FIXTURES.seraphina) }]);
      expect(await bare.library.fillThumbnails()).toBe(0);
      expect(await bare.db.thumbs.where('version').below(1).count()).toBe(1);
    } finally {
      await bare.close();
    }
  });
});

describe('listing and search', () => {
  async function seed() {
    const card = (name: string, tags: string[], creator: string, description: string) =>
      parseCardFile(new TextEncoder().encode(JSON.stringify({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, tags, creator, description } })));
    const made = [
      ['Séraphina', ['fantasy', 'healer'], 'Otis', 'Guardian of a forest glade.'],
      ['Bo', ['sea'], 'ann', 'A retired sailor.'],
      ['Marin', ['sea', 'Fantasy'], 'peers', 'Keeps a lighthouse.'],
      ['alder', [], 'otis', 'A quiet woodcutter.'],
    ] as const;
    for (const [i, [name, tags, creator, description]] of made.entries()) {
      t.clock.now = 1000 + i;
      await t.library.importParsed([{ label: name, parsed: card(name, [...tags], creator, description) }]);
    }
  }
  const names = async (q: Partial<LibraryQuery>) => (await t.library.query(query(q))).items.map((i) => i.name);

  it('pages through an index without a search, by name, update and creation time, both ways', async () => {
    await seed();
    expect(await names({})).toEqual(['alder', 'Bo', 'Marin', 'Séraphina']);
    expect(await names({ direction: 'desc' })).toEqual(['Séraphina', 'Marin', 'Bo', 'alder']);
    expect(await names({ sort: 'created', direction: 'desc' })).toEqual(['alder', 'Marin', 'Bo', 'Séraphina']);
    expect(await t.library.query(query({ offset: 1, limit: 2 }))).toMatchObject({ total: 4, offset: 1, items: [{ name: 'Bo' }, { name: 'Marin' }] });
  });

  it('finds every word in name, tags, creator or description, ignoring case and accents', async () => {
    await seed();
    expect(await names({ search: 'seraph' })).toEqual(['Séraphina']);
    expect(await names({ search: 'OTIS' })).toEqual(['alder', 'Séraphina']);
    expect(await names({ search: 'sea' })).toEqual(['Bo', 'Marin']);
    expect(await names({ search: 'lighthouse sea' })).toEqual(['Marin']);
    expect(await names({ search: 'glade' })).toEqual(['Séraphina']);
    expect(await names({ search: 'zzz' })).toEqual([]);
    // Typing on narrows, deleting widens again.
    expect(await names({ search: 'o' })).toEqual(['alder', 'Bo', 'Marin', 'Séraphina']);
    expect(await names({ search: 'ot' })).toEqual(['alder', 'Séraphina']);
    expect(await names({ search: 'o' })).toEqual(['alder', 'Bo', 'Marin', 'Séraphina']);
  });

  it('filters by tag (any spelling) and counts tags', async () => {
    await seed();
    expect(await names({ tag: 'fantasy' })).toEqual(['Marin', 'Séraphina']);
    expect(await names({ tag: 'fantasy', search: 'light' })).toEqual(['Marin']);
    expect(await t.library.tags()).toEqual([{ tag: 'fantasy', count: 2 }, { tag: 'sea', count: 2 }, { tag: 'healer', count: 1 }]);
  });

  it('sees writes made while the search index was loading', async () => {
    await seed();
    const loading = t.library.query(query({ search: 'a' }));
    await t.library.importParsed([{ label: 'late', parsed: parseFixture(FIXTURES.kitchenSink) }]);
    await loading;
    expect(await names({ search: 'marin' })).toEqual(['Marin', 'Marin Test-Keeper']);
  });
});

describe('editing', () => {
  it('changes every kind of field; the index row and search follow', async () => {
    const { kitchen } = await importFixtures();
    t.clock.now += 60_000;
    const detail = await t.library.updateCharacter(kitchen.id, {
      name: 'Marin the Keeper',
      alternate_greetings: ['second', 'first'],
      tags: ['lighthouse', ' Lighthouse ', 'coast'],
      creator_notes_multilingual: { en: 'Notes', de: 'Notizen' },
      world: 'Eldoria',
    });
    expect(detail.character.data).toMatchObject({
      name: 'Marin the Keeper',
      alternate_greetings: ['second', 'first'],
      tags: ['lighthouse', 'coast'],
      creator_notes_multilingual: { en: 'Notes', de: 'Notizen' },
      modification_date: Math.floor(t.clock.now / 1000),
      // Untouched fields stay.
      personality: 'patient, dry humour, precise',
    });
    expect(detail.character.data.extensions).toMatchObject({ world: 'Eldoria', 'peers/test': { preserved: true } });
    expect(detail.item).toMatchObject({ name: 'Marin the Keeper', tags: ['lighthouse', 'coast'], world: 'Eldoria', updatedAt: t.clock.now });
    expect(detail.linkedWorld?.lorebookId).not.toBeNull();
    expect((await t.library.query(query({ search: 'keeper coast' }))).items.map((i) => i.id)).toEqual([kitchen.id]);
  });

  it("sets a character's voice in its card's extensions (beside the others) and removes it again", async () => {
    const { kitchen } = await importFixtures();
    const voice = { provider: 'openai-compatible' as const, voice: 'af_bella', speed: 1.25, model: 'tts-1', reading: { dialogueOnly: true, narrator: false, skipCode: true, skipActions: true } };
    let detail = await t.library.updateCharacter(kitchen.id, { voice, world: 'Eldoria' });
    expect(detail.character.data.extensions).toMatchObject({ world: 'Eldoria', 'peers/test': { preserved: true }, troupe: { voice: { format: 1, ...voice } } });
    detail = await t.library.updateCharacter(kitchen.id, { voice: null });
    expect(detail.character.data.extensions).toMatchObject({ world: 'Eldoria', 'peers/test': { preserved: true } });
    expect(detail.character.data.extensions['troupe']).toBeUndefined();
  });

  it('adds an image asset that becomes the avatar, and removes it again', async () => {
    const { kitchen } = await importFixtures();
    const png = fixtureBytes(FIXTURES.ccv3Png);
    let detail = await t.library.addAsset(kitchen.id, { type: 'icon', name: 'main', bytes: png });
    const added = detail.assets.find((a) => a.uri === 'embeded://assets/icon/images/main.png')!;
    expect(added).toMatchObject({ isAvatar: true, type: 'icon', mime: 'image/png' });
    expect(detail.item.avatar).toBe(`data:image/webp;base64,${btoa(`image/png:${png.length}`)}`);
    expect(detail.character.data.assets?.filter((a) => a.type === 'icon')).toEqual([{ type: 'icon', uri: 'embeded://assets/icon/images/main.png', name: 'main', ext: 'png' }]);
    expect((await t.library.assetDataUrl(added.id)).dataUrl).toBe(`data:image/png;base64,${bytesToBase64(png)}`);

    detail = await t.library.removeAsset(kitchen.id, added.id);
    expect(detail.assets).toEqual([]);
    expect(detail.item.avatar).toBeNull();
    expect(detail.character.data.assets?.some((a) => a.type === 'icon')).toBe(false);
    await expect(t.library.addAsset(kitchen.id, { type: 'icon', name: 'x', bytes: new TextEncoder().encode('<svg/>') })).rejects.toMatchObject({ code: 'asset/not-image' });
  });

  it('edits embedded and standalone lorebook entries by stable key', async () => {
    const { seraphina, eldoria } = await importFixtures();
    const target = { kind: 'character', id: seraphina.id } as const;
    const view = await t.library.lore(target, 0, 50);
    expect(view).toMatchObject({ exists: true, total: 4 });
    const first = view.entries[0]!;
    await t.library.upsertLoreEntry(target, first.key, { ...first.entry, content: 'Changed.', extensions: { ...first.entry.extensions, depth: 7, probability: 50, selectiveLogic: 3 } });
    const { key: added } = await t.library.upsertLoreEntry(target, null, { keys: ['new key'], content: 'New entry.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false });
    const after = await t.library.lore(target, 0, 50);
    expect(after.total).toBe(5);
    expect(after.entries[0]).toMatchObject({ key: first.key, entry: { content: 'Changed.', extensions: { depth: 7, probability: 50, selectiveLogic: 3 } } });
    expect(after.entries[4]).toMatchObject({ key: added, entry: { keys: ['new key'], id: 4 } });
    await t.library.removeLoreEntry(target, first.key);
    expect((await t.library.lore(target, 0, 50)).entries.map((e) => e.key)).not.toContain(first.key);
    expect((await t.db.characters.get(seraphina.id))!.bookEntries).toBe(4);
    await expect(t.library.removeLoreEntry(target, first.key)).rejects.toMatchObject({ code: 'lore/entry-not-found' });

    const book = { kind: 'lorebook', id: eldoria.id } as const;
    await t.library.updateLoreBook(book, { name: 'Eldoria Woods', description: 'The forest.', scan_depth: 3, token_budget: null, recursive_scanning: true });
    expect((await t.library.lore(book, 0, 1)).fields).toMatchObject({ name: 'Eldoria Woods', scan_depth: 3, recursive_scanning: true });
    expect((await t.library.lorebooks('woods')).map((b) => b.name)).toEqual(['Eldoria Woods']);
  });

  it('gives a character without a lorebook one on its first entry', async () => {
    const [created] = await t.library.importParsed([{ label: 'x', parsed: parseCardFile(new TextEncoder().encode('{"name":"Plain","description":"d"}')) }]);
    if (!created?.ok) throw new Error('import');
    const target = { kind: 'character', id: created.id } as const;
    expect((await t.library.lore(target, 0, 10)).exists).toBe(false);
    await t.library.upsertLoreEntry(target, null, { keys: ['k'], content: 'c', extensions: {}, enabled: true, insertion_order: 1, use_regex: false });
    expect((await t.library.readCard(created.id))!.data.character_book?.entries).toMatchObject([{ keys: ['k'], content: 'c', id: 0 }]);
  });
});

describe('export', () => {
  it('writes PNG, JSON, CHARX and World Info that read back as the stored card', async () => {
    const { seraphina, charx, eldoria } = await importFixtures();
    const stored = (await t.library.readCard(seraphina.id))!;
    for (const format of ['png', 'json', 'charx'] as const) {
      const file = await t.library.exportCharacter(seraphina.id, format);
      const back = parseCardFile(base64ToBytes(file.base64), file.fileName);
      expect(back.kind, format).toBe('character');
      // A PNG card's own image goes into a CHARX as assets/icon/images/main.png, listed in the card.
      const { assets: _assets, ...data } = back.kind === 'character' ? back.character.data : { assets: undefined };
      const { assets: _stored, ...storedData } = stored.data;
      expect(data, format).toEqual(storedData);
    }
    const png = await t.library.exportCharacter(seraphina.id, 'png');
    expect(png).toMatchObject({ fileName: 'Seraphina.png', mime: 'image/png' });

    const charxFile = parseCardFile(base64ToBytes((await t.library.exportCharacter(charx.id, 'charx')).base64));
    expect(charxFile.kind === 'character' && charxFile.assets.map((a) => a.uri).sort()).toEqual(
      ['embeded://assets/background/images/gullpoint.png', 'embeded://assets/emotion/images/happy.png', 'embeded://assets/icon/images/main.png'],
    );

    const book = parseCardFile(base64ToBytes((await t.library.exportCharacter(seraphina.id, 'worldinfo')).base64), 'b.json');
    expect(book.kind === 'lorebook' && book.lorebook.entries.map((e) => e.content)).toEqual(stored.data.character_book!.entries.map((e) => e.content));

    for (const format of ['worldinfo', 'lorebook_v3'] as const) {
      const file = await t.library.exportLorebook(eldoria.id, format);
      const back = parseCardFile(base64ToBytes(file.base64), file.fileName);
      expect(back.kind === 'lorebook' && back.lorebook.entries.length, format).toBe(4);
    }
    const { kitchen } = { kitchen: (await t.library.importParsed([{ label: 'p', parsed: parseCardFile(new TextEncoder().encode('{"name":"NoBook"}')) }]))[0]! };
    if (!kitchen.ok) throw new Error('import');
    await expect(t.library.exportCharacter(kitchen.id, 'worldinfo')).rejects.toMatchObject({ code: 'export/no-book' });
  });
});

describe('delete with undo', () => {
  it('hides at once, undoes within the window, and then deletes for good in one recorded operation', async () => {
    const { seraphina, eldoria } = await importFixtures();
    const { undoUntil } = await t.library.remove('character', seraphina.id);
    expect(undoUntil).toBe(t.clock.now + UNDO_WINDOW_MS);
    expect((await t.library.query(query())).items.map((i) => i.name)).not.toContain('Seraphina');
    expect((await t.library.query(query({ search: 'seraphina' }))).total).toBe(0);
    expect(await t.library.summary(seraphina.id)).toBeNull();

    await t.library.undoRemove('character', seraphina.id);
    expect((await t.library.query(query({ search: 'seraphina' }))).total).toBe(1);

    await t.library.remove('character', seraphina.id);
    await t.library.remove('lorebook', eldoria.id);
    expect(await t.library.purgeExpired()).toBe(0); // still inside the window
    t.clock.now += UNDO_WINDOW_MS;
    expect(await t.library.purgeExpired()).toBe(2);
    expect(await t.db.characters.get(seraphina.id)).toBeUndefined();
    expect(await t.db.assets.where('characterId').equals(seraphina.id).count()).toBe(0);
    expect(await t.db.thumbs.get(seraphina.id)).toBeUndefined();
    expect(await updatesTable(t.db, 'character').where('k').equals(seraphina.id).count()).toBe(0);
    expect(await updatesTable(t.db, 'lorebook').where('k').equals(eldoria.id).count()).toBe(0);
    expect(await t.db.tombstones.toArray()).toEqual([
      { id: seraphina.id, kind: 'character', deletedAt: t.clock.now },
      { id: eldoria.id, kind: 'lorebook', deletedAt: t.clock.now },
    ].sort((a, b) => (a.id < b.id ? -1 : 1)));
    await expect(t.library.undoRemove('character', seraphina.id)).rejects.toMatchObject({ code: 'undo/expired' });
  });
});

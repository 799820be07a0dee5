// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMinimalPng, parseCardObject } from '@troupe/shared/cards';
import { parsePackLink } from '@troupe/shared/packs';
import type { PacksErrorCode } from '../../messaging/pack-errors.ts';
import { PacksError } from './errors.ts';
import { NEVER } from './update-check.ts';
import { RELAY_HTTP, testDevice, testRelay, type TestDevice, type TestRelay } from './test-support.ts';

const devices: TestDevice[] = [];
afterEach(async () => {
  for (const device of devices.splice(0)) await device.close();
});

function device(relay: TestRelay, relayUrl?: string, relaySet?: boolean): TestDevice {
  const made = testDevice(relay, relayUrl, relaySet);
  devices.push(made);
  return made;
}

/** A PNG whose last byte is `seed`, so two avatars differ. */
function png(seed: number): Uint8Array {
  const base = createMinimalPng();
  const out = new Uint8Array(base.length + 1);
  out.set(base);
  out[base.length] = seed;
  return out;
}

/** Three characters with avatars on A, the first linked to a World Info book with three entries. */
async function castOn(a: TestDevice): Promise<string[]> {
  const cards = ['Ada', 'Bo', 'Cy'].map((name, i) => {
    const parsed = parseCardObject({
      spec: 'chara_card_v3', spec_version: '3.0',
      data: { name, description: `${name} keeps the lighthouse.`, first_mes: `Hello from ${name}.`, extensions: { ...(i === 0 ? { world: 'The Coast' } : {}), troupe: { voice: { provider: 'openai', voice: `v${i}` } } }, character_book: { entries: [{ keys: ['lamp'], content: 'The lamp burns.' }] } },
    });
    if (parsed.kind !== 'character') throw new Error('expected a character');
    return { label: name, parsed: { ...parsed, assets: [{ uri: 'ccdefault:', name: 'avatar.png', mime: 'image/png', bytes: png(i + 1) }] } };
  });
  const book = parseCardObject({ name: 'The Coast', entries: [1, 2, 3].map((i) => ({ keys: [`k${i}`], content: `coast ${i}` })) });
  const results = await a.library.importParsed([...cards, { label: 'The Coast.json', parsed: book }]);
  return results.filter((r) => r.ok && r.kind === 'character').map((r) => (r as { id: string }).id);
}

async function codeOf(run: Promise<unknown>): Promise<PacksErrorCode | undefined> {
  try {
    await run;
  } catch (error) {
    if (error instanceof PacksError) return error.code;
    throw error;
  }
  return undefined;
}

const none = { characters: [], lorebooks: [] };

describe('sharing and importing a pack', () => {
  it('shares three characters with avatars and a lorebook; another device previews and imports them whole', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const ids = await castOn(a);
    const shared = await a.packs.share(ids, '7d');
    expect(shared.link.length).toBeLessThanOrEqual(120);
    expect(shared.link.startsWith(`${RELAY_HTTP}/p/`)).toBe(true);
    expect(shared).toMatchObject({ characterNames: ['Ada', 'Bo', 'Cy'], version: 1, expiresAt: relay.clock.now + 7 * 24 * 3_600_000, expiry: '7d' });
    // The secret stays on A: not in the link, not in what the page gets.
    const row = (await a.db.sharedPacks.get(shared.id))!;
    expect(shared.link).not.toContain(row.secret);
    expect(JSON.stringify(shared)).not.toContain(row.secret);

    const preview = await b.packs.preview(shared.link);
    expect(preview.characters.map((c) => [c.name, c.status, c.lorebookEntries])).toEqual([['Ada', 'new', 1], ['Bo', 'new', 1], ['Cy', 'new', 1]]);
    expect(preview.characters[0]!.avatar).toMatch(/^data:image\/png;base64,/);
    expect(preview.lorebooks).toEqual([expect.objectContaining({ name: 'The Coast', entries: 3, status: 'new' })]);
    expect(preview.ownPack).toBe(false);
    expect(await b.db.characters.count()).toBe(0);

    const outcome = await b.packs.importLink(shared.link, preview.version, none);
    expect(outcome).toMatchObject({ added: 4, updated: 0, unchanged: 0 });
    for (const [i, id] of outcome.characterIds.entries()) {
      const card = (await b.library.readCard(id))!;
      expect(card).toEqual(await a.library.readCard(ids[i]!));
      const [asset] = await b.library.assetsOf(id);
      expect(new Uint8Array(await asset!.blob.arrayBuffer())).toEqual(png(i + 1));
    }
    expect((await b.library.readCard(outcome.characterIds[0]!))!.data.extensions['troupe']).toEqual({ voice: { provider: 'openai', voice: 'v0' } });
    expect(await b.library.linkedLorebookRef(outcome.characterIds[0]!)).not.toBeNull();
    expect(await b.packs.importedPacks()).toEqual([expect.objectContaining({ id: shared.id, state: 'current', versionSeen: 1, characterNames: ['Ada', 'Bo', 'Cy'] })]);

    // Opened again: everything is recognised, nothing to add.
    const again = await b.packs.preview(shared.link);
    expect([...again.characters, ...again.lorebooks].map((item) => item.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    // The publisher opening its own link is told so, and its characters are recognised.
    const own = await a.packs.preview(shared.link);
    expect(own.ownPack).toBe(true);
    expect(own.characters.map((c) => c.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('recognises a character of the same name and replaces it only when asked', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    const mine = await b.library.createCharacter({ name: 'Bo', description: 'My own Bo.', avatar: null });
    const preview = await b.packs.preview(shared.link);
    expect(preview.characters[1]).toMatchObject({ status: 'same-name', libraryId: mine.id });
    expect(preview.characters[1]!.changes).toEqual(expect.arrayContaining(['description', 'avatar']));
    const outcome = await b.packs.importLink(shared.link, preview.version, { characters: [1], lorebooks: [] });
    expect(outcome).toMatchObject({ added: 3, updated: 1 });
    expect(outcome.characterIds[1]).toBe(mine.id);
    expect((await b.library.readCard(mine.id))!.data.description).toBe('Bo keeps the lighthouse.');
    expect(await b.db.characters.count()).toBe(3);
  });

  it('publishes an edit behind the same link; the importer sees Update available and applies it in place', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const ids = await castOn(a);
    const shared = await a.packs.share(ids, 'never');
    const imported = await b.packs.importLink(shared.link, 1, none);
    expect((await b.packs.check(true))[0]).toMatchObject({ state: 'current' });

    await a.library.updateCharacter(ids[1]!, { description: 'Bo now sails at night.' });
    const updated = await a.packs.updateShared(shared.id);
    expect(updated).toMatchObject({ version: 2, link: shared.link });

    relay.clock.now += 1_000;
    const [seen] = await b.packs.check(true);
    expect(seen).toMatchObject({ state: 'update-available', latestVersion: 2, changed: 1, versionSeen: 1 });
    const preview = await b.packs.preview(shared.link);
    expect(preview.characters.map((c) => c.status)).toEqual(['unchanged', 'update', 'unchanged']);
    expect(preview.characters[1]!.changes).toEqual(['description']);

    const applied = await b.packs.applyUpdate(shared.id);
    expect(applied).toMatchObject({ updated: 1, added: 0, unchanged: 3 });
    expect(applied.characterIds).toEqual(imported.characterIds);
    expect((await b.library.readCard(imported.characterIds[1]!))!.data.description).toBe('Bo now sails at night.');
    expect((await b.packs.importedPacks())[0]).toMatchObject({ state: 'current', versionSeen: 2 });
  });

  it('a new version that changes nothing (an expiry change) is taken quietly, not shown as an update', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    await b.packs.importLink(shared.link, 1, none);
    expect(await a.packs.setExpiry(shared.id, '30d')).toMatchObject({ version: 2, expiry: '30d', expiresAt: relay.clock.now + 30 * 24 * 3_600_000 });
    expect((await b.packs.check(true))[0]).toMatchObject({ state: 'current', versionSeen: 2 });
    expect(await a.packs.setExpiry(shared.id, 'never')).toMatchObject({ expiresAt: null, expiry: 'never' });
  });

  it('stop sharing revokes the link: the importer is told so once and never asks again', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    await b.packs.importLink(shared.link, 1, none);
    await a.packs.stopSharing(shared.id);
    expect(await a.packs.sharedPacks()).toEqual([]);
    expect(await codeOf(b.packs.preview(shared.link))).toBe('pack/revoked');
    const [seen] = await b.packs.check(true);
    expect(seen).toMatchObject({ state: 'revoked' });
    expect((await b.db.importedPacks.get(shared.id))!.nextCheckAt).toBe(NEVER);
    const asked = relay.requests.length;
    await b.packs.check(true);
    expect(relay.requests.length).toBe(asked);
  });

  it('an expired pack says so', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), '1d');
    relay.clock.now += 2 * 24 * 3_600_000;
    expect(await codeOf(b.packs.preview(shared.link))).toBe('pack/expired');
  });
});

describe('bad input: each failure in words, nothing stored', () => {
  it('names a wrong key, a tampered pack, a cut link, a missing key, an unknown pack and an unreachable relay', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    const { id, key } = parsePackLink(shared.link);
    const otherKey = `${key[0] === 'A' ? 'B' : 'A'}${key.slice(1)}`;
    expect(await codeOf(b.packs.preview(`${RELAY_HTTP}/p/${id}#${otherKey}`))).toBe('pack/cannot-decrypt');
    expect(await codeOf(b.packs.preview(shared.link.slice(0, -10)))).toBe('link/bad-key');
    expect(await codeOf(b.packs.preview(`${RELAY_HTTP}/p/${id}`))).toBe('link/no-key');
    expect(await codeOf(b.packs.preview(`${RELAY_HTTP}/p/${id.slice(0, 10)}`))).toBe('link/bad-id');
    expect(await codeOf(b.packs.preview('hello there'))).toBe('link/not-a-pack-link');
    expect(await codeOf(b.packs.preview(`${RELAY_HTTP}/p/${'A'.repeat(22)}#${key}`))).toBe('pack/not-found');

    relay.alter = (bytes) => { const copy = bytes.slice(); copy[copy.length - 5]! ^= 1; return copy; };
    expect(await codeOf(b.packs.preview(shared.link))).toBe('pack/cannot-decrypt');
    relay.alter = (bytes) => bytes.slice(0, bytes.length - 100);
    expect(await codeOf(b.packs.preview(shared.link))).toBe('pack/truncated');
    relay.alter = null;

    relay.down = true;
    const error = await b.packs.preview(shared.link).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'packs/relay-unreachable', message: expect.stringContaining('could not reach the relay') });
    expect(await codeOf(a.packs.updateShared(shared.id))).toBe('packs/relay-unreachable');
    relay.down = false;
    expect(await b.db.characters.count()).toBe(0);
    expect(await b.db.importedPacks.count()).toBe(0);
  });

  it('refuses an upload over the relay limit, and a relay address a link cannot carry', async () => {
    const small = testRelay({ maxPackBytes: 200 });
    const a = device(small);
    expect(await codeOf(a.packs.share(await castOn(a), 'never'))).toBe('pack/too-large');
    const far = device(testRelay(), `wss://${'relay'.repeat(12)}.example`);
    expect(await codeOf(far.packs.share(await castOn(far), 'never'))).toBe('link/bad-relay-url');
    expect(await a.db.sharedPacks.count()).toBe(0);
  });

  it('says no relay is set when none was and the default one does not answer', async () => {
    const relay = testRelay();
    const unset = device(relay, 'ws://127.0.0.1:8787', false);
    relay.down = true;
    expect(await codeOf(unset.packs.share(await castOn(unset), 'never'))).toBe('packs/no-relay');
    const set = device(relay);
    expect(await codeOf(set.packs.share(await castOn(set), 'never'))).toBe('packs/relay-unreachable');
  });

  it('an import that fails at its last write leaves nothing behind, not even the characters written before it', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    const mine = await b.library.createCharacter({ name: 'Cy', description: 'Mine.', avatar: null });
    const preview = await b.packs.preview(shared.link);
    const before = { characters: await b.db.characters.count(), assets: await b.db.assets.count(), lorebooks: await b.db.lorebooks.count() };
    // The disk fills up as the pack's record is written, after every card of the pack.
    vi.spyOn(b.db.importedPacks, 'put').mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
    const error = await b.packs.importLink(shared.link, preview.version, { characters: [2], lorebooks: [] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'packs/import-failed', message: expect.stringContaining('quota') });
    expect((await b.library.readCard(mine.id))!.data.description).toBe('Mine.');
    expect({ characters: await b.db.characters.count(), assets: await b.db.assets.count(), lorebooks: await b.db.lorebooks.count() }).toEqual(before);
    expect(await b.db.importedPacks.count()).toBe(0);
  });

  it('refuses an import of a version newer than the one previewed', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    await a.packs.updateShared(shared.id);
    expect(await codeOf(b.packs.importLink(shared.link, 1, none))).toBe('packs/changed-since-preview');
    expect(await b.db.characters.count()).toBe(0);
  });

  it('an unreachable relay is asked again later, each time after a longer wait', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    await b.packs.importLink(shared.link, 1, none);
    relay.down = true;
    const [first] = await b.packs.check(true);
    expect(first).toMatchObject({ state: 'unreachable', note: expect.stringContaining('could not reach the relay') });
    const waitOne = (await b.db.importedPacks.get(shared.id))!.nextCheckAt - relay.clock.now;
    await b.packs.check(true);
    const waitTwo = (await b.db.importedPacks.get(shared.id))!.nextCheckAt - relay.clock.now;
    expect(waitTwo).toBe(2 * waitOne);
    // Not due yet: a page opening does not ask.
    const asked = relay.requests.length;
    await b.packs.check(false);
    expect(relay.requests.length).toBe(asked);
    relay.down = false;
    expect((await b.packs.check(true))[0]).toMatchObject({ state: 'current', note: null });
  });

  it('opens the import page only for a link of the sync relay, from that relay\'s page', async () => {
    const relay = testRelay();
    const a = device(relay);
    const b = device(relay);
    const shared = await a.packs.share(await castOn(a), 'never');
    await b.packs.openFromPage(RELAY_HTTP, shared.link);
    expect(b.opened).toEqual([shared.link]);
    expect(await codeOf(b.packs.openFromPage('http://evil.example', shared.link))).toBe('packs/not-relay-page');
    expect(await codeOf(b.packs.openFromPage(RELAY_HTTP, shared.link.replace(RELAY_HTTP, 'http://127.0.0.1:9999')))).toBe('packs/not-relay-page');
    expect(b.opened).toHaveLength(1);
  });
});

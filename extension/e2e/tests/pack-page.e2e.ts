/**
 * A pack link opened WITHOUT Troupe, proven with the real SillyTavern: a pack of characters (avatars,
 * books, every card field) is sealed in Node and published to a real relay on 127.0.0.1; a Chromium
 * with no extension opens the link, sees the characters, downloads a PNG card, and SillyTavern 1.19
 * imports that file with every field intact. Also: a wrong key and a revoked pack each show their
 * own message. Nothing here uses the extension build.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, rm } from 'node:fs/promises';
import { rgbPng } from '../harness/rgb-png.ts';
import type { Page } from 'playwright-core';
import { parseCardFile, parseCardObject, type Character } from '@troupe/shared/cards';
import { createPackKey, createPublisherSecret, PACK_HEADERS, packLink, publisherHash, readPackReceipt, sealPack, type Pack, type PackCharacter } from '@troupe/shared/packs';
import { startTestServer } from '../../../sync-server/src/testing/test-server.ts';
import { launchChromium, type Launched } from '../harness/browser.ts';
import { INSTALL_AND_START_TIMEOUT_MS, startSillyTavern, type SillyTavernServer } from '../harness/sillytavern.ts';
import { createSillyTavernClient, withCookieJar } from '../../background/sillytavern/index.ts';

type Relay = Awaited<ReturnType<typeof startTestServer>>;

let relay: Relay;
let st: SillyTavernServer;
let browser: Launched;

beforeAll(async () => {
  // Started together; each is kept as soon as it is up, so afterAll closes it even if another fails.
  const started = await Promise.allSettled([
    startTestServer().then((server) => (relay = server)),
    startSillyTavern().then((server) => (st = server)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
  for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
}, INSTALL_AND_START_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await st?.close();
  await relay?.close();
  if (relay) await rm(relay.dataDir, { recursive: true, force: true });
});

/** A real RGB PNG (a gradient), which SillyTavern decodes and re-encodes like any portrait. */
function portraitPng(width: number, height: number, shade: number): Uint8Array {
  return rgbPng(width, height, (x, y) => [x * 4, y * 4, shade]);
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.readUInt32BE(16), height: view.readUInt32BE(20) };
}

/** A card with every field SillyTavern users rely on, and a book whose entries use SillyTavern's own settings. */
function fullCard(name: string, notes: string): Character {
  const parsed = parseCardObject({
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      name,
      description: `${name} keeps the lighthouse on the northern cape. 海の灯台 🎭 «quoted» {{char}}`,
      personality: 'calm, wry, <b>not html</b>',
      scenario: "A storm night at {{user}}'s lighthouse.",
      first_mes: '*The lamp turns.* "Come in out of the rain, {{user}}."',
      mes_example: '<START>\n{{user}}: Hello?\n{{char}}: The sea says hello back.\n<START>\n{{user}}: And now?\n{{char}}: Tides.',
      creator_notes: notes,
      system_prompt: '{{original}}\nStay in character as {{char}}.',
      post_history_instructions: '{{original}} Keep replies under 80 words.',
      alternate_greetings: ['Another wave, another guest.', '🌊'],
      tags: ['troupe', 'lighthouse', 'Ünïcödé'],
      creator: 'Troupe e2e',
      character_version: '2.5-beta',
      extensions: { talkativeness: '0.7', depth_prompt: { prompt: 'Remember the storm.', depth: 3, role: 'system' } },
      character_book: {
        name: `${name}'s lore`,
        scan_depth: 3,
        token_budget: 700,
        recursive_scanning: true,
        extensions: {},
        entries: [
          {
            keys: ['lamp', 'beacon'],
            secondary_keys: ['night'],
            content: 'The lamp has burned for 90 years.',
            extensions: { position: 0, depth: 4, probability: 80, useProbability: true, selectiveLogic: 3, group: 'light' },
            enabled: true,
            insertion_order: 10,
            use_regex: false,
            case_sensitive: true,
            constant: false,
            name: 'lamp',
            priority: 5,
            id: 1,
            comment: 'selective, AND ALL',
            selective: true,
            position: 'before_char',
          },
          { keys: ['/\\bkeeper(s)?\\b/i'], content: 'The last keeper left a logbook.', extensions: { position: 4, depth: 2, role: 1 }, enabled: false, insertion_order: 20, use_regex: true, id: 2, position: 'after_char' },
          { keys: [], content: 'Always mention the sea.', extensions: {}, enabled: true, insertion_order: 30, use_regex: false, constant: true, id: 3 },
        ],
      },
    },
  });
  if (parsed.kind !== 'character') throw new Error('expected a character');
  return parsed.character;
}

const HOSTILE_NOTES = '<img src=x onerror="globalThis.pwned=1"><script>globalThis.pwned=2</script> Notes with markup.';
const CHARACTERS: PackCharacter[] = [
  { card: fullCard('Aria Lighthouse', HOSTILE_NOTES), assets: [{ uri: 'ccdefault:', name: 'aria.png', mime: 'image/png', bytes: portraitPng(96, 128, 40) }] },
  { card: fullCard('Bram Tidewater', 'A fisherman.'), assets: [{ uri: 'ccdefault:', name: 'bram.png', mime: 'image/png', bytes: portraitPng(64, 64, 200) }] },
];

async function publish(pack: Pack): Promise<{ link: string; id: string; key: string; secret: string }> {
  const { ciphertext, key } = await sealPack(pack);
  const secret = createPublisherSecret();
  const res = await fetch(`${relay.url}/packs`, { method: 'POST', body: ciphertext as Uint8Array<ArrayBuffer>, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(secret) } });
  const receipt = readPackReceipt(await res.json());
  if (res.status !== 201 || !receipt) throw new Error(`publishing failed: ${res.status}`);
  return { link: packLink(relay.url, receipt.id, key), id: receipt.id, key, secret };
}

/** Opens `url` in a fresh tab and waits until the page shows a pack or a problem. */
async function openLink(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  await page.locator('#pack-page[data-state="pack"], #pack-page[data-state="problem"]').waitFor();
  return { page, errors };
}

const heading = (page: Page) => page.locator('#pack-page h1').first().textContent();

describe('a pack link opened in a browser without Troupe', () => {
  it('lists the characters; the downloaded PNG imports into SillyTavern with every field and the avatar', async () => {
    const shared = await publish({ format: 1, createdAt: Date.now(), characters: CHARACTERS, lorebooks: [], personas: [] });
    expect(shared.link.length).toBeLessThanOrEqual(120);
    const { page, errors } = await openLink(shared.link);

    expect(await heading(page)).toBe('A character pack: 2 characters');
    const items = page.getByRole('list', { name: 'Characters' }).getByRole('listitem');
    expect(await items.locator('h2').allTextContents()).toEqual(['Aria Lighthouse', 'Bram Tidewater']);
    const aria = items.filter({ hasText: 'Aria Lighthouse' });
    expect(await aria.locator('.meta').textContent()).toBe('3 lorebook entries');
    // Card text is shown as text; the markup in it never became elements and never ran.
    expect(await aria.locator('.blurb').textContent()).toBe(HOSTILE_NOTES);
    expect(await page.evaluate(() => ({ pwned: (globalThis as { pwned?: number }).pwned, injected: document.querySelectorAll('#pack-page script, #pack-page img[onerror]').length }))).toEqual({ pwned: undefined, injected: 0 });
    // The avatar is shown from a blob: URL the page made.
    const avatar = aria.locator('img.avatar');
    expect(await avatar.getAttribute('src')).toMatch(/^blob:/);
    expect(await avatar.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBe(96);

    const [download] = await Promise.all([page.waitForEvent('download'), aria.getByRole('button', { name: 'Download PNG (V3)' }).click()]);
    expect(download.suggestedFilename()).toBe('Aria Lighthouse.png');
    const png = new Uint8Array(await readFile(await download.path()));
    expect(pngSize(png)).toEqual({ width: 96, height: 128 });

    const client = createSillyTavernClient({ baseUrl: st.url, fetch: withCookieJar(fetch) });
    const { avatar: stAvatar } = await client.importCharacter(png, download.suggestedFilename());
    const detail = await client.getCharacterJson(stAvatar);
    if (detail.card === null) throw new Error('SillyTavern sent no card');
    const stored = parseCardObject(detail.card);
    if (stored.kind !== 'character') throw new Error('SillyTavern stored no character');
    const sent = CHARACTERS[0]!.card.data;
    const got = stored.character.data;
    for (const field of ['name', 'description', 'personality', 'scenario', 'first_mes', 'mes_example', 'creator_notes', 'system_prompt', 'post_history_instructions', 'creator', 'character_version'] as const) {
      expect(got[field], field).toBe(sent[field]);
    }
    for (const field of ['alternate_greetings', 'tags'] as const) expect(got[field], field).toStrictEqual(sent[field]);
    // SillyTavern clears the favourite flag on import; every other extension is kept.
    expect(got.extensions).toStrictEqual({ ...sent.extensions, fav: false });
    expect(got.character_book).toStrictEqual(sent.character_book);
    // SillyTavern keeps the picture (it re-encodes it at the same size).
    expect(pngSize(await client.getCharacterCard(stAvatar))).toEqual({ width: 96, height: 128 });

    // The CHARX carries the same card and the avatar.
    const [charx] = await Promise.all([page.waitForEvent('download'), aria.getByRole('button', { name: 'Download CHARX' }).click()]);
    expect(charx.suggestedFilename()).toBe('Aria Lighthouse.charx');
    const fromCharx = parseCardFile(new Uint8Array(await readFile(await charx.path())), 'Aria Lighthouse.charx');
    expect(fromCharx.kind === 'character' && fromCharx.character.data.character_book).toStrictEqual(sent.character_book);
    expect(fromCharx.kind === 'character' && fromCharx.assets.map((asset) => asset.path)).toEqual(['assets/icon/images/main.png']);

    // Nothing failed on the page: no script error, no policy violation.
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when the key is wrong or missing, and when the pack was revoked', async () => {
    const shared = await publish({ format: 1, createdAt: Date.now(), characters: [CHARACTERS[1]!], lorebooks: [], personas: [] });
    const base = `${relay.url}/p/${shared.id}`;

    const wrong = await openLink(`${base}#${createPackKey()}`);
    expect(await heading(wrong.page)).toBe("The link's key does not open this pack");
    expect(await wrong.page.getByRole('alert').textContent()).toContain('pack/cannot-decrypt');
    await wrong.page.close();

    const missing = await openLink(base);
    expect(await heading(missing.page)).toBe('This link is missing its key');
    await missing.page.close();

    const revoke = await fetch(`${relay.url}/packs/${shared.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${shared.secret}` } });
    expect(revoke.status).toBe(204);
    const revoked = await openLink(shared.link);
    expect(await heading(revoked.page)).toBe('This pack is no longer shared');
    expect(await revoked.page.getByRole('alert').textContent()).toContain('The person who shared it has stopped sharing it');
    await revoked.page.close();
  });
});

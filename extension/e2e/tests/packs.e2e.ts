/**
 * Character packs end to end: a real relay on 127.0.0.1 and two unpaired Chromium profiles with the
 * built extension. A imports three cards with avatars (one with its World Info book) and shares them
 * as a link from the library; B opens the link on the relay's page, lands on Troupe's import page and
 * adds them; A edits one and presses Update, and B sees Update available and applies it; A stops
 * sharing, and B's link says the pack was revoked.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createMinimalPng, exportCharacterPng, parseCardObject } from '@troupe/shared/cards';
import { spawnRelay, type RelayProcess } from '../../../sync-server/src/testing/relay-process.ts';
import { launchChromium, type Launched } from '../harness/index.ts';
import { callFromPage as call, EXTENSION_DIR } from './troupe-page.ts';

const FIXTURES = new URL('../../../../shared/fixtures/cards/', import.meta.url);

let dataDir: string;
let relay: RelayProcess;
const browsers: Launched[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'troupe-packs-relay-'));
  const [started, a, b] = await Promise.all([spawnRelay({ TROUPE_DATA_DIR: dataDir }), launchChromium({ extensionDir: EXTENSION_DIR }), launchChromium({ extensionDir: EXTENSION_DIR })]);
  relay = started;
  browsers.push(a, b);
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await relay?.kill('SIGTERM');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Seen { id: string; name: string }
const characters = (page: Page) => call<Seen[]>(page, 'characters.list', {}).then((list) => list.sort((x, y) => x.name.localeCompare(y.name)));

/** Everything a card holds, and its avatar's bytes (as a data URL), as a device stores them. */
async function stored(page: Page, id: string): Promise<{ data: Record<string, unknown>; avatar: string | null }> {
  const detail = await call<{ character: { data: Record<string, unknown> }; assets: { id: string; isAvatar: boolean }[] }>(page, 'library.character.get', { id });
  const avatar = detail.assets.find((a) => a.isAvatar);
  return { data: detail.character.data, avatar: avatar ? (await call<{ dataUrl: string }>(page, 'library.asset.get', { id: avatar.id })).dataUrl : null };
}

/** A PNG card made here (its own image bytes: a minimal PNG with the card in it). */
function pngCard(name: string): Buffer {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, description: `${name} rows the ferry.`, first_mes: `Ahoy, I am ${name}.`, tags: ['ferry'] } });
  if (parsed.kind !== 'character') throw new Error('expected a character');
  return Buffer.from(exportCharacterPng(parsed.character, { image: createMinimalPng() }));
}

async function optionsPage(browser: Launched): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return page;
}

async function setRelay(page: Page): Promise<void> {
  const field = page.getByLabel('Relay address');
  await field.fill(`ws://127.0.0.1:${relay.port}`);
  await page.getByRole('button', { name: 'Save relay' }).click();
  await expect.poll(() => page.getByText('Relay address saved.').count()).toBe(1);
}

describe('character packs shared by link', () => {
  it('A shares three characters; B imports them whole, gets A\'s update, and is told when A stops sharing', async () => {
    const [a, b] = browsers as [Launched, Launched];
    const [pageA, pageB] = await Promise.all([optionsPage(a), optionsPage(b)]);
    await Promise.all([setRelay(pageA), setRelay(pageB)]);

    // A: three cards with avatars, one linking the World Info book that comes with it.
    await pageA.getByLabel('Import cards (PNG, JSON, CHARX, World Info)').setInputFiles([
      { name: 'Seraphina.png', mimeType: 'image/png', buffer: await readFile(new URL('st-default_Seraphina.png', FIXTURES)) },
      { name: 'Eldoria.json', mimeType: 'application/json', buffer: await readFile(new URL('st-Eldoria.worldinfo.json', FIXTURES)) },
      { name: 'Nell.png', mimeType: 'image/png', buffer: pngCard('Nell') },
      { name: 'Odo.png', mimeType: 'image/png', buffer: pngCard('Odo') },
    ]);
    await expect.poll(() => pageA.getByRole('status', { name: 'Import status' }).textContent(), { timeout: 15_000 }).toBe('Imported 4 of 4 files.');
    const onA = await characters(pageA);
    expect(onA.map((c) => c.name)).toEqual(['Nell', 'Odo', 'Seraphina']);

    // A: pick them in the library and share as a link.
    for (const { name } of onA) await pageA.getByLabel(`Pick ${name} to share`).check();
    await pageA.getByRole('button', { name: 'Share as link' }).click();
    const shared = pageA.getByRole('status', { name: 'Shared pack' });
    const link = (await shared.getByLabel('Share link text').textContent({ timeout: 15_000 }))!.trim();
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${relay.port}/p/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    expect(link.length).toBeLessThanOrEqual(120);
    expect(await shared.getByRole('img', { name: 'Share link as a QR code' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);

    // B: the relay's page of the link hands it to Troupe, which opens its import page.
    const worker = b.serviceWorker!;
    await expect.poll(() => worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as { chrome: { scripting: { getRegisteredContentScripts(): Promise<{ id: string }[]> } } };
      return (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id);
    })).toContain('troupe-pack-link');
    const relayPage = await b.context.newPage();
    const packDownloads: string[] = [];
    relayPage.on('request', (request) => { if (request.url().includes('/packs/')) packDownloads.push(request.url()); });
    const [importPage] = await Promise.all([b.context.waitForEvent('page', { predicate: (p) => p.url().includes('/pack.html') }), relayPage.goto(link)]);
    // The relay's page leaves the pack to Troupe: it says so and downloads nothing itself.
    await expect.poll(() => relayPage.getByRole('heading', { level: 1 }).textContent()).toBe('Opening in Troupe');
    expect(packDownloads).toEqual([]);
    const cast = importPage.getByRole('list', { name: 'Characters in this pack' });
    await expect.poll(() => cast.getByRole('listitem').count(), { timeout: 15_000 }).toBe(3);
    expect(await importPage.getByRole('list', { name: 'Lorebooks in this pack' }).textContent()).toContain('Eldoria');
    expect(await cast.getByRole('listitem', { name: 'Seraphina' }).getByText(/4 lorebook entries/).count()).toBe(1);
    await importPage.getByRole('button', { name: 'Add to my library' }).click();
    await expect.poll(() => importPage.getByRole('status', { name: 'Pack result' }).textContent(), { timeout: 15_000 }).toBe('Added 4, updated 0.');

    // B has the same cards, field for field, and the same avatar bytes.
    const onB = await characters(pageB);
    expect(onB.map((c) => c.name)).toEqual(['Nell', 'Odo', 'Seraphina']);
    for (const [i, mine] of onA.entries()) expect(await stored(pageB, onB[i]!.id)).toEqual(await stored(pageA, mine.id));

    // A edits Odo and publishes the update.
    await call(pageA, 'library.character.update', { id: onA[1]!.id, patch: { description: 'Odo now keeps the night ferry.' } });
    const sharedList = pageA.getByRole('list', { name: 'My shared packs' });
    await sharedList.getByRole('button', { name: 'Update' }).click();
    await expect.poll(() => pageA.getByRole('status', { name: 'Shared packs status' }).textContent()).toContain('Published the current version');

    // B: opening its options page checks the pack: Update available, then Apply.
    await pageB.reload();
    const imported = pageB.getByRole('list', { name: 'My imported packs' });
    await expect.poll(() => imported.getByLabel('Pack state').textContent(), { timeout: 15_000 }).toBe('Update available (1 change)');
    await imported.getByRole('button', { name: 'Apply update' }).click();
    await expect.poll(() => pageB.getByRole('status', { name: 'Imported packs status' }).textContent()).toBe('Updated 1, added 0.');
    expect((await stored(pageB, onB[1]!.id)).data['description']).toBe('Odo now keeps the night ferry.');
    expect((await characters(pageB)).map((c) => c.id)).toEqual(onB.map((c) => c.id));

    // A stops sharing: B's link now says the pack was revoked.
    await sharedList.getByRole('button', { name: 'Stop sharing' }).click();
    await expect.poll(() => pageA.getByRole('status', { name: 'Shared packs status' }).textContent()).toContain('Stopped sharing');
    await importPage.getByRole('button', { name: 'Open link' }).click();
    await expect.poll(() => importPage.getByRole('alert', { name: 'Pack error' }).textContent(), { timeout: 15_000 }).toContain('This pack was revoked');
  }, 60_000);
});

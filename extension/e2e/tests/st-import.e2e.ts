/**
 * "Import from my SillyTavern" as a user does it: the built extension's options page in Chromium, a real
 * SillyTavern 1.19 on 127.0.0.1 (already a granted host, so no permission prompt), type its address,
 * Connect, pick characters, Import, read the per-item results. The results are what the background's
 * store answered for each item it was handed, so they hold whether or not the library is wired in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { exportCharacterPng, parseCardObject } from '@troupe/shared/cards';
import { launchChromium, type Launched } from '../harness/browser.ts';
import { getFreePort } from '../harness/free-port.ts';
import { closeServer, listen } from '../harness/http-util.ts';
import { INSTALL_AND_START_TIMEOUT_MS, ST_VERSION, startSillyTavern, type SillyTavernServer } from '../harness/sillytavern.ts';
import { createSillyTavernClient, withCookieJar } from '../../background/sillytavern/index.ts';
import { EXTENSION_DIR } from './troupe-page.ts';

let st: SillyTavernServer;
let browser: Launched;
let page: Page;

beforeAll(async () => {
  st = await startSillyTavern();
  browser = await launchChromium({ extensionDir: EXTENSION_DIR });
  page = await browser.context.newPage();
}, INSTALL_AND_START_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await st?.close();
});

const section = () => page.getByRole('region', { name: 'SillyTavern' });

async function openOptions(): Promise<void> {
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await section().waitFor();
}

async function connect(address: string): Promise<void> {
  const input = section().getByLabel('SillyTavern address');
  await input.fill(address);
  await section().getByRole('button', { name: 'Connect' }).click();
}

/** The text of the section's alert once one shows. */
async function alertText(): Promise<string> {
  const alert = section().getByRole('alert');
  await alert.waitFor();
  return (await alert.textContent()) ?? '';
}

/** Adds a card to SillyTavern's library the way a user's import would, linking the World Info `world`. */
async function addCardToSillyTavern(name: string, world: string): Promise<void> {
  const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name, description: 'Lives alone.', tags: ['hermit'], creator: 'e2e', extensions: { world } } });
  if (parsed.kind !== 'character') throw new Error('not a character');
  const client = createSillyTavernClient({ baseUrl: st.url, fetch: withCookieJar(fetch) });
  await client.importCharacter(exportCharacterPng(parsed.character), `${name}.png`);
}

describe('import from a running SillyTavern', () => {
  it('lists Seraphina with her thumbnail, imports her and her linked world Eldoria', async () => {
    await openOptions();
    await connect(st.url);
    await section().getByRole('status').filter({ hasText: 'Connected' }).waitFor();
    expect(await section().getByRole('status').first().textContent()).toBe(`Connected to SillyTavern ${ST_VERSION} at ${st.url}: 1 character.`);

    const row = section().locator('li[data-avatar="default_Seraphina.png"]');
    await row.getByRole('checkbox', { name: 'Seraphina' }).waitFor();
    expect(await row.textContent()).toContain('by OtisAlejandro');
    // Her thumbnail comes from SillyTavern's /thumbnail through the background, as a data URL, once her
    // row is on screen (thumbnails load lazily).
    await row.scrollIntoViewIfNeeded();
    const thumb = row.locator('img.avatar');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/(png|jpeg);base64,/);
    expect(await thumb.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).toBeGreaterThan(0);

    await row.getByRole('checkbox', { name: 'Seraphina' }).check();
    await section().getByText('1 of 1 selected').waitFor();
    await section().getByRole('button', { name: 'Import selected' }).click();

    const results = section().getByRole('list', { name: 'Import results' });
    await section().getByText('Import finished: 2 of 2 imported.').waitFor();
    expect(await results.getByRole('listitem').allTextContents()).toEqual([
      'Eldoria — imported (World Info)',
      'Seraphina — imported · World Info: Eldoria',
    ]);
  });

  it('imports everything with Select all and reports a missing linked world without stopping', async () => {
    await addCardToSillyTavern('Lone Hermit', 'Atlantis');
    await openOptions();
    // The address typed last time is offered again.
    expect(await section().getByLabel('SillyTavern address').inputValue()).toBe(st.url);
    await section().getByRole('button', { name: 'Connect' }).click();
    await section().getByRole('checkbox', { name: 'Lone Hermit' }).waitFor();
    expect(await section().locator('li[data-avatar="Lone Hermit.png"]').textContent()).toContain('hermit');

    await section().getByRole('checkbox', { name: 'Select all' }).check();
    await section().getByText('2 of 2 selected').waitFor();
    await section().getByRole('button', { name: 'Import selected' }).click();
    await section().getByText('Import finished: 3 of 4 imported.').waitFor();

    const lines = await section().getByRole('list', { name: 'Import results' }).getByRole('listitem').allTextContents();
    expect(lines).toEqual([
      'Atlantis — failed (World Info): SillyTavern at ' + st.url + ' has no World Info named "Atlantis". st/not-found',
      'Eldoria — imported (World Info)',
      'Lone Hermit — imported · World Info: Atlantis',
      'Seraphina — imported · World Info: Eldoria',
    ]);
  });

  it('says so when nothing answers at the address', async () => {
    const port = await getFreePort();
    await openOptions();
    await connect(`127.0.0.1:${port}`);
    expect(await alertText()).toMatch(new RegExp(`^Could not reach SillyTavern at http://127\\.0\\.0\\.1:${port}: is it running, and is this its address and port\\?`));
  });

  it('says so when the address is some other web server', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Not SillyTavern</title>');
    });
    const port = await listen(server, 0);
    try {
      await openOptions();
      await connect(`http://127.0.0.1:${port}`);
      expect(await alertText()).toBe(`Something answers at http://127.0.0.1:${port}, but it is not SillyTavern (no session token at /csrf-token). Check the address and port.`);
    } finally {
      await closeServer(server);
    }
  });

  it('refuses an address that is not http(s) before asking anything', async () => {
    await openOptions();
    await connect('ftp://127.0.0.1/');
    expect(await alertText()).toBe('"ftp://127.0.0.1/" is not an http(s) address.');
  });

  it('the background refuses an origin the user has not granted', async () => {
    await openOptions();
    const answer = await page.evaluate(() => {
      const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } };
      return chrome.runtime.sendMessage({ troupe: 1, type: 'sillytavern.connect', payload: { url: 'http://st.example.invalid:8000' } });
    });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'st-import/permission', message: 'Troupe is not allowed to reach http://st.example.invalid:8000. Press Connect again and allow it when the browser asks.' },
    });
  });
});

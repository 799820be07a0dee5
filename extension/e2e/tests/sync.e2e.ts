/**
 * Two-device sync end to end: a real relay (sync-server's own bin) and three Chromium profiles with
 * the built extension. A pairs with B through the options pages; a third profile stays unpaired.
 * Characters are created, edited and deleted on A through the runtime messages the options page
 * uses, and watched on B's options page as a user would see them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatBodyOf, contentText, getFreePort, launchChromium, NC, openChat, readIdbValue, startStage, startTestLlm, typeAndSend, writeIdbValue, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { callFromPage as call, EXTENSION_DIR, isUserTurn, openPanel, openSection, openWithCharacter } from './troupe-page.ts';
import { parsePairLink } from '@troupe/shared/pairing';

const SYNC_SERVER_DIR = resolve(import.meta.dirname, '../../../sync-server');
/** The shared card fixtures (read in place, never copied into the repository). */
const FIXTURES = new URL('../../../../shared/fixtures/cards/', import.meta.url);

interface Relay { url: string; stop(): Promise<void> }

let dataDir: string;
let port: number;
let relay: Relay | null = null;
let llm: TestLlm;
let stage: Stage;
const browsers: Launched[] = [];

/** Starts the relay on `port` with its SQLite store in `dataDir`; resolves once /healthz answers. */
async function startRelay(): Promise<Relay> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts'], {
    cwd: SYNC_SERVER_DIR,
    env: { ...process.env, TROUPE_PORT: String(port), TROUPE_HOST: '127.0.0.1', TROUPE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  // Poll /healthz until it answers (the relay's first start compiles TypeScript through tsx).
  const deadline = Date.now() + 30_000;
  while (!(await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the relay did not start: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `ws://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function optionsPage(): Promise<{ browser: Launched; page: Page }> {
  const browser = await launchChromium({ extensionDir: EXTENSION_DIR });
  browsers.push(browser);
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return { browser, page };
}

const syncStatus = (page: Page) => page.getByRole('status', { name: 'Sync status' }).textContent();
const names = (page: Page) => call<{ name: string }[]>(page, 'characters.list', {}).then((list) => list.map((c) => c.name).sort());

/** Pairs B with A through their options pages, as a user would. */
async function pair(a: Page, b: Page): Promise<void> {
  await setRelay(a, relay!.url);
  await a.getByRole('button', { name: 'Create pairing link' }).click();
  const link = (await a.getByLabel('Pairing link text').textContent())!.trim();
  await b.getByLabel('Pairing link', { exact: true }).fill(link);
  await b.getByRole('button', { name: 'Pair', exact: true }).click();
  await expect.poll(() => syncStatus(a), { timeout: 15_000 }).toContain('Connected');
  await expect.poll(() => syncStatus(b), { timeout: 15_000 }).toContain('Connected');
}

interface AssetInfoSeen { id: string; isAvatar: boolean }

/** The data URL of a character's avatar asset on a device, or null while it has none. */
async function avatarDataUrl(page: Page, id: string): Promise<string | null> {
  const detail = await call<{ assets: AssetInfoSeen[] }>(page, 'library.character.get', { id });
  const avatar = detail.assets.find((asset) => asset.isAvatar);
  return avatar ? (await call<{ dataUrl: string }>(page, 'library.asset.get', { id: avatar.id })).dataUrl : null;
}

async function setRelay(page: Page, url: string): Promise<void> {
  const field = page.getByLabel('Relay address');
  await field.fill(url);
  await page.getByRole('button', { name: 'Save relay' }).click();
  await expect.poll(() => field.inputValue()).toBe(url);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'troupe-relay-'));
  port = await getFreePort();
  relay = await startRelay();
  llm = await startTestLlm();
  stage = await startStage({ llmUrl: llm.url });
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await relay?.stop();
  await stage?.close();
  await llm?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('sync between two devices through the relay', () => {
  it('pairs A and B, carries create, edit and delete, and keeps an unpaired profile out', async () => {
    const a = await optionsPage();
    const b = await optionsPage();
    const stranger = await optionsPage();
    await expect.poll(() => syncStatus(a.page)).toContain('Not paired');

    await setRelay(a.page, relay!.url);
    await a.page.getByRole('button', { name: 'Create pairing link' }).click();
    const link = (await a.page.getByLabel('Pairing link text').textContent())!.trim();
    expect(link).toMatch(/^troupe-pair:v1:/);
    expect(await a.page.getByRole('img', { name: 'Pairing link as a QR code' }).getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => syncStatus(a.page), { timeout: 15_000 }).toContain('Connected');

    await b.page.getByLabel('Pairing link', { exact: true }).fill(link);
    await b.page.getByRole('button', { name: 'Pair', exact: true }).click();
    await expect.poll(() => syncStatus(b.page), { timeout: 15_000 }).toContain('Connected');
    expect(await b.page.getByLabel('Relay address').inputValue()).toBe(relay!.url);
    expect(await b.page.getByLabel('Pairing code').textContent()).toBe(await a.page.getByLabel('Pairing code').textContent());
    // Both keep the secret sealed: storage.local (which content scripts can read) never holds it.
    const secret = parsePairLink(link).secret;
    for (const device of [a, b]) {
      const stored = JSON.stringify(await device.page.evaluate(() => {
        const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<object> } } } };
        return chrome.storage.local.get(null);
      }));
      expect(stored).toContain('sync.pairingSealed');
      expect(stored).not.toContain(secret);
    }

    // The NextChat panel shows the same status line.
    const chat = await a.browser.context.newPage();
    await openChat(chat, stage.url);
    await openPanel(chat);
    await expect.poll(() => chat.getByLabel('Sync status').textContent(), { timeout: 15_000 }).toContain('Connected');
    await chat.close();

    // The stranger uses the same relay with its own pairing.
    await setRelay(stranger.page, relay!.url);
    await stranger.page.getByRole('button', { name: 'Create pairing link' }).click();
    await expect.poll(() => syncStatus(stranger.page), { timeout: 15_000 }).toContain('Connected');

    const made = await call<{ id: string }>(a.page, 'characters.create', { name: 'Ada', description: 'An analytical engine', avatar: null });
    await expect.poll(() => names(b.page), { timeout: 20_000 }).toEqual(['Ada']);
    // B's options page hears about it like any other change.
    await expect.poll(() => b.page.getByRole('list', { name: 'Characters' }).locator('.tl-name').allTextContents(), { timeout: 10_000 }).toEqual(['Ada']);

    await call(a.page, 'library.character.update', { id: made.id, patch: { name: 'Ada Lovelace' } });
    await expect.poll(() => names(b.page), { timeout: 20_000 }).toEqual(['Ada Lovelace']);
    const detail = await call<{ character: { data: { description: string } } }>(b.page, 'library.character.get', { id: made.id });
    expect(detail.character.data.description).toBe('An analytical engine');
    // B has had every change by now; the other pairing has none of them.
    expect(await names(stranger.page)).toEqual([]);

    // Deleted for good once A's undo window has passed; then gone on B, and still gone after B reloads.
    await call(a.page, 'library.delete', { kind: 'character', id: made.id });
    await expect.poll(() => names(b.page), { timeout: 40_000, interval: 250 }).toEqual([]);
    await b.page.reload();
    await expect.poll(() => syncStatus(b.page), { timeout: 15_000 }).toContain('Connected');
    expect(await names(b.page)).toEqual([]);
    expect(await names(a.page)).toEqual([]);
  }, 120_000);

  it('keeps edits made on both devices while the relay is down and merges them when it is back', async () => {
    const a = await optionsPage();
    const b = await optionsPage();
    await setRelay(a.page, relay!.url);
    await a.page.getByRole('button', { name: 'Create pairing link' }).click();
    const link = (await a.page.getByLabel('Pairing link text').textContent())!.trim();
    await b.page.getByLabel('Pairing link', { exact: true }).fill(link);
    await b.page.getByRole('button', { name: 'Pair', exact: true }).click();
    const made = await call<{ id: string }>(a.page, 'characters.create', { name: 'Grace', description: 'Compilers', avatar: null });
    await expect.poll(() => names(b.page), { timeout: 20_000 }).toEqual(['Grace']);
    await expect.poll(() => syncStatus(a.page), { timeout: 15_000 }).toContain('Connected');
    await expect.poll(() => syncStatus(b.page), { timeout: 15_000 }).toContain('Connected');

    await relay!.stop();
    relay = null;
    await expect.poll(() => syncStatus(a.page), { timeout: 15_000 }).toContain('Offline');
    await expect.poll(() => syncStatus(b.page), { timeout: 15_000 }).toContain('Offline');
    await call(a.page, 'library.character.update', { id: made.id, patch: { name: 'Grace Hopper' } });
    await call(b.page, 'library.character.update', { id: made.id, patch: { description: 'COBOL and the first compiler' } });
    await call(b.page, 'characters.create', { name: 'Hedy', description: 'Frequency hopping', avatar: null });

    relay = await startRelay();
    for (const page of [a.page, b.page]) {
      await expect.poll(() => names(page), { timeout: 30_000, interval: 250 }).toEqual(['Grace Hopper', 'Hedy']);
      await expect.poll(async () => (await call<{ character: { data: { description: string } } }>(page, 'library.character.get', { id: made.id })).character.data.description, { timeout: 30_000, interval: 250 })
        .toBe('COBOL and the first compiler');
    }
  }, 120_000);

  it('carries an imported card\'s avatar: B stores the same bytes and shows the image', async () => {
    const a = await optionsPage();
    const b = await optionsPage();
    await pair(a.page, b.page);
    await a.page.getByLabel('Import cards (PNG, JSON, CHARX, World Info)').setInputFiles([
      { name: 'Seraphina.png', mimeType: 'image/png', buffer: Buffer.from(await readFile(new URL('st-default_Seraphina.png', FIXTURES))) },
    ]);
    await expect.poll(() => a.page.getByRole('status', { name: 'Import status' }).textContent(), { timeout: 20_000 }).toBe('Imported 1 of 1 file.');
    const [made] = await call<{ id: string; name: string }[]>(a.page, 'characters.list', {});
    expect(made?.name).toBe('Seraphina');
    const onA = await avatarDataUrl(a.page, made!.id);
    expect(onA).toMatch(/^data:image\/png;base64,/);

    // The avatar follows its character on its own queue; B ends up with the very same bytes...
    await expect.poll(() => names(b.page), { timeout: 20_000 }).toEqual(['Seraphina']);
    await expect.poll(() => avatarDataUrl(b.page, made!.id), { timeout: 30_000, interval: 250 }).toBe(onA);
    // ...and its options page shows the image, decoded (not the initial on a disc).
    const image = b.page.getByRole('list', { name: 'Characters' }).locator('img.avatar');
    await expect.poll(() => image.count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
  }, 120_000);

  it("carries a chat's memory: B, given the same NextChat chat, sees A's pinned fact and the messages kept, and its character speaks with them", async () => {
    const a = await optionsPage();
    const b = await optionsPage();
    await pair(a.page, b.page);

    const onA = await a.browser.context.newPage();
    await openWithCharacter(onA, stage.url, 'Mira', 'A cartographer who remembers everything.');
    await typeAndSend(onA, 'My sister Ilse keeps bees in Harrowgate.');
    await llm.waitForRequest(isUserTurn('My sister Ilse keeps bees in Harrowgate.'));
    await expect.poll(() => onA.locator(NC.status).count()).toBe(0);
    await openSection(onA, 'Memory');
    const panelA = onA.getByRole('complementary', { name: 'Troupe' });
    await panelA.getByLabel('Remember that…').fill('The silver compass is due back by the winter solstice.');
    await panelA.getByRole('button', { name: 'Pin' }).click();
    await expect.poll(() => panelA.getByRole('list', { name: 'Pinned facts' }).textContent()).toContain('The silver compass');

    // B gets the chat the way NextChat's own sync (or an import of its backup) brings it: its store.
    const store = await readIdbValue(onA, 'chat-next-web-store');
    const onB = await b.browser.context.newPage();
    await openChat(onB, stage.url);
    await writeIdbValue(onB, 'chat-next-web-store', store);
    await expect.poll(() => names(b.page), { timeout: 20_000 }).toEqual(['Mira']);
    await onB.reload();
    await openPanel(onB);
    await openSection(onB, 'Memory');
    const panelB = onB.getByRole('complementary', { name: 'Troupe' });
    // The memory arrives through the relay; the chat takes its character from it.
    await expect.poll(() => panelB.getByRole('list', { name: 'Pinned facts' }).textContent(), { timeout: 30_000, interval: 250 }).toContain('The silver compass is due back by the winter solstice.');
    await expect.poll(() => panelB.getByRole('button', { name: 'Deactivate Mira' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => panelB.getByText(/^Troupe keeps \d+ messages of this chat/).textContent()).toMatch(/^Troupe keeps 2 messages/);

    await typeAndSend(onB, 'What is due by the solstice?');
    const body = chatBodyOf(await llm.waitForRequest(isUserTurn('What is due by the solstice?')))!;
    const sent = body.messages.map((m) => contentText(m.content));
    expect(sent).toContain('[What Mira knows from this chat]\n- The silver compass is due back by the winter solstice.');
    expect(sent).toContain('My sister Ilse keeps bees in Harrowgate.');
  }, 120_000);
});

/**
 * The card library end to end, as a user: the built extension's options page in Debian's Chromium
 * with real IndexedDB, the fixture cards through the file picker and by drag and drop, then the
 * imported character in the panel of the NextChat stage page, speaking in a chat.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { createMinimalPng, parseCardFile } from '@troupe/shared/cards';
import { NC, chatBodyOf, typeAndSend, waitForSettledChat, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { stopExtensionWorker } from '../harness/service-worker.ts';
import { activate, chooseOption, openPanel, openSection } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

const FIXTURES = new URL('../../../../shared/fixtures/cards/', import.meta.url);
const fixture = async (file: string) => Buffer.from(await readFile(new URL(file, FIXTURES)));

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts), async (parts) => { await parts.page.goto(`chrome-extension://${parts.browser.extensionId}/options.html`); });

/** The four fixtures (World Info named as SillyTavern names it, by its book) and a PNG that holds no card. */
async function fixtureFiles() {
  return [
    { name: 'Seraphina.png', mimeType: 'image/png', buffer: await fixture('st-default_Seraphina.png') },
    { name: 'kitchen-sink.json', mimeType: 'application/json', buffer: await fixture('synthetic-v3-kitchen-sink.json') },
    { name: 'Marin.charx', mimeType: 'application/zip', buffer: await fixture('synthetic-v3.charx') },
    { name: 'Eldoria.json', mimeType: 'application/json', buffer: await fixture('st-Eldoria.worldinfo.json') },
    { name: 'not-a-card.png', mimeType: 'image/png', buffer: Buffer.from(createMinimalPng()) },
  ];
}

const importInput = (p: Page) => p.getByLabel('Import cards (PNG, JSON, CHARX, World Info)');
const results = (p: Page) => p.getByRole('list', { name: 'Import results' }).getByRole('listitem');
const cardNames = (p: Page) => p.getByRole('list', { name: 'Characters' }).locator('.tl-name').allTextContents();

async function importFixtures(p: Page): Promise<void> {
  await importInput(p).setInputFiles(await fixtureFiles());
  await expect.poll(() => p.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 4 of 5 files.');
}

async function download(p: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [file] = await Promise.all([p.waitForEvent('download') as Promise<Download>, click()]);
  return { name: file.suggestedFilename(), bytes: new Uint8Array(await readFile((await file.path())!)) };
}

describe('the library manager (options page)', () => {
  it('imports every fixture with a result per file, then searches, filters, sorts and switches views', async () => {
    await importInput(page).setInputFiles(await fixtureFiles());
    await expect.poll(() => page.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 4 of 5 files.');
    expect(await page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('value')).toBe('5');
    const lines = await results(page).allTextContents();
    expect(lines[0]).toContain('Seraphina.png: character “Seraphina” imported');
    expect(lines[1]).toContain('kitchen-sink.json: character “Marin Test-Keeper” imported');
    expect(lines[2]).toContain('Marin.charx: character “Marin Test-Keeper” imported');
    expect(lines[3]).toContain('Eldoria.json: lorebook “Eldoria” imported');
    expect(lines[4]).toMatch(/not-a-card\.png: png\/no-card-chunk .*no "chara" or "ccv3" chunk/);

    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper', 'Seraphina']);
    await expect.poll(() => page.getByRole('status', { name: 'Character count' }).textContent()).toBe('3 characters');
    // Thumbnails are made in the service worker once the import is done.
    await expect.poll(() => page.getByRole('list', { name: 'Characters' }).locator('img.avatar').count()).toBe(2);
    expect(await page.getByRole('list', { name: 'Characters' }).locator('img.avatar').first().getAttribute('src')).toMatch(/^data:image\/webp;base64,/);

    const search = page.getByRole('searchbox', { name: 'Search characters' });
    await search.fill('otis');
    await expect.poll(() => cardNames(page)).toEqual(['Seraphina']);
    await search.fill('lighthouse');
    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper']);
    await search.fill('');
    await page.getByLabel('Filter by tag').selectOption('ccv3');
    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper']);
    await page.getByLabel('Filter by tag').selectOption('');
    await page.getByRole('button', { name: 'Sort descending' }).click();
    await expect.poll(() => cardNames(page)).toEqual(['Seraphina', 'Marin Test-Keeper', 'Marin Test-Keeper']);
    await page.getByLabel('Sort by').selectOption('created');
    await expect.poll(() => cardNames(page).then((n) => n.length)).toBe(3);

    await page.getByRole('button', { name: 'List view' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Characters' }).getAttribute('class')).toContain('tl-list');
    await page.getByRole('button', { name: 'Grid view' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Characters' }).getAttribute('class')).toContain('tl-grid');

    // The lorebook is listed apart.
    await expect.poll(() => page.getByRole('list', { name: 'Lorebook list' }).textContent()).toContain('Eldoria');
  });

  it('imports files dropped on the drop zone', async () => {
    const files = (await fixtureFiles()).slice(0, 2).map((f) => ({ name: f.name, type: f.mimeType, base64: f.buffer.toString('base64') }));
    await page.getByRole('region', { name: 'Card import (drop files here)' }).evaluate((zone, list) => {
      const transfer = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
        transfer.items.add(new File([bytes], f.name, { type: f.type }));
      }
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, files);
    await expect.poll(() => page.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 2 of 2 files.');
    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Seraphina']);
  });

  it('edits a field and a lore entry, and exports files that read back with the edits', async () => {
    await importFixtures(page);
    await page.getByRole('button', { name: 'Edit Seraphina' }).click();
    const form = page.getByRole('form', { name: 'Edit Seraphina' });
    await form.getByLabel('Personality', { exact: true }).fill('Gentle, watchful <b>and</b> brave.');
    await form.getByRole('button', { name: 'Add alternate greeting' }).click();
    await form.getByLabel('Alternate greeting 1', { exact: true }).fill('Another dawn in the glade.');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    // Card text is text: the markup shows as written, it is not parsed.
    expect(await form.getByLabel('Personality', { exact: true }).inputValue()).toBe('Gentle, watchful <b>and</b> brave.');
    await expect.poll(() => page.getByRole('note').textContent()).toContain('Uses the lorebook “Eldoria” from your library.');

    // A lore entry of the embedded book.
    const lore = page.getByRole('region', { name: 'Lorebook of Seraphina' });
    await lore.getByRole('button', { name: /^Edit entry / }).first().click();
    const entry = lore.getByRole('form', { name: /^Entry / });
    await entry.getByLabel('Content', { exact: true }).fill('The glade is warded by old magic.');
    await entry.getByLabel('Probability (%)').fill('60');
    await entry.getByLabel('Position', { exact: true }).selectOption('4');
    await entry.getByLabel('Depth', { exact: true }).fill('2');
    await entry.getByRole('button', { name: 'Save entry' }).click();
    await expect.poll(() => lore.getByRole('form').count()).toBe(0);

    const png = await download(page, () => page.getByRole('button', { name: 'Export PNG' }).click());
    expect(png.name).toBe('Seraphina.png');
    const card = parseCardFile(png.bytes, png.name);
    if (card.kind !== 'character') throw new Error('not a character');
    expect(card.character.data.personality).toBe('Gentle, watchful <b>and</b> brave.');
    expect(card.character.data.alternate_greetings).toEqual(['Another dawn in the glade.']);
    const edited = card.character.data.character_book!.entries[0]!;
    expect(edited).toMatchObject({ content: 'The glade is warded by old magic.', position: 'after_char', extensions: { probability: 60, position: 4, depth: 2 } });

    const book = await download(page, () => page.getByRole('button', { name: 'Export lorebook as World Info' }).click());
    const worldInfo = parseCardFile(book.bytes, book.name);
    expect(worldInfo.kind === 'lorebook' && worldInfo.sourceFormat).toBe('st_world_info');
    expect(worldInfo.kind === 'lorebook' && worldInfo.lorebook.entries[0]!.content).toBe('The glade is warded by old magic.');

    const charx = await download(page, () => page.getByRole('button', { name: 'Export CHARX' }).click());
    expect(parseCardFile(charx.bytes, charx.name)).toMatchObject({ kind: 'character', sourceFormat: 'v3-charx', character: { data: { name: 'Seraphina' } } });

    // The standalone book: export as World Info.
    const eldoria = await download(page, () => page.getByRole('button', { name: 'Export Eldoria as World Info' }).click());
    expect(parseCardFile(eldoria.bytes, eldoria.name)).toMatchObject({ kind: 'lorebook', lorebook: { name: 'Eldoria' } });
  });

  it('deletes with an Undo that brings the character back', async () => {
    await importFixtures(page);
    await page.getByRole('button', { name: 'Edit Seraphina' }).click();
    await page.getByRole('button', { name: 'Delete Seraphina' }).click();
    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper']);
    const undo = page.getByRole('status', { name: 'Deleted' });
    expect(await undo.textContent()).toContain('Deleted “Seraphina”.');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => cardNames(page)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper', 'Seraphina']);
    expect(await page.getByRole('status', { name: 'Deleted' }).count()).toBe(0);
  });
});

/** The fixtures in the library (options page), and a NextChat chat beside it with the panel open. */
async function libraryAndChat(): Promise<Page> {
  await importFixtures(page);
  const chat = await browser.context.newPage();
  await chat.goto(stage.url);
  await waitForSettledChat(chat);
  await openPanel(chat);
  return chat;
}

describe('the panel (compact library)', () => {
  it('finds an imported character and makes it speak in a NextChat chat', async () => {
    const chat = await libraryAndChat();
    await openSection(chat, 'Characters');
    const panel = chat.getByRole('complementary', { name: 'Troupe' });
    await panel.getByRole('searchbox', { name: 'Search characters' }).fill('sera');
    await expect.poll(() => panel.getByRole('list', { name: 'Characters' }).locator('.tl-name').allTextContents()).toEqual(['Seraphina']);
    await activate(chat, 'Seraphina');

    await typeAndSend(chat, 'Who are you?');
    const request = await llm.waitForRequest((r) => chatBodyOf(r)?.messages.at(-1)?.content === 'Who are you?');
    const body = JSON.stringify(chatBodyOf(request));
    expect(body).toContain("Write Seraphina's next reply");
    // The full description from the card, not the list excerpt.
    const seraphina = parseCardFile(new Uint8Array(await fixture('st-default_Seraphina.png')));
    if (seraphina.kind !== 'character') throw new Error('fixture');
    expect(body).toContain(JSON.stringify(seraphina.character.data.description.slice(-60)).slice(1, -1));
  });

  it('follows an edit made in the library while the chat is open, even after Chrome stopped the worker', async () => {
    const chat = await libraryAndChat();
    await activate(chat, 'Seraphina');
    await typeAndSend(chat, 'Who are you?');
    const before = await llm.waitForRequest((r) => chatBodyOf(r)?.messages.at(-1)?.content === 'Who are you?');
    expect(before.rawBody).not.toContain('Fond of riddles.');
    await chat.locator(NC.status).waitFor({ state: 'detached' });

    // The page holds the chat's prompt kit now; the person edits the card in the library.
    await page.getByRole('button', { name: 'Edit Seraphina' }).click();
    const form = page.getByRole('form', { name: 'Edit Seraphina' });
    await form.getByLabel('Personality', { exact: true }).fill('Fond of riddles.');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);
    await stopExtensionWorker(browser.context, chat);

    await typeAndSend(chat, 'And now?');
    const after = await llm.waitForRequest((r) => chatBodyOf(r)?.messages.at(-1)?.content === 'And now?');
    expect(after.rawBody).toContain('Fond of riddles.');
  });

  it('imports cards from the panel itself (runtime messages, base64) and opens the full library', async () => {
    const chat = await browser.context.newPage();
    await chat.goto(stage.url);
    await waitForSettledChat(chat);
    await openPanel(chat);
    await openSection(chat, 'Characters');
    const panel = chat.getByRole('complementary', { name: 'Troupe' });
    // Files from disk, as a person picks them: the panel ignores the untrusted events Playwright makes for in-memory files.
    await panel.getByLabel('Import cards').setInputFiles(['st-default_Seraphina.png', 'synthetic-v3-kitchen-sink.json', 'synthetic-v3.charx'].map((file) => fileURLToPath(new URL(file, FIXTURES))));
    await expect.poll(() => panel.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 3 of 3 files.');
    await expect.poll(() => panel.getByRole('list', { name: 'Characters' }).locator('.tl-name').allTextContents()).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper', 'Seraphina']);
    await expect.poll(() => panel.getByRole('list', { name: 'Characters' }).locator('img.avatar').count()).toBe(2);

    await chooseOption(panel.getByLabel('Filter by tag'), 'ccv3');
    await expect.poll(() => panel.getByRole('list', { name: 'Characters' }).locator('.tl-name').allTextContents()).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper']);

    await page.close(); // an open manager would only be brought to the front
    const [manager] = await Promise.all([browser.context.waitForEvent('page'), panel.getByRole('button', { name: 'Open the full library' }).click()]);
    await manager.waitForURL(/options\.html/);
    await expect.poll(() => cardNames(manager)).toEqual(['Marin Test-Keeper', 'Marin Test-Keeper', 'Seraphina']);
  });
});

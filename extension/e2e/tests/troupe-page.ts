/**
 * What the end-to-end tests do with Troupe itself, as a user would: open the panel, create and
 * activate a character; plus read-only peeks into the extension's own IndexedDB for assertions.
 */
import { resolve } from 'node:path';
import type { Locator, Page, Worker } from 'playwright-core';
import { chatBodyOf, waitForSettledChat, type LoggedRequest } from '../harness/index.ts';

/**
 * The end-to-end build (`pnpm build:e2e`): the shipping code, except that the panel's shadow root is
 * open so Playwright's locators can reach it (see mount-panel.tsx).
 */
export const EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/chrome-mv3-e2e');

/** The shipping build (`pnpm build`), for the tests that prove what the closed panel hides. */
export const SHIPPING_EXTENSION_DIR = resolve(import.meta.dirname, '../../../dist/chrome-mv3');

export function panelToggle(page: Page) {
  return page.getByRole('button', { name: 'Troupe panel' });
}

/**
 * Opens the panel; on a site not confirmed yet (each test's fresh profile) it answers the panel's
 * question with the person's click first, as a user does once per NextChat site.
 */
export async function openPanel(page: Page): Promise<void> {
  const toggle = panelToggle(page);
  await toggle.waitFor();
  const body = page.getByRole('complementary', { name: 'Troupe' });
  const asking = body.getByRole('button', { name: 'Use Troupe here' });
  // On an unconfirmed site the panel is open from its first render, to ask.
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await body.waitFor();
  if (await asking.isVisible()) {
    await asking.click();
    await asking.waitFor({ state: 'detached' });
  }
}

/** The panel's body (present while the panel is open). */
export function panelBody(page: Page) {
  return page.getByRole('complementary', { name: 'Troupe' });
}

/** A panel section's header button, by the section's title (the feature's title). */
export function sectionHeader(page: Page, title: string) {
  return panelBody(page).getByRole('button', { name: title, exact: true });
}

/**
 * Expands a panel section unless it is open already; most start closed and remember the user's
 * choice, so a test opens what it uses. Waits for the section to show (a feature with nothing to
 * show, such as the persona before the chat's settings load, has no header yet).
 */
export async function openSection(page: Page, title: string): Promise<void> {
  const header = sectionHeader(page, title);
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await eventually(() => header.getAttribute('aria-expanded'), (value) => value === 'true');
}

export async function createCharacter(page: Page, name: string, description: string): Promise<void> {
  await openSection(page, 'New character');
  await openSection(page, 'Characters');
  const form = page.getByRole('form', { name: 'New character' });
  await form.getByLabel('Name').click();
  await page.keyboard.type(name);
  await form.getByLabel('Description').click();
  await page.keyboard.type(description);
  await form.getByRole('button', { name: 'Create character' }).click();
  await page.getByRole('button', { name: `Activate ${name}` }).waitFor();
}

export async function activate(page: Page, name: string): Promise<void> {
  await openSection(page, 'Characters');
  await page.getByRole('button', { name: `Activate ${name}` }).click();
  await page.getByRole('button', { name: `Deactivate ${name}` }).waitFor();
}

/**
 * Opens NextChat at `url` as a person would (through its first-visit reload), opens the panel and
 * creates a character; with `active`, also gives it the chat NextChat shows.
 */
export async function openWithCharacter(page: Page, url: string, name: string, description: string, active = true): Promise<void> {
  await page.goto(url);
  await waitForSettledChat(page);
  await openPanel(page);
  await createCharacter(page, name, description);
  if (active) await activate(page, name);
}

/**
 * Picks an option of a <select> in the panel as a person does, with the keyboard (the panel ignores the
 * untrusted events Playwright's selectOption makes): focus it, then press keys until the option whose
 * label or value is `label` is chosen.
 */
export async function chooseOption(select: Locator, label: string): Promise<void> {
  await select.focus();
  const count = await select.locator('option').count();
  const labels = await select.locator('option').allTextContents();
  const values = await select.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  const target = labels.findIndex((text, i) => text.trim() === label || values[i] === label);
  if (target < 0) throw new Error(`no option "${label}" (options: ${labels.join(', ')})`);
  const current = await select.evaluate((el) => (el as HTMLSelectElement).selectedIndex);
  const key = target > current ? 'ArrowDown' : 'ArrowUp';
  for (let i = 0; i < Math.abs(target - current) && i < count; i++) await select.press(key);
  await eventually(() => select.evaluate((el) => (el as HTMLSelectElement).selectedIndex), (index) => index === target);
}

/**
 * NextChat on a phone-sized window (390 x 800), as a person gets to a chat there: it opens on the chat
 * list (#/); the panel's one question about the site is answered and put away; a tap on the first chat
 * shows it (#/chat) and the list slides off screen.
 */
export async function openChatOnPhone(page: Page, url: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(url);
  await waitForSettledChat(page);
  await openPanel(page);
  await panelToggle(page).click();
  const first = page.locator('[class*="home_chat-item__"]').first();
  await first.click();
  await eventually(() => first.evaluate((el) => el.getBoundingClientRect().right), (right) => right <= 0);
}

export interface StoredLogRow { chatKey: string; characterId: string; userText: string; replyText: string; status: string }

/** The chat log rows the background stored, read straight from the extension's IndexedDB. */
export function readChatLog(serviceWorker: Worker): Promise<StoredLogRow[]> {
  return serviceWorker.evaluate(() => new Promise<StoredLogRow[]>((resolveRows, reject) => {
    const open = indexedDB.open('troupe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const request = open.result.transaction('chatLog').objectStore('chatLog').getAll();
      request.onsuccess = () => { open.result.close(); resolveRows(request.result as StoredLogRow[]); };
      request.onerror = () => reject(request.error);
    };
  }));
}

/** Sets one of Troupe's debug settings (chrome.storage.local) from the service worker. */
export function setDebugSetting(serviceWorker: Worker, key: 'debug.breakInterceptor' | 'debug.detectTimeoutMs', value: unknown): Promise<void> {
  return serviceWorker.evaluate(([k, v]) => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } };
    return chrome.storage.local.set({ [k as string]: v });
  }, [key, value] as const);
}

/** Polls `read` until `check` passes or `timeoutMs` ends; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}

/** Polls `check` until it holds (no sleeping guesses); `what` names it in the error when it never does. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => check(), (ok) => ok, timeoutMs).catch(() => {
    throw new Error(`${what} did not happen within ${timeoutMs} ms`);
  });
}

/**
 * Matches the streamed chat request whose newest user message is `text` (a chat turn, not a title
 * request). Post-history instructions or a depth-0 note may follow that message.
 */
export function isUserTurn(text: string): (req: LoggedRequest) => boolean {
  return (req) => {
    const body = chatBodyOf(req);
    const last = body?.messages.findLast((m) => m.role === 'user');
    return body?.stream === true && last?.content === text;
  };
}

/** Sends a runtime request from an extension page (options, import page), exactly as the UI does, and returns its answer. */
export async function callFromPage<T>(page: Page, type: string, payload: unknown): Promise<T> {
  const result = await page.evaluate(async ([t, p]) => {
    const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } } }).chrome.runtime;
    return runtime.sendMessage({ troupe: 1, type: t, payload: p });
  }, [type, payload] as const);
  const typed = result as { ok: boolean; value?: T; error?: { message: string } };
  if (!typed.ok) throw new Error(`${type} failed: ${typed.error?.message}`);
  return typed.value as T;
}

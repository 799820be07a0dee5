/**
 * The panel's collapsible sections in the built extension: opening and closing by mouse and keyboard,
 * the choice remembered across reloads and NextChat origins, and a panel that stays above NextChat's
 * input with every section open on a laptop-sized window.
 */
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import { NC, waitForSettledChat, type Launched, type Stage } from '../harness/index.ts';
import { activate, createCharacter, eventually, openPanel, panelBody, sectionHeader } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

/** A small laptop screen: where the panel used to run over NextChat's input. */
const SMALL_VIEWPORT = { width: 1280, height: 720 } as const;

let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ stage, browser, page } = parts), async (parts) => { await parts.page.setViewportSize(SMALL_VIEWPORT); });

const expanded = (title: string) => sectionHeader(page, title).getAttribute('aria-expanded');
const isFocused = (title: string) => sectionHeader(page, title).evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el);

async function openChatPanel(url: string) {
  await page.goto(url);
  await waitForSettledChat(page);
  await openPanel(page);
  await sectionHeader(page, 'Persona').waitFor();
}

/** What the panel stored, read from chrome.storage.local in the service worker. */
function storedSections(worker: Worker): Promise<unknown> {
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } } };
    return (await chrome.storage.local.get('panel.sections'))['panel.sections'] ?? null;
  });
}

describe('panel sections', () => {
  it('start with the everyday ones open, and open or close by click and by keyboard with a visible focus', async () => {
    await openChatPanel(stage.url);
    expect(await expanded('Active character')).toBe('true');
    for (const title of ['Persona', 'Author\'s note', 'Characters', 'New character']) expect(await expanded(title), title).toBe('false');
    // The status line has no header: it makes no sense hidden.
    expect(await panelBody(page).getByRole('button', { name: 'Status', exact: true }).count()).toBe(0);
    // A closed section says what it holds.
    expect(await sectionHeader(page, 'Characters').textContent()).toContain('0 in the library');

    const form = panelBody(page).getByRole('form', { name: 'New character' });
    expect(await form.isVisible()).toBe(false);
    await sectionHeader(page, 'New character').click();
    await expect.poll(() => expanded('New character')).toBe('true');
    expect(await form.isVisible()).toBe(true);
    await sectionHeader(page, 'New character').click();
    await expect.poll(() => expanded('New character')).toBe('false');
    expect(await form.isVisible()).toBe(false);

    // Tab from the active character's header reaches the persona's (closed sections hold no stops).
    await sectionHeader(page, 'Active character').focus();
    await page.keyboard.press('Tab');
    expect(await isFocused('Persona')).toBe(true);
    const focusStyle = await sectionHeader(page, 'Persona').evaluate((el) => ({ visible: el.matches(':focus-visible'), outline: getComputedStyle(el).outlineStyle }));
    expect(focusStyle).toEqual({ visible: true, outline: 'solid' });
    await page.keyboard.press('Enter');
    await expect.poll(() => expanded('Persona')).toBe('true');
    expect(await panelBody(page).getByRole('form', { name: 'Persona' }).isVisible()).toBe(true);
    await page.keyboard.press(' ');
    await expect.poll(() => expanded('Persona')).toBe('false');
    expect(await isFocused('Persona')).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => expanded('Persona')).toBe('true');
  });

  it('follow NextChat\'s dark theme', async () => {
    await openChatPanel(`${stage.url}?theme=dark`);
    const colours = await sectionHeader(page, 'Persona').evaluate((el) => {
      const panel = (el.getRootNode() as ShadowRoot).querySelector('.troupe')!;
      return { header: getComputedStyle(el).color, panel: getComputedStyle(panel).color, dark: panel.classList.contains('dark') };
    });
    expect(colours).toEqual({ header: colours.panel, panel: 'rgb(187, 187, 187)', dark: true });
  });

  it('are remembered across reloads and NextChat origins', async () => {
    await openChatPanel(stage.url);
    await sectionHeader(page, 'Persona').click();
    await sectionHeader(page, 'Characters').click();
    await sectionHeader(page, 'Active character').click();
    const expected = { open: { persona: true, 'character-list': true, 'active-character': false } };
    await eventually(() => storedSections(browser.serviceWorker!), (value) => isDeepStrictEqual(value, expected));

    const expectRemembered = async () => {
      await openChatPanel(page.url());
      expect(await expanded('Persona')).toBe('true');
      expect(await expanded('Characters')).toBe('true');
      expect(await expanded('Active character')).toBe('false');
      expect(await expanded('New character')).toBe('false');
    };
    await page.reload();
    await expectRemembered();
    // Another NextChat origin: storage.local is the extension's, not the page's.
    const otherOrigin = stage.url.replace('127.0.0.1', 'localhost');
    await page.goto(otherOrigin);
    expect(new URL(page.url()).origin).not.toBe(new URL(stage.url).origin);
    await expectRemembered();
  });

  it('stay above NextChat\'s input with every section open, the body scrolling within', async () => {
    await openChatPanel(stage.url);
    await createCharacter(page, 'Mira', 'A cartographer.');
    await activate(page, 'Mira');
    const closed = panelBody(page).locator('.section-toggle[aria-expanded="false"]');
    await sectionHeader(page, 'Prompt inspector').waitFor();
    while ((await closed.count()) > 0) await closed.first().click();
    for (const title of ['Active character', 'Prompt inspector', 'Persona', 'Author\'s note', 'Characters', 'New character']) {
      expect(await expanded(title), title).toBe('true');
    }

    const body = panelBody(page);
    const bottom = async () => { const box = (await body.boundingBox())!; return box.y + box.height; };
    const inputPanelTop = (await page.locator(NC.inputPanel).boundingBox())!.y;
    expect(await bottom()).toBeLessThanOrEqual(inputPanelTop);
    const panelBox = (await body.boundingBox())!;
    for (const selector of [NC.input, NC.send]) {
      const target = (await page.locator(selector).boundingBox())!;
      const overlaps = panelBox.x < target.x + target.width && target.x < panelBox.x + panelBox.width
        && panelBox.y < target.y + target.height && target.y < panelBox.y + panelBox.height;
      expect(overlaps, `panel overlaps ${selector}`).toBe(false);
    }
    // Everything is there, reached by scrolling the panel (down only: nothing sticks out sideways).
    expect(await body.evaluate((el) => ({ down: el.scrollHeight > el.clientHeight, sideways: el.scrollWidth > el.clientWidth }))).toEqual({ down: true, sideways: false });
    const last = body.getByRole('button', { name: 'Create character' });
    await last.scrollIntoViewIfNeeded();
    const lastBox = (await last.boundingBox())!;
    expect(lastBox.y + lastBox.height).toBeLessThanOrEqual(await bottom());
    expect(await body.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  });
});

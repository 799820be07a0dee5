/**
 * Troupe follows NextChat as the real one behaves (late chat view, pushState routing, a self-reload on
 * the first visit, rows born selected): a character can be given to the chat NextChat opens with, and
 * the panel knows the open chat after every way a person gets there.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, typeAndSend, chatBodyOf, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, createCharacter, isUserTurn, openChatOnPhone, openPanel, openWithCharacter, panelBody, panelToggle } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

let llm: TestLlm;
let stage: Stage;
let page: Page;
stageSession((parts) => ({ llm, stage, page } = parts));

const selectedId = () => page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
const activateButton = (name: string) => panelBody(page).getByRole('button', { name: `Activate ${name}` });

/** Sends `text` and returns the system prompt the LLM received first. */
async function firstSystemPrompt(text: string): Promise<string> {
  await typeAndSend(page, text);
  const request = await llm.waitForRequest(isUserTurn(text));
  return String(chatBodyOf(request)!.messages[0]!.content);
}

describe('the chat NextChat opens with', () => {
  it('takes a character on the first visit, right after the self-reload, without touching any other chat', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    expect(await firstSystemPrompt('First words')).toBe("Write Mira's next reply in a fictional chat between Mira and User.");
  });

  it('is known within a second of the chat view appearing after a reload (the view mounts late)', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.', false);

    await page.reload();
    await page.locator(NC.input).waitFor();
    const shownAt = Date.now();
    await openPanel(page);
    await expect.poll(() => activateButton('Mira').isEnabled(), { timeout: 1_000, interval: 20 }).toBe(true);
    expect(Date.now() - shownAt).toBeLessThan(1_000);
    await activate(page, 'Mira');
    expect(await firstSystemPrompt('After the reload')).toContain("Mira's next reply");
  });
});

describe('every way to another chat', () => {
  it('New Chat → Just Start: the new chat (born selected) is its own, empty of characters; switching back finds the first', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    const first = await selectedId();

    await page.locator(NC.newChat).click();
    // The mask picker shows no chat: nothing to give a character to.
    await expect.poll(() => panelBody(page).getByText('Open a chat in NextChat').count()).toBe(1);
    await page.locator(NC.justStart).click();
    await expect.poll(() => panelBody(page).getByText('No character in this chat').count()).toBe(1);
    const second = await selectedId();
    expect(second).not.toBe(first);
    await createCharacter(page, 'Bo', 'A retired sailor.');
    await activate(page, 'Bo');
    expect(await firstSystemPrompt('Hello Bo')).toContain("Bo's next reply");

    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${first}"]`).click();
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();
    expect(await firstSystemPrompt('Hello Mira')).toContain("Mira's next reply");

    // Back is a popstate to the same route: NextChat keeps the chat it shows, and so does the panel.
    await page.goBack();
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();
  });

  it('a mask from the picker starts a chat that can take a character', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.', false);
    await panelToggle(page).click();
    await page.locator(NC.newChat).click();
    await page.locator('[class*="mask_mask-item__"]', { hasText: 'Stage Tutor' }).getByRole('button').click();
    await page.locator(NC.input).waitFor();
    await openPanel(page);
    await activate(page, 'Mira');
    expect(await firstSystemPrompt('Teach me')).toContain("Mira's next reply");
  });

  it('settings and back: the panel says there is no chat, then finds the same one again', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    await page.locator('button[aria-label="Settings"]').click();
    await expect.poll(() => panelBody(page).getByText('Open a chat in NextChat').count()).toBe(1);
    await page.goBack();
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();
  });

  it('at a narrow width (sidebar off screen) the chat is still known and keeps its character', async () => {
    await openChatOnPhone(page, stage.url);
    await openPanel(page);
    await createCharacter(page, 'Mira', 'A cartographer.');
    await activate(page, 'Mira');
    expect(await firstSystemPrompt('On a phone')).toContain("Mira's next reply");
  });
});


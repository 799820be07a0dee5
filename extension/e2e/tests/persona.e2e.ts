/**
 * Saved personas end to end: one saved with an avatar from the panel, picked in a second chat, edited
 * there (the first chat follows the edit), then deleted (chats keep its text).
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { NC, waitForSettledChat, startNewChat, typeAndSend, lastBotText, chatBodyOf, echoReply, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, createCharacter, isUserTurn, openPanel, openSection, panelBody } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

/** Any PNG will do for an avatar; a card PNG from the handbook's fixtures is one. */
const AVATAR_PNG = resolve(import.meta.dirname, '../../../../shared/fixtures/cards/synthetic-v3-ccv3-only.png');

let llm: TestLlm;
let stage: Stage;
let page: Page;
stageSession((parts) => ({ llm, stage, page } = parts));

/** Sends a user turn and returns the messages the test LLM received, once the reply has shown. */
async function send(text: string) {
  await typeAndSend(page, text);
  const body = chatBodyOf(await llm.waitForRequest(isUserTurn(text)))!;
  await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(body));
  return JSON.stringify(body.messages);
}

describe('saved personas', () => {
  it('are saved with an avatar, picked per chat, edited everywhere at once, and deleted without breaking chats', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    await createCharacter(page, 'Mira', '{{char}} keeps the harbour maps for {{user}}.');
    await activate(page, 'Mira');
    await openSection(page, 'Persona');
    const form = panelBody(page).getByRole('form', { name: 'Persona' });
    await form.getByLabel('Persona name').fill('Ann');
    await form.getByLabel('Persona description').fill('{{user}} sails a small boat.');
    await form.getByLabel('Persona avatar').setInputFiles(AVATAR_PNG);
    await form.getByRole('button', { name: 'Save to my personas' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Saved Ann to your personas; this chat uses it.');
    const choices = form.getByRole('group', { name: 'Persona for this chat' });
    await expect.poll(() => choices.getByRole('radio', { name: 'Ann' }).isChecked()).toBe(true);
    // The avatar is the background's thumbnail of the picture, shown in the picker.
    const avatar = choices.locator('label', { hasText: 'Ann' }).locator('img');
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(96);
    expect(await avatar.getAttribute('src')).toMatch(/^data:image\/webp;base64,/);

    const first = await send('Hello from the first chat');
    expect(first).toContain('Mira keeps the harbour maps for Ann.');
    expect(first).toContain('Ann sails a small boat.');
    const firstChat = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');

    // A second chat starts on the default persona; picking Ann there, then editing her.
    await startNewChat(page);
    await activate(page, 'Mira');
    await expect.poll(() => choices.getByRole('radio', { name: /^Default/ }).isChecked()).toBe(true);
    await choices.getByRole('radio', { name: 'Ann' }).check();
    await expect.poll(() => form.getByLabel('Persona description').inputValue()).toBe('{{user}} sails a small boat.');
    await form.getByLabel('Persona description').fill('{{user}} mends nets.');
    await form.getByRole('button', { name: 'Update Ann' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Updated Ann in every chat that uses it.');
    expect(await send('Hello from the second chat')).toContain('Ann mends nets.');

    // The first chat follows the saved persona, so it has the edit too.
    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${firstChat}"]`).click();
    await expect.poll(() => form.getByLabel('Persona description').inputValue()).toBe('{{user}} mends nets.');
    const edited = await send('Back in the first chat');
    expect(edited).toContain('Ann mends nets.');
    expect(edited).not.toContain('sails a small boat');

    // Deleted: the chat keeps the text it had, as its own persona.
    await form.getByRole('button', { name: 'Delete Ann' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Deleted Ann; chats that used it keep its text.');
    await expect.poll(() => choices.count()).toBe(0);
    await expect(form.getByText('This chat has its own persona.').count()).resolves.toBe(1);
    expect(await send('After the delete')).toContain('Ann mends nets.');
  });
});

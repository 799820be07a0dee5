/**
 * Chat-bound and global lorebooks end to end: books imported in the options page, one enabled for every
 * chat there, one bound to a chat from the panel; the exact messages the LLM receives, in SillyTavern's
 * lore order; and NextChat's own system prompt kept or left out by the global and the per-chat setting.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, waitForSettledChat, typeAndSend, lastBotText, chatBodyOf, echoReply, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, chooseOption, isUserTurn, openPanel, openSection, panelBody } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

/** A one-entry book; every entry has the same order, so their order in the prompt shows the scan order. */
const book = (name: string, key: string, content: string) => ({
  spec: 'lorebook_v3',
  data: { name, extensions: {}, entries: [{ id: 0, keys: [key], content, extensions: {}, enabled: true, insertion_order: 100, use_regex: false, position: 'after_char' }] },
});

const CARD = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Mira', description: '{{char}} keeps the harbour maps.', personality: '', scenario: '', first_mes: '', mes_example: '', creator_notes: '',
    system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '', character_version: '', extensions: {},
    character_book: { extensions: {}, entries: [{ id: 0, keys: ['rock'], content: 'Character: the rock is a seal colony.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false, position: 'after_char' }] },
  },
};

const json = (name: string, value: unknown) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let options: Page;
let page: Page;

// The session's first page is the options page; each test opens NextChat in a second one.
stageSession((parts) => ({ llm, stage, browser, page: options } = parts), async (parts) => { await parts.page.goto(`chrome-extension://${parts.browser.extensionId}/options.html`); });

async function send(text: string) {
  await typeAndSend(page, text);
  const body = chatBodyOf(await llm.waitForRequest(isUserTurn(text)))!;
  await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(body));
  await expect.poll(() => page.locator(NC.status).count()).toBe(0);
  return body;
}

/** Chooses NextChat's system prompt mode in the options page and waits until it is saved. */
async function setGlobalHostMode(label: string) {
  const section = options.getByRole('region', { name: 'World Info and prompt' });
  await section.getByLabel('NextChat\'s system prompt').selectOption({ label });
  await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');
}

describe('chat and global lorebooks', () => {
  it('sends chat lore, the card\'s book and a global book in SillyTavern\'s order, and keeps NextChat\'s system prompt when told to', async () => {
    await options.getByLabel('Import cards (PNG, JSON, CHARX, World Info)').setInputFiles([
      json('mira.json', CARD),
      json('harbour.json', book('Harbour', 'lantern', 'Chat: the lantern is lit at dusk.')),
      json('coast.json', book('Coast', 'gull', 'Global: gulls nest on the rock.')),
    ]);
    await expect.poll(() => options.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 3 of 3 files.');
    const prompt = options.getByRole('region', { name: 'World Info and prompt' });
    await prompt.getByRole('checkbox', { name: 'Coast' }).check();
    await expect.poll(() => prompt.getByRole('status').textContent()).toContain('Saved.');

    page = await browser.context.newPage();
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    await activate(page, 'Mira');
    await openSection(page, 'Chat lore');
    const chatLore = page.getByRole('region', { name: 'Chat lore' });
    await expect.poll(() => chatLore.getByRole('listitem').filter({ hasText: 'Coast' }).textContent()).toContain('on in every chat');
    await chatLore.getByRole('checkbox', { name: 'Harbour' }).check();
    await chatLore.getByRole('status').waitFor();
    await expect(chatLore.getByRole('checkbox', { name: 'Harbour' }).isChecked()).resolves.toBe(true);

    const first = await send('A lantern swings by the gull rock');
    expect(first.messages).toEqual([
      { role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and User.' },
      { role: 'system', content: 'Mira keeps the harbour maps.' },
      // Scan order is chat, then character, then global lore (character first, SillyTavern's default);
      // among equal orders SillyTavern lists the later-scanned entry first.
      { role: 'system', content: 'Global: gulls nest on the rock.\nCharacter: the rock is a seal colony.\nChat: the lantern is lit at dusk.' },
      { role: 'system', content: '[Start a new Chat]' },
      { role: 'user', content: 'A lantern swings by the gull rock' },
    ]);

    const panel = panelBody(page);
    await openSection(page, 'Prompt inspector');
    const lore = panel.getByRole('list', { name: 'Lore entries' });
    await expect.poll(() => lore.textContent()).toContain('chat lore “Harbour”');
    await expect(lore.textContent()).resolves.toContain('global lore “Coast”');
    await expect(lore.textContent()).resolves.toContain('character lore “Mira (card)”');

    // Keep NextChat's system prompt for every chat: it comes first, as NextChat sent it.
    await setGlobalHostMode('Keep it first');
    const kept = await send('Only the lantern now');
    expect(kept.messages[0]!.role).toBe('system');
    expect(kept.messages[0]!.content).toMatch(/^\s*You are ChatGPT, a large language model/);
    // Still within the scan depth (2 messages): the first turn's echoed reply keeps all three entries active.
    expect(kept.messages.slice(1, 4)).toEqual(first.messages.slice(0, 3));

    // This chat overrides the global choice from the panel.
    await chooseOption(chatLore.getByLabel('NextChat\'s system prompt'), 'Leave it out');
    await chatLore.getByRole('status').waitFor();
    const dropped = await send('And the lantern again');
    expect(dropped.messages[0]).toEqual({ role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and User.' });
    // (The echoed replies in the history quote it; no system message carries it.)
    expect(dropped.messages.filter((m) => m.role === 'system' && JSON.stringify(m.content).includes('You are ChatGPT'))).toEqual([]);
  });

  it('fits prompts to the context size set in the options page, refusing one no prompt fits in', async () => {
    await options.getByLabel('Import cards (PNG, JSON, CHARX, World Info)').setInputFiles([json('mira.json', CARD)]);
    await expect.poll(() => options.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 1 of 1 file.');
    const section = options.getByRole('region', { name: 'World Info and prompt' });
    const size = section.getByLabel('Context size (tokens)');
    await size.fill('12');
    await size.press('Enter');
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('from 1,024 to 2,000,000');
    await size.fill('2,048');
    await size.press('Enter');
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');

    page = await browser.context.newPage();
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    await activate(page, 'Mira');
    await send('How big is the harbour?');
    await openSection(page, 'Prompt inspector');
    await expect.poll(() => panelBody(page).getByText(/ of 2048 tokens/).count()).toBeGreaterThan(0);
  });
});

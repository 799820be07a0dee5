/**
 * A character chat's prompt end to end: a card with a lorebook imported through the panel, a persona,
 * an author's note and a swiped greeting set in the panel, and the exact messages the LLM receives.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, waitForSettledChat, startNewChat, typeAndSend, lastBotText, chatBodyOf, echoReply, readChatStore, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, isUserTurn, eventually, openPanel, openSection, readChatLog } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

const CARD = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Mira',
    description: '{{char}} keeps the harbour maps for {{user}}.',
    personality: '',
    scenario: '',
    first_mes: 'Welcome, {{user}}. The tide is out.',
    mes_example: '',
    creator_notes: '',
    system_prompt: '',
    post_history_instructions: '',
    alternate_greetings: ['Ahoy, {{user}}! Mind the rocks.'],
    tags: [],
    creator: '',
    character_version: '',
    extensions: {},
    character_book: {
      extensions: {},
      entries: [{ id: 1, comment: 'Lighthouse', keys: ['lighthouse'], content: 'The lighthouse has been dark for a year.', extensions: {}, enabled: true, insertion_order: 100, use_regex: false }],
    },
  },
};

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
let dir: string;

stageSession((parts) => ({ llm, stage, browser, page } = parts));
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'troupe-prompt-e2e-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});


async function sendAndWait(text: string, replies: number) {
  await typeAndSend(page, text);
  const request = await llm.waitForRequest(isUserTurn(text));
  const body = chatBodyOf(request)!;
  await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(body));
  await expect.poll(() => page.locator(NC.status).count()).toBe(0);
  await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === replies);
  return body;
}

async function importMiraAndActivate(card: typeof CARD = CARD) {
  const cardPath = join(dir, 'mira.json');
  await writeFile(cardPath, JSON.stringify(card));
  await page.goto(stage.url);
  await waitForSettledChat(page);
  await openPanel(page);
  const panel = page.getByRole('complementary', { name: 'Troupe' });
  await openSection(page, 'Characters');
  await panel.getByLabel('Import cards').setInputFiles(cardPath);
  await expect.poll(() => panel.getByRole('status', { name: 'Import status' }).textContent()).toBe('Imported 1 of 1 file.');
  await activate(page, 'Mira');
  return panel;
}

describe('the prompt of a character chat', () => {
  it('sends the chosen greeting, the persona, the lore that fired and the author\'s note at its depth; shows who replied and why', async () => {
    const panel = await importMiraAndActivate();

    // Swipe to the alternate greeting before the first message.
    await expect.poll(() => panel.getByText('1 of 2').count()).toBe(1);
    await panel.getByRole('button', { name: 'Next greeting' }).click();
    await expect.poll(() => panel.getByText('2 of 2').count()).toBe(1);
    await expect(panel.getByLabel('Greeting text').textContent()).resolves.toBe('Ahoy, User! Mind the rocks.');

    await openSection(page, 'Persona');
    await openSection(page, 'Author\'s note');
    const persona = panel.getByRole('form', { name: 'Persona' });
    await persona.getByLabel('Persona name').fill('Ann');
    await persona.getByLabel('Persona description').fill('{{user}} sails a small boat.');
    await persona.getByRole('button', { name: 'Save persona' }).click();
    await persona.getByRole('status').waitFor();

    const note = panel.getByRole('form', { name: 'Author\'s note' });
    await note.getByLabel('Author\'s note', { exact: true }).fill('Keep {{char}}\'s answers short.');
    await note.getByLabel('Depth').fill('1');
    await note.getByRole('button', { name: 'Save note' }).click();
    await note.getByRole('status').waitFor();

    const turn1 = await sendAndWait('Hello there', 1);
    expect(turn1.messages).toEqual([
      { role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and Ann.' },
      { role: 'system', content: 'Ann sails a small boat.' },
      { role: 'system', content: 'Mira keeps the harbour maps for Ann.' },
      { role: 'system', content: '[Start a new Chat]' },
      { role: 'assistant', content: 'Ahoy, Ann! Mind the rocks.' },
      { role: 'system', content: 'Keep Mira\'s answers short.' },
      { role: 'user', content: 'Hello there' },
    ]);

    const turn2 = await sendAndWait('Is the lighthouse still lit?', 2);
    expect(turn2.messages).toEqual([
      { role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and Ann.' },
      { role: 'system', content: 'Ann sails a small boat.' },
      { role: 'system', content: 'Mira keeps the harbour maps for Ann.' },
      // The entry sets no position: it goes after the character's description.
      { role: 'system', content: 'The lighthouse has been dark for a year.' },
      { role: 'system', content: '[Start a new Chat]' },
      { role: 'assistant', content: 'Ahoy, Ann! Mind the rocks.' },
      { role: 'user', content: 'Hello there' },
      { role: 'assistant', content: echoReply(turn1) },
      { role: 'system', content: 'Keep Mira\'s answers short.' },
      { role: 'user', content: 'Is the lighthouse still lit?' },
    ]);

    // Both replies carry the character's name (and so does the greeting Troupe shows in place of NextChat's).
    await expect.poll(() => page.locator(`${NC.botRow}:not([data-troupe-greeting]) .troupe-attribution[aria-label="Reply by Mira"]`).count()).toBe(2);
    await expect(page.locator('[data-troupe-greeting] .troupe-attribution').count()).resolves.toBe(1);

    await openSection(page, 'Prompt inspector');
    const lore = panel.getByRole('list', { name: 'Lore entries' });
    await expect.poll(() => lore.textContent()).toContain('key "lighthouse"');
    await expect(lore.textContent()).resolves.toContain('Lighthouse');
    await expect(panel.getByRole('table', { name: 'Prompt parts' }).locator('tbody tr').count()).resolves.toBe(turn2.messages.length);

    await page.getByRole('button', { name: 'Deactivate Mira' }).click();
    await expect.poll(() => page.locator('.troupe-attribution').count()).toBe(0);
  });

  it('keeps each chat\'s persona and note across chat switches and reloads; other chats use the default persona', async () => {
    const panel = await importMiraAndActivate();
    const first = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    await openSection(page, 'Persona');
    await openSection(page, 'Author\'s note');
    const persona = panel.getByRole('form', { name: 'Persona' });
    await persona.getByLabel('Persona name').fill('Ann');
    await persona.getByRole('button', { name: 'Save persona' }).click();
    await persona.getByRole('status').waitFor();
    const note = panel.getByRole('form', { name: 'Author\'s note' });
    await note.getByLabel('Author\'s note', { exact: true }).fill('Only in the first chat.');
    await note.getByRole('button', { name: 'Save note' }).click();
    await note.getByRole('status').waitFor();

    await startNewChat(page);
    await expect.poll(() => panel.getByText('No character in this chat').count()).toBe(1);
    await expect.poll(() => persona.getByLabel('Persona name').inputValue()).toBe('');
    await expect(note.getByLabel('Author\'s note', { exact: true }).inputValue()).resolves.toBe('');
    await persona.getByLabel('Persona name').fill('Bo');
    await persona.getByRole('button', { name: 'Save as default persona' }).click();
    await persona.getByRole('status').waitFor();
    await activate(page, 'Mira');
    await typeAndSend(page, 'In the second chat');
    const second = chatBodyOf(await llm.waitForRequest(isUserTurn('In the second chat')))!;
    expect(second.messages[0]).toEqual({ role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and Bo.' });
    expect(JSON.stringify(second.messages)).not.toContain('Only in the first chat.');

    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${first}"]`).click();
    await expect.poll(() => persona.getByLabel('Persona name').inputValue()).toBe('Ann');
    await page.reload();
    await openPanel(page);
    await expect.poll(() => persona.getByLabel('Persona name').inputValue()).toBe('Ann');
    await expect(note.getByLabel('Author\'s note', { exact: true }).inputValue()).resolves.toBe('Only in the first chat.');
    await typeAndSend(page, 'Back in the first chat');
    const back = chatBodyOf(await llm.waitForRequest(isUserTurn('Back in the first chat')))!;
    expect(back.messages[0]).toEqual({ role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and Ann.' });
    // At the default depth (4) the note sits above this short history.
    expect(back.messages).toContainEqual({ role: 'system', content: 'Only in the first chat.' });
    expect(back.messages.slice(-2)).toEqual([{ role: 'assistant', content: 'Welcome, Ann. The tide is out.' }, { role: 'user', content: 'Back in the first chat' }]);
  });

  it('sends post-history instructions and a depth-0 author\'s note after the user\'s message (the prompt ends with them)', async () => {
    const card = { ...CARD, data: { ...CARD.data, post_history_instructions: 'Stay in character as {{char}}. {{original}}', alternate_greetings: [] } };
    const panel = await importMiraAndActivate(card);
    await openSection(page, 'Author\'s note');
    const note = panel.getByRole('form', { name: 'Author\'s note' });
    await note.getByLabel('Author\'s note', { exact: true }).fill('Mention the tide.');
    await note.getByLabel('Depth').fill('0');
    await note.getByRole('button', { name: 'Save note' }).click();
    await note.getByRole('status').waitFor();

    const body = await sendAndWait('What time is it?', 1);
    expect(body.messages).toEqual([
      { role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and User.' },
      { role: 'system', content: 'Mira keeps the harbour maps for User.' },
      { role: 'system', content: '[Start a new Chat]' },
      { role: 'assistant', content: 'Welcome, User. The tide is out.' },
      { role: 'user', content: 'What time is it?' },
      { role: 'system', content: 'Mention the tide.' },
      { role: 'system', content: 'Stay in character as Mira.' },
    ]);
    // Nothing went wrong on Troupe's side: no fallback to NextChat's original.
    expect(await panel.getByRole('alert').count()).toBe(0);
  });

  it('opens the conversation with the character\'s greeting in NextChat\'s own list, swipeable there, sent as said, and gone when deactivated', async () => {
    const panel = await importMiraAndActivate();
    const greetingRow = page.locator('[data-troupe-greeting]');
    const hello = page.locator(NC.botRow).filter({ hasText: 'Hello! How can I assist you today?' });
    await expect.poll(() => greetingRow.locator(NC.text).textContent()).toBe('Welcome, User. The tide is out.');
    await expect.poll(() => hello.isVisible()).toBe(false);
    await expect(greetingRow.getByRole('img', { name: 'Reply by Mira' }).count()).resolves.toBe(1);
    // The first row NextChat's list shows is the character's.
    await expect(page.locator(`${NC.botRow}:visible`).first().getAttribute('data-troupe-greeting')).resolves.toBe('');

    await greetingRow.getByRole('button', { name: 'Next greeting' }).click();
    await expect.poll(() => greetingRow.locator(NC.text).textContent()).toBe('Ahoy, User! Mind the rocks.');
    await expect.poll(() => panel.getByText('2 of 2').count()).toBe(1);

    const body = await sendAndWait('Hello there', 1);
    expect(body.messages.slice(-3)).toEqual([
      { role: 'system', content: '[Start a new Chat]' },
      { role: 'assistant', content: 'Ahoy, User! Mind the rocks.' },
      { role: 'user', content: 'Hello there' },
    ]);
    // Still first after the answer, no longer swipeable; NextChat's store never held it.
    await expect.poll(() => greetingRow.getByRole('button', { name: 'Next greeting' }).count()).toBe(0);
    const stored = await readChatStore(page);
    expect(JSON.stringify(stored)).not.toContain('Mind the rocks.');

    await page.getByRole('button', { name: 'Deactivate Mira' }).click();
    await expect.poll(() => greetingRow.count()).toBe(0);
    await expect.poll(() => hello.isVisible()).toBe(true);
  });
});


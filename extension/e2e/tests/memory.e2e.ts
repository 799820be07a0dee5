/**
 * Memory, end to end on the stage page: the character is given the whole chat NextChat stored, not
 * NextChat's window of 4 messages, and what the person changes in NextChat (an edit, a deleted message)
 * is what the model sees next.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { NC, chatBodyOf, clickMessageAction, startNewChat, contentText, echoReply, editMessage, lastBotText, readSentByPage, rowWithText, typeAndSend, type ChatBodyJson, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, chooseOption, eventually, isUserTurn, openPanel, openSection, openWithCharacter, readChatLog } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts));

/** Sends `text` and waits until the reply is shown, finished and stored; returns what the model received. */
async function turn(text: string, replies: number): Promise<ChatBodyJson> {
  await typeAndSend(page, text);
  const body = chatBodyOf(await llm.waitForRequest(isUserTurn(text)))!;
  await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(body));
  await expect.poll(() => page.locator(NC.status).count()).toBe(0);
  await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === replies);
  return body;
}

const texts = (body: ChatBodyJson) => body.messages.map((m) => contentText(m.content));
/** The page's own last chat request (before Troupe rewrote it), parsed. */
async function lastSentByNextChat(): Promise<ChatBodyJson> {
  const sent = (await readSentByPage(page)).map((s) => JSON.parse(s.body) as ChatBodyJson).filter((b) => b.stream === true);
  return sent.at(-1)!;
}

const FACT = 'My sister Ilse keeps bees in Harrowgate.';

describe('memory: the whole chat', () => {
  it('a fact from turn 3 is in the prompt at turn 40, though NextChat sends only its last 4 messages; no message goes twice', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer who remembers everything.');
    const said: string[] = [];
    let body: ChatBodyJson | null = null;
    for (let i = 1; i <= 40; i++) {
      const text = i === 3 ? FACT : `Turn ${i}: what is on the map today?`;
      said.push(text);
      body = await turn(text, i);
    }
    const nextChat = await lastSentByNextChat();
    // NextChat's own request: its window (and, once made, its summary), not turn 3.
    expect(texts(nextChat).some((t) => t.includes('Harrowgate'))).toBe(false);
    expect(nextChat.messages.filter((m) => m.role === 'user').length).toBeLessThanOrEqual(3 + 1);

    const sent = texts(body!);
    expect(sent.filter((t) => t === FACT)).toHaveLength(1);
    for (const text of said) expect(sent.filter((t) => t === text), text).toHaveLength(1);
    // In order, and NextChat's summary of the chat is not sent beside the chat itself.
    const positions = said.map((text) => sent.indexOf(text));
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(sent.some((t) => t.includes('summary of the chat history'))).toBe(false);

    // The prompt inspector says where the history came from.
    await openPanel(page);
    await openSection(page, 'Prompt inspector');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    await expect.poll(() => panel.getByLabel('History source').textContent()).toMatch(/^History: the whole chat NextChat saved: \d+ earlier messages/);
  });
  it('what the person changes in NextChat is what the model sees next: an edit, a deleted message; a pinned fact is always in', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer who remembers everything.');
    await turn(FACT, 1);
    for (let i = 2; i <= 6; i++) await turn(`Turn ${i}: what is on the map today?`, i);

    // An edit of the first message (long out of NextChat's window) and a deleted one, made in NextChat.
    await editMessage(page, rowWithText(page, FACT, 'user'), 'My sister Greta keeps goats in Dunmore.');
    await clickMessageAction(rowWithText(page, 'Turn 2: what is on the map today?', 'user'), 'Delete');
    await expect.poll(() => rowWithText(page, 'Turn 2: what is on the map today?', 'user').count()).toBe(0);

    // A fact pinned in the panel's memory section.
    await openPanel(page);
    await openSection(page, 'Memory');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    await panel.getByLabel('Remember that…').fill('The silver compass is due back by the winter solstice.');
    await panel.getByRole('button', { name: 'Pin' }).click();
    await expect.poll(() => panel.getByRole('list', { name: 'Pinned facts' }).textContent()).toContain('The silver compass is due back by the winter solstice.');

    const body = await turn('Turn 7: where does my sister live?', 7);
    const sent = texts(body);
    const userSaid = body.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content));
    expect(userSaid).toContain('My sister Greta keeps goats in Dunmore.');
    expect(userSaid).not.toContain(FACT);
    expect(userSaid).not.toContain('Turn 2: what is on the map today?');
    const memory = sent.find((t) => t.startsWith('[What Mira knows from this chat]'));
    expect(memory).toBe('[What Mira knows from this chat]\n- The silver compass is due back by the winter solstice.');

    // Still pinned after a reload, and still sent.
    await page.reload();
    await openPanel(page);
    await openSection(page, 'Memory');
    await expect.poll(() => panel.getByRole('list', { name: 'Pinned facts' }).textContent()).toContain('The silver compass is due back by the winter solstice.');
    expect(texts(await turn('Turn 8: and the compass?', 8)).join('\n')).toContain('- The silver compass is due back by the winter solstice.');
  });
  it('a chat that outgrows the context: the fact it needs comes back through memory, and summaries are made in the background', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const section = options.getByRole('region', { name: 'World Info and prompt' });
    const size = section.getByLabel('Context size (tokens)');
    await size.fill('2,048');
    await size.press('Enter');
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');
    const budget = section.getByLabel('Memory budget (% of the context)');
    expect(await budget.inputValue()).toBe('15');
    await budget.fill('20');
    await budget.press('Enter');
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');
    await options.close();

    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer who remembers everything.');
    const padding = 'We walked along the grey shore and talked about the tides, the gulls and the weather again.';
    let body: ChatBodyJson | null = null;
    for (let i = 1; i <= 30; i++) body = await turn(i === 3 ? FACT : `Turn ${i}: ${padding}`, i);
    body = await turn('Where does my sister keep her bees?', 31);
    const sent = texts(body);
    // The history was cut to fit 2,048 tokens (turn 2 is long gone), yet the fact is there, once, as memory.
    expect(sent.some((t) => t.startsWith('Turn 2:'))).toBe(false);
    expect(sent.filter((t) => t.includes(FACT))).toHaveLength(1);
    expect(sent.find((t) => t.includes(FACT))).toMatch(/^\[From earlier in this chat\]/);

    // The inspector says what memory gave; the memory section shows the summaries made meanwhile.
    await openPanel(page);
    await openSection(page, 'Prompt inspector');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    await expect.poll(() => panel.getByLabel('Memory used').textContent()).toMatch(/^Memory: \d+ of \d+ tokens \(.*\d+ recalled messages?\)\.$/);
    // The budget is the share set in the options page of what the prompt may hold (2,048 less the reply's room).
    const reserved = Number(/\((\d+) kept for the reply\)/.exec((await panel.locator('.inspector p').first().textContent())!)![1]);
    expect((await panel.getByLabel('Memory used').textContent())).toContain(` of ${Math.floor(0.2 * (2048 - reserved))} tokens`);
    await openSection(page, 'Memory');
    await expect.poll(() => panel.getByRole('list', { name: 'Summaries' }).locator('li').count(), { timeout: 20_000 }).toBeGreaterThan(0);
  });
  it('summaries by a model of your choice: set with a key in the options page and tested; a long chat is summarised by it, and the key goes to no chat request', async () => {
    const key = 'sk-troupe-e2e-summaries-7f3a91';
    const summaryModel = 'summary-mini';
    const isSummaryRequest = (r: (typeof llm.requests)[number]) => chatBodyOf(r)?.model === summaryModel;
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const section = options.getByRole('region', { name: 'Memory' });
    await section.getByLabel('Endpoint URL').fill(`${llm.url}/v1`);
    await section.getByLabel('Model', { exact: true }).fill(summaryModel);
    await section.getByLabel('API key').fill(key);
    await section.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');
    await expect.poll(() => section.getByText('A key is saved on this device').count()).toBe(1);
    // The page never gets the key back.
    expect(await section.getByLabel('API key').inputValue()).toBe('');
    await section.getByRole('button', { name: 'Test' }).click();
    // The test LLM echoes what it was asked: the tiny chat, summarised "by the model".
    await expect.poll(() => section.getByRole('status').textContent(), { timeout: 30_000 }).toMatch(/^The model answered: Echo: [\s\S]*lantern/);
    await options.close();

    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer who remembers everything.');
    const padding = 'We walked along the grey shore and talked about the tides, the gulls and the weather again.';
    for (let i = 1; i <= 30; i++) await turn(i === 3 ? FACT : `Turn ${i}: ${padding}`, i);

    await openPanel(page);
    await openSection(page, 'Memory');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    await expect.poll(() => panel.getByRole('list', { name: 'Summaries' }).textContent(), { timeout: 30_000 }).toContain('by a model');

    // The test's request and the chat's summaries: non-streaming, to the summary model, with the key.
    const summaries = llm.requests.filter(isSummaryRequest);
    expect(summaries.length).toBeGreaterThanOrEqual(2);
    for (const request of summaries) {
      expect(chatBodyOf(request)!.stream).toBe(false);
      expect(request.headers.authorization).toBe(`Bearer ${key}`);
    }
    expect(summaries.some((r) => texts(chatBodyOf(r)!).some((t) => t.includes('Harrowgate')))).toBe(true);
    // No chat request (nor anything else) carried the key.
    const chats = llm.requests.filter((r) => chatBodyOf(r)?.stream === true);
    expect(chats.length).toBeGreaterThanOrEqual(30);
    const carriesKey = (r: (typeof llm.requests)[number]) => JSON.stringify(r.headers).includes(key) || r.rawBody.includes(key) || r.path.includes(key);
    expect(chats.filter(carriesKey)).toEqual([]);
    expect(llm.requests.filter((r) => !isSummaryRequest(r) && carriesKey(r))).toEqual([]);
  });
  it('summaries by the chat\'s own model when none is set in the options page: its endpoint, model and key, which no answer to the page and no stored setting holds', async () => {
    const key = 'sk-troupe-e2e-chat-key-51c0';
    /** Troupe's summary requests (NextChat's own titles and summaries ask otherwise). */
    const isTroupeSummary = (r: (typeof llm.requests)[number]) => {
      const body = chatBodyOf(r);
      return body?.stream === false && contentText(body.messages[0]?.content).startsWith('You write the long-term memory');
    };
    const carriesKey = (r: (typeof llm.requests)[number]) => JSON.stringify(r.headers).includes(key) || r.rawBody.includes(key) || r.path.includes(key);

    // The setting is there, on by default, and says what it costs.
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const section = options.getByRole('region', { name: 'Memory' });
    const setting = section.getByLabel('Summarise with the chat\'s own model');
    await expect.poll(() => setting.isChecked()).toBe(true);
    expect(await section.getByText(/API key or access code NextChat sends there: about 4\.4 extra requests per 100 messages/).count()).toBe(1);

    // NextChat in custom-endpoint mode: it posts to the test LLM directly, with its Bearer key. Its tab in
    // front, as when a person chats (a background tab renders a streamed reply only once it ends).
    await page.bringToFront();
    await openWithCharacter(page, `${stage.url}?endpoint=${encodeURIComponent(llm.url)}&key=${key}`, 'Mira', 'A cartographer who remembers everything.');
    const padding = 'We walked along the grey shore and talked about the tides, the gulls and the weather again.';
    let body: ChatBodyJson | null = null;
    for (let i = 1; i <= 30; i++) body = await turn(i === 3 ? FACT : `Turn ${i}: ${padding}`, i);
    const chatModel = body!.model;

    await openPanel(page);
    await openSection(page, 'Memory');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    await expect.poll(() => panel.getByRole('list', { name: 'Summaries' }).textContent(), { timeout: 30_000 }).toContain('by a model');
    await expect.poll(() => panel.getByLabel('Who writes summaries').textContent())
      .toBe(`New summaries are written by this chat's own model, ${chatModel} at ${new URL(llm.url).host}, with the key or access code NextChat sent.`);

    // The summaries went where the chat's requests go, to its model, with its key, and carry the chat.
    const summaries = llm.requests.filter(isTroupeSummary);
    expect(summaries.length).toBeGreaterThanOrEqual(1);
    for (const request of summaries) {
      expect(request.path).toBe('/v1/chat/completions');
      expect(request.headers.authorization).toBe(`Bearer ${key}`);
      expect(chatBodyOf(request)!.model).toBe(chatModel);
      expect(request.rawBody).not.toContain(key);
    }
    expect(summaries.some((r) => texts(chatBodyOf(r)!).some((t) => t.includes('Harrowgate')))).toBe(true);
    // The key went only to the endpoint NextChat was given it for: never through NextChat's server, never elsewhere in a request.
    expect(llm.requests.filter(carriesKey).every((r) => r.path === '/v1/chat/completions' && r.headers['x-stage-proxy'] === undefined && !r.rawBody.includes(key))).toBe(true);

    // Not in the panel, nor in any stored setting: only in the session area, which the browser drops when it closes.
    expect(await panel.textContent()).not.toContain(key);
    const areas = await browser.serviceWorker!.evaluate(async () => {
      const storage = (globalThis as unknown as { chrome: { storage: Record<'local' | 'sync' | 'session', { get(keys: null): Promise<unknown> }> } }).chrome.storage;
      return { local: JSON.stringify(await storage.local.get(null)), sync: JSON.stringify(await storage.sync.get(null)), session: JSON.stringify(await storage.session.get(null)) };
    });
    expect(areas.local).not.toContain(key);
    expect(areas.sync).not.toContain(key);
    expect(areas.session).toContain(key);

    // Turned off: the panel says the local summariser writes, and why.
    await options.bringToFront();
    await setting.uncheck();
    await expect.poll(() => section.getByRole('status').textContent()).toContain('Saved.');
    // ...and the chat's key is no longer kept, even for this session.
    const session = await browser.serviceWorker!.evaluate(async () => JSON.stringify(await (globalThis as unknown as { chrome: { storage: { session: { get(keys: null): Promise<unknown> } } } }).chrome.storage.session.get(null)));
    expect(session).not.toContain(key);
    await options.close();
    await page.reload();
    await openPanel(page);
    await openSection(page, 'Memory');
    await expect.poll(() => panel.getByLabel('Who writes summaries').textContent()).toContain('summarising with the chat\'s own model is turned off');
  });

  it("long-term memory: with Mira's switch on, a new chat with her gets a message pinned in another chat and what was said there when it is asked about", async () => {
    await page.bringToFront();
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer who remembers everything.');
    await turn(FACT, 1);
    await turn('The spare lantern is in the blue chest by the door.', 2);

    // Pin the lantern message from the Memory section, then let Mira remember her other chats.
    await openPanel(page);
    await openSection(page, 'Memory');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    const pick = panel.getByLabel('Pin a message');
    await expect.poll(() => pick.locator('option').allTextContents()).toContain('You: The spare lantern is in the blue chest by the door.');
    await chooseOption(pick, 'You: The spare lantern is in the blue chest by the door.');
    await panel.getByRole('button', { name: 'Pin message' }).click();
    await expect.poll(() => panel.getByRole('list', { name: 'Pinned facts' }).textContent()).toContain('The spare lantern is in the blue chest by the door.');
    const longTerm = panel.getByLabel('Long-term memory: Mira remembers their other chats');
    await longTerm.check();
    await expect.poll(() => panel.locator('#troupe-memory-long-term').textContent()).toContain("Facts pinned in Mira's other chats are always given here");

    // A new NextChat chat with Mira: NextChat sends nothing of the first chat.
    await startNewChat(page);
    await activate(page, 'Mira');
    const body = await turn('Where does my sister keep her bees?', 3);
    const sent = texts(body);
    expect(sent).toContain('[What Mira remembers from other chats]\n- The spare lantern is in the blue chest by the door.');
    const recalled = sent.find((t) => t.startsWith('[From earlier chats with Mira]'));
    expect(recalled).toContain(FACT);
    expect(sent.filter((t) => t === FACT)).toEqual([]);
    await openSection(page, 'Prompt inspector');
    await expect.poll(() => panel.getByLabel('Memory used').textContent()).toMatch(/from other chats: \d+ tokens of facts and \d+ passages? recalled\)\.$/);

    // Off again: the new chat knows only itself.
    await openSection(page, 'Memory');
    await longTerm.uncheck();
    await expect.poll(() => panel.locator('#troupe-memory-long-term').textContent()).toMatch(/^Off: Mira knows only this chat/);
    const alone = texts(await turn('And where is the lantern?', 4));
    expect(alone.some((t) => t.includes('blue chest'))).toBe(false);
  });
});

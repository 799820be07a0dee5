/**
 * The walking skeleton end to end, as a user would do it: the built extension in Debian's Chromium,
 * the NextChat stage page, the test LLM, real IndexedDB and the real MAIN-world interceptor.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, waitForSettledChat, startNewChat, typeAndSend, lastBotText, chatBodyOf, echoReply, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, isUserTurn, createCharacter, eventually, openChatOnPhone, openPanel, openSection, panelBody, panelToggle, readChatLog, setDebugSetting } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts));


/** The bodies the stage page handed to window.fetch, in order (the stage records them, as a test double). */
const sentByPage = (p: Page) => p.evaluate(() => (window as unknown as { __stageSent?: { url: string; body: string }[] }).__stageSent ?? []);

async function characterChat(url: string, name: string, description: string) {
  await page.goto(url);
  await waitForSettledChat(page);
  await openPanel(page);
  await createCharacter(page, name, description);
  await activate(page, name);
}

describe('a character in a NextChat chat', () => {
  it('proxy mode: the character leads the request, the user message is intact, the reply shows unchanged and is remembered', async () => {
    await characterChat(stage.url, 'Mira', '{{char}} is a cartographer who answers in riddles.');
    await typeAndSend(page, 'Where does the river go?');

    const request = await llm.waitForRequest(isUserTurn('Where does the river go?'));
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers['x-stage-proxy']).toBeDefined();
    const body = chatBodyOf(request)!;
    expect(body.messages[0]).toEqual({ role: 'system', content: "Write Mira's next reply in a fictional chat between Mira and User." });
    expect(body.messages[1]).toEqual({ role: 'system', content: 'Mira is a cartographer who answers in riddles.' });
    // NextChat's own "You are ChatGPT" prompt is replaced by the character's.
    expect(JSON.stringify(body.messages)).not.toContain('You are ChatGPT');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'Where does the river go?' });
    expect(body).toMatchObject({ stream: true, model: 'gpt-4o-mini', temperature: 0.5, max_tokens: 4000 });

    // The page shows exactly what the LLM streamed.
    const reply = echoReply(body);
    await expect.poll(() => lastBotText(page).textContent()).toBe(reply);
    await expect.poll(() => page.locator(NC.status).count()).toBe(0);

    const log = await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === 1);
    expect(log[0]).toMatchObject({ userText: 'Where does the river go?', replyText: reply, status: 'done' });
    const sessionId = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    expect(log[0]!.chatKey).toBe(`${new URL(stage.url).origin}#${sessionId}`);
    await expect.poll(() => page.getByText('1 reply remembered in this chat').count()).toBe(1);
  });

  it('custom-endpoint mode: the same rewrite reaches the user\'s own endpoint with its Authorization header', async () => {
    const url = `${stage.url}?endpoint=${encodeURIComponent(llm.url)}&key=sk-test-123`;
    await characterChat(url, 'Bo', 'A retired sailor.');
    await typeAndSend(page, 'Tell me about the sea');

    const request = await llm.waitForRequest(isUserTurn('Tell me about the sea'));
    expect(request.headers.authorization).toBe('Bearer sk-test-123');
    expect(request.headers['x-stage-proxy']).toBeUndefined();
    const body = chatBodyOf(request)!;
    expect(body.messages[0]!.content).toBe("Write Bo's next reply in a fictional chat between Bo and User.");
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'Tell me about the sea' });
    await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(chatBodyOf(request)!));
    await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === 1 && rows[0]!.replyText === echoReply(chatBodyOf(request)!));
  });

  it('leaves other chats alone: a new chat without a character sends NextChat\'s body byte for byte', async () => {
    await characterChat(stage.url, 'Mira', 'A cartographer.');
    await startNewChat(page);
    await expect.poll(() => page.getByText('No character in this chat').count()).toBe(1);
    await typeAndSend(page, 'Plain question');

    const request = await llm.waitForRequest(isUserTurn('Plain question'));
    const sent = (await sentByPage(page)).filter((s) => s.body.includes('Plain question'));
    expect(sent).toHaveLength(1);
    expect(request.rawBody).toBe(sent[0]!.body);
    expect(request.rawBody).toContain('You are ChatGPT');
    await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(chatBodyOf(request)!));
    expect(await readChatLog(browser.serviceWorker!)).toEqual([]);
  });

  it('title requests pass untouched even in a character chat', async () => {
    await characterChat(stage.url, 'Mira', 'A cartographer.');
    await typeAndSend(page, 'A long enough first message so that NextChat asks for a title of this conversation right after the reply arrives, as it does past fifty tokens or so.');
    const title = await llm.waitForRequest((r) => chatBodyOf(r)?.stream === false);
    const sent = (await sentByPage(page)).find((s) => s.body === title.rawBody);
    expect(sent).toBeDefined();
    // The echoed reply quotes the character prompt, so look at the roles, not the text.
    expect(chatBodyOf(title)!.messages.filter((m) => m.role === 'system')).toEqual([]);
  });

  it('fails open: with the interceptor forced to fail, NextChat\'s original request goes out and the panel says why', async () => {
    await characterChat(stage.url, 'Mira', 'A cartographer.');
    await setDebugSetting(browser.serviceWorker!, 'debug.breakInterceptor', true);
    await typeAndSend(page, 'Still there?');

    const request = await llm.waitForRequest(isUserTurn('Still there?'));
    const sent = (await sentByPage(page)).filter((s) => s.body.includes('Still there?'));
    expect(request.rawBody).toBe(sent[0]!.body);
    await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(chatBodyOf(request)!));
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/Troupe could not add the character to this request, so NextChat's original went out/);
  });
});

describe('chats and routes', () => {
  it('keeps each chat\'s character across chat switches and reloads, starting from the settings route', async () => {
    await page.goto(`${stage.url}#/settings`);
    await panelToggle(page).waitFor();
    await openPanel(page);
    await expect.poll(() => page.getByText('Open a chat in NextChat').count()).toBe(1);

    await page.goto(`${stage.url}#/chat`);
    await waitForSettledChat(page);
    await openPanel(page);
    await createCharacter(page, 'Mira', 'A cartographer.');
    await activate(page, 'Mira');
    const first = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');

    await startNewChat(page);
    await expect.poll(() => page.getByText('No character in this chat').count()).toBe(1);
    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${first}"]`).click();
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();

    await page.reload();
    await openPanel(page);
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();
    await typeAndSend(page, 'After a reload');
    const request = await llm.waitForRequest(isUserTurn('After a reload'));
    expect(chatBodyOf(request)!.messages[0]!.content).toContain("Mira's next reply");
  });
});

describe('the panel', () => {
  it('never covers the input or the send button, and follows NextChat\'s theme', async () => {
    await page.setViewportSize({ width: 1000, height: 560 });
    await page.goto(stage.url);
    await openPanel(page);
    const panel = await page.getByRole('complementary', { name: 'Troupe' }).boundingBox();
    for (const selector of [NC.input, NC.send]) {
      const target = (await page.locator(selector).boundingBox())!;
      const overlaps = panel!.x < target.x + target.width && target.x < panel!.x + panel!.width
        && panel!.y < target.y + target.height && target.y < panel!.y + panel!.height;
      expect(overlaps, `panel overlaps ${selector}`).toBe(false);
    }
    const themeOf = () => page.locator('troupe-panel').evaluate((host) => host.shadowRoot!.querySelector('.troupe')!.className);
    await page.goto(`${stage.url}?theme=dark`);
    await panelToggle(page).waitFor();
    await expect.poll(themeOf).toContain('dark');
    await page.goto(`${stage.url}?theme=light`);
    await panelToggle(page).waitFor();
    await expect.poll(themeOf).toContain('light');
  });

  it('beside the chat, hides no message and no header button: NextChat\'s messages reflow to its left', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await typeAndSend(page, 'A message long enough to reach across the whole width of the message list, so that a panel laid over the list would certainly cover the right end of it.');
    await page.locator(NC.status).waitFor({ state: 'detached' });
    await openPanel(page);
    const panel = (await panelBody(page).boundingBox())!;
    const overlaps = (box: { x: number; y: number; width: number; height: number }) =>
      panel.x < box.x + box.width && box.x < panel.x + panel.width && panel.y < box.y + box.height && box.y < panel.y + panel.height;
    for (const locator of [page.locator(NC.userRow).last(), page.locator(NC.botRow).last(), page.locator('.window-actions'), page.locator(NC.input), page.locator(NC.send)]) {
      const box = (await locator.boundingBox())!;
      expect(overlaps(box), `panel overlaps ${String(locator)}`).toBe(false);
    }
    // Closed, the messages have their whole width back.
    await panelToggle(page).click();
    await expect.poll(() => page.locator(NC.chatBody).evaluate((el) => getComputedStyle(el).paddingRight)).not.toBe('324px');
  });

  it('on a phone-sized window is a sheet over the chat that Close or Escape puts away', async () => {
    await openChatOnPhone(page, stage.url);
    await openPanel(page);
    const sheet = (await panelBody(page).boundingBox())!;
    expect(sheet.width).toBeGreaterThan(350);
    const input = (await page.locator(NC.input).boundingBox())!;
    expect(sheet.y + sheet.height).toBeLessThanOrEqual(input.y);
    await panelBody(page).getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => panelBody(page).count()).toBe(0);
    await openPanel(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => panelBody(page).count()).toBe(0);
  });

  it('refuses an empty name with a clear message and stores nothing', async () => {
    await page.goto(stage.url);
    await openPanel(page);
    await openSection(page, 'New character');
    await openSection(page, 'Characters');
    const form = page.getByRole('form', { name: 'New character' });
    await form.getByLabel('Name').fill('   ');
    await expect(form.getByRole('button', { name: 'Create character' }).isDisabled()).resolves.toBe(true);
    await expect(page.getByText('Your library is empty').count()).resolves.toBe(1);
  });
});

describe('pages that are not NextChat', () => {
  it('get no panel, and their requests pass through untouched', async () => {
    await setDebugSetting(browser.serviceWorker!, 'debug.detectTimeoutMs', 500);
    const notice = page.waitForEvent('console', (m) => m.text().includes('no NextChat landmarks'));
    await page.goto(stage.plainUrl);
    await notice;
    expect(await page.locator('troupe-panel').count()).toBe(0);
    const body = JSON.stringify({ messages: [{ role: 'user', content: 'hello from a plain page' }], stream: true });
    await page.evaluate(async ([url, b]) => { await (await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: b, headers: { 'content-type': 'application/json' } })).text(); }, [llm.url, body] as const);
    const request = await llm.waitForRequest((r) => r.rawBody.includes('hello from a plain page'));
    expect(request.rawBody).toBe(body);
  });
});

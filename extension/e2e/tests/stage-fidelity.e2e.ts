/**
 * The stage page behaves like the real NextChat v2.16.1: the trace recorded on it
 * (../shared/fixtures/nextchat/behaviour-trace.json) is replayed step by step on the stage, without
 * the extension, and each step must show the same routing events and landmark changes in the same order.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Launched } from '../harness/browser.ts';
import { startStage, type Stage } from '../harness/stage-server.ts';
import { chatBodyOf, contentText, echoReply, lastUserText, startTestLlm, type LoggedRequest, type TestLlm } from '../harness/test-llm.ts';
import {
  clickClearContext, clickMessageAction, editMessage, NC, NC_EDITING, openChat, openEditPrompt, readCurrentSession, readSentByPage,
  readChatStore, rowWithText, startNewChat, typeAndSend, waitForSettledChat, writeIdbValue, type PersistedMessage,
} from '../harness/stage-page.ts';
import { compareEvents, loadBehaviourTrace, readRecorded, traceRecorder, type TraceStep } from '../harness/behaviour-trace.ts';

const trace = loadBehaviourTrace();

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;

beforeAll(async () => {
  llm = await startTestLlm();
  stage = await startStage({ llmUrl: llm.url });
  browser = await launchChromium({});
});
afterAll(async () => {
  await browser?.close();
  await stage?.close();
  await llm?.close();
});
beforeEach(async () => {
  page = await browser.context.newPage();
  await page.addInitScript(traceRecorder);
});
afterEach(async () => { await page?.close(); });

function step(name: string): TraceStep {
  const found = trace.steps.find((s) => s.step.startsWith(name));
  if (!found) throw new Error(`the trace has no step starting "${name}"`);
  return found;
}

/** Waits until the events since `since` match the trace's step (nothing more may come later either). */
async function expectStep(name: string, since: number): Promise<number> {
  const expected = step(name).events;
  await expect.poll(async () => compareEvents(expected, await readRecorded(page, since)), { timeout: 5_000 }).toEqual([]);
  // A late extra event would be a difference too: look once more when the page's thread is next idle
  // (its timers and renders for this step have run by then).
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1_000 })));
  expect(compareEvents(expected, await readRecorded(page, since))).toEqual([]);
  return (await readRecorded(page)).length;
}

describe('the stage page replays the real NextChat trace', () => {
  it('first visit (with its one self-reload), send, New Chat, Just Start, switch, Back, reload', async () => {
    let documents = 0;
    page.on('domcontentloaded', () => { documents += 1; });
    await page.goto(stage.url);
    await waitForSettledChat(page);
    expect(documents - 1).toBe(trace.loadsDuringFirstVisit);
    let seen = await expectStep('first visit', 0);

    await typeAndSend(page, 'hello');
    await page.locator(NC.botRow).filter({ hasText: 'Echo: "hello"' }).waitFor();
    await page.locator(NC.status).waitFor({ state: 'detached' });
    seen = await expectStep('type "hello"', seen);

    await page.locator(NC.newChat).click();
    seen = await expectStep('press New Chat', seen);

    await page.locator(NC.justStart).click();
    seen = await expectStep('press Just Start', seen);

    await page.locator(`${NC.sessionItem}:not(${NC.selectedSession})`).click();
    seen = await expectStep('click the other session row', seen);

    await page.goBack();
    await expectStep('browser Back', seen);

    await page.reload();
    await expectStep('reload the page', 0);
  });

  it('never fires a hashchange of its own while routing', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await page.locator(NC.newChat).click();
    await page.locator(NC.justStart).click();
    await page.locator(NC.input).waitFor();
    const events = await readRecorded(page);
    expect(events.filter((e) => e.type === 'hashchange')).toEqual([]);
    expect(events.filter((e) => e.type === 'history.pushState').map((e) => e.url)).toEqual(['#/new-chat', '#/chat']);
  });
});

/** The next chat turn (not a title or summary request) whose new user message is `text`; earlier ones do not count. */
function turnSending(text: string): Promise<LoggedRequest> {
  const from = llm.requests.length;
  return llm.waitForRequest((r) => llm.requests.indexOf(r) >= from && chatBodyOf(r)?.stream === true && lastUserText(r) === text);
}

/** The request's conversation after NextChat's own system prompt: [role, text] pairs. */
function dialogue(req: LoggedRequest): Array<[string, string]> {
  return chatBodyOf(req)!.messages.filter((m) => m.role !== 'system').map((m) => [m.role, contentText(m.content)]);
}

/** The stored messages as [role, text] pairs. */
function stored(messages: PersistedMessage[]): Array<[string, string]> {
  return messages.map((m) => [m.role, typeof m.content === 'string' ? m.content : contentText(m.content as never)]);
}

/** Sends `text` as a person would and waits until its reply has streamed and been stored; returns the request. */
async function sendTurn(text: string): Promise<LoggedRequest> {
  const request = turnSending(text);
  await typeAndSend(page, text);
  const req = await request;
  await page.locator(NC.status).waitFor({ state: 'detached' });
  await expect.poll(async () => {
    const last = (await readCurrentSession(page))?.messages.at(-1);
    return last?.role === 'assistant' && !last.streaming && String(last.content).startsWith(`Echo: "${text}"`);
  }).toBe(true);
  return req;
}

/** How many calls the page has handed to window.fetch so far (chat turns, titles, summaries). */
async function sentCount(): Promise<number> {
  return (await readSentByPage(page)).length;
}

/** Lets the page's timers and renders run (a late request or store write would show after this). */
async function idle(): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 1_000 })));
}

/** A fresh chat with two exchanges: "alpha" and "bravo" and their echoed replies. */
async function chatWithTwoTurns(): Promise<PersistedMessage[]> {
  llm.reset();
  await openChat(page, stage.url);
  await startNewChat(page);
  await sendTurn('alpha');
  await sendTurn('bravo');
  const messages = (await readCurrentSession(page))!.messages;
  expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
  return messages;
}

// NextChat v2.16.1's app/components/chat.tsx (the Edit button's showPrompt, onDelete, onResend, the Clear
// Context action and ClearContextDivider) and app/store/chat.ts (onUserInput, getMessagesWithMemory).
describe('the stage page changes a chat as NextChat does (edit, delete, retry, clear context)', () => {
  it('Edit opens the prompt modal; Confirm changes the stored text under the same id, sends nothing, and the next request carries it', async () => {
    const [alpha, alphaReply, bravo, bravoReply] = await chatWithTwoTurns();

    // The modal, as ui-lib's showPrompt makes it: title "Edit", a 10-row textarea holding the text, Cancel and Confirm.
    const alphaRow = rowWithText(page, 'alpha', 'user');
    let modal = await openEditPrompt(page, alphaRow);
    await expect.poll(() => modal.locator(NC_EDITING.modalTitle).textContent()).toBe('Edit');
    const input = modal.locator(NC_EDITING.modalInput);
    expect(await input.inputValue()).toBe('alpha');
    expect(await input.getAttribute('rows')).toBe('10');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);

    // Cancel: nothing changes.
    await input.fill('alpha, cancelled');
    await modal.locator(NC_EDITING.modalCancel).click();
    await modal.waitFor({ state: 'detached' });
    await idle();
    expect((await readCurrentSession(page))!.messages).toEqual([alpha, alphaReply, bravo, bravoReply]);

    // Escape closes it too, without a change.
    modal = await openEditPrompt(page, alphaRow);
    await page.keyboard.press('Escape');
    await modal.waitFor({ state: 'detached' });

    const sentBefore = await sentCount();
    await editMessage(page, alphaRow, 'alpha, edited');
    // A bot message is edited the same way.
    await editMessage(page, rowWithText(page, String(bravoReply!.content), 'bot'), 'bravo reply, edited');
    await expect.poll(async () => (await readCurrentSession(page))!.messages).toEqual([
      { ...alpha, content: 'alpha, edited' },
      alphaReply,
      bravo,
      { ...bravoReply, content: 'bravo reply, edited' },
    ]);
    await rowWithText(page, 'alpha, edited', 'user').waitFor();
    await rowWithText(page, 'bravo reply, edited', 'bot').waitFor();
    await idle();
    expect(await sentCount()).toBe(sentBefore);

    const next = await sendTurn('charlie');
    expect(dialogue(next)).toEqual([
      ['user', 'alpha, edited'],
      ['assistant', String(alphaReply!.content)],
      ['user', 'bravo'],
      ['assistant', 'bravo reply, edited'],
      ['user', 'charlie'],
    ]);
  });

  it("Edit on a mask's context row changes the session's copy of the context, which the next request carries", async () => {
    llm.reset();
    await openChat(page, stage.url);
    await page.locator(NC.newChat).click();
    await page.locator('[class*="mask_mask-item__"]').filter({ hasText: 'Stage Tutor' }).locator('button').click();
    await page.locator(NC.input).waitFor();
    const contextRow = rowWithText(page, 'Ready when you are: what shall we study?', 'bot');
    await editMessage(page, contextRow, 'Ready: what shall we study today?');
    await expect.poll(async () => (await readCurrentSession(page))!.mask.context.map((m) => [m.id, m.content])).toEqual([
      ['stage-tutor-0', 'You are a patient tutor on the Troupe stage page. Answer in short sentences.'],
      ['stage-tutor-1', 'Ready: what shall we study today?'],
    ]);
    expect((await readCurrentSession(page))!.messages).toEqual([]);
    const next = await sendTurn('fractions');
    expect(dialogue(next)).toEqual([['assistant', 'Ready: what shall we study today?'], ['user', 'fractions']]);
  });

  it('Delete removes only that message (a user message keeps its reply) from the store and from the next request', async () => {
    const [alpha, alphaReply, bravo, bravoReply] = await chatWithTwoTurns();
    const sentBefore = await sentCount();

    await clickMessageAction(rowWithText(page, 'alpha', 'user'), 'Delete');
    await expect.poll(async () => (await readCurrentSession(page))!.messages).toEqual([alphaReply, bravo, bravoReply]);
    await rowWithText(page, 'alpha', 'user').waitFor({ state: 'detached' });
    await clickMessageAction(rowWithText(page, String(bravoReply!.content), 'bot'), 'Delete');
    await expect.poll(async () => (await readCurrentSession(page))!.messages).toEqual([alphaReply, bravo]);
    await idle();
    expect(await sentCount()).toBe(sentBefore);
    expect(alpha!.id).not.toBe(alphaReply!.id);

    const next = await sendTurn('charlie');
    expect(dialogue(next)).toEqual([['assistant', String(alphaReply!.content)], ['user', 'bravo'], ['user', 'charlie']]);
  });

  it('Retry deletes the user message and its reply and sends the text again as a new turn at the end (new ids)', async () => {
    const [alpha, alphaReply, bravo, bravoReply] = await chatWithTwoTurns();

    // Retry on a bot reply in the middle: it and the user message before it go; "alpha" is sent again
    // with the window computed after the deletion, and the new pair is appended after "bravo".
    let resent = turnSending('alpha');
    await clickMessageAction(rowWithText(page, String(alphaReply!.content), 'bot'), 'Retry');
    let req = await resent;
    expect(dialogue(req)).toEqual([['user', 'bravo'], ['assistant', String(bravoReply!.content)], ['user', 'alpha']]);
    await expect.poll(async () => stored((await readCurrentSession(page))!.messages)).toEqual([
      ['user', 'bravo'],
      ['assistant', String(bravoReply!.content)],
      ['user', 'alpha'],
      ['assistant', echoReply(chatBodyOf(req)!)],
    ]);
    let messages = (await readCurrentSession(page))!.messages;
    expect(messages[0]).toEqual(bravo);
    expect(messages[1]).toEqual(bravoReply);
    const oldIds = [alpha!.id, alphaReply!.id, bravo!.id, bravoReply!.id];
    expect(oldIds).not.toContain(messages[2]!.id);
    expect(oldIds).not.toContain(messages[3]!.id);
    const [, , alpha2, alpha2Reply] = messages;

    // Retry on a user message: it and the first reply after it go.
    resent = turnSending('bravo');
    await clickMessageAction(rowWithText(page, 'bravo', 'user'), 'Retry');
    req = await resent;
    expect(dialogue(req)).toEqual([['user', 'alpha'], ['assistant', String(alpha2Reply!.content)], ['user', 'bravo']]);
    await expect.poll(async () => stored((await readCurrentSession(page))!.messages.slice(2))).toEqual([
      ['user', 'bravo'],
      ['assistant', echoReply(chatBodyOf(req)!)],
    ]);
    messages = (await readCurrentSession(page))!.messages;
    expect(messages.slice(0, 2)).toEqual([alpha2, alpha2Reply]);
    expect([...oldIds, alpha2!.id, alpha2Reply!.id]).not.toContain(messages[2]!.id);
  });

  it("Pin appends the message (same id) to the session's mask context: the next request carries it before the window too", async () => {
    const [alpha, alphaReply, bravo, bravoReply] = await chatWithTwoTurns();
    await clickMessageAction(rowWithText(page, String(alphaReply!.content), 'bot'), 'Pin');
    await expect.poll(async () => (await readCurrentSession(page))!.mask.context).toEqual([alphaReply]);
    expect((await readCurrentSession(page))!.messages).toEqual([alpha, alphaReply, bravo, bravoReply]);
    const toast = page.locator('[class*="ui-lib_toast-content__"]').filter({ hasText: 'Pinned 1 messages to contextual prompts' });
    await toast.waitFor();
    // NextChat's toast goes away by itself after 3 s.
    await toast.waitFor({ state: 'detached' });
    // Shown twice: as a context row at the top (no actions) and where it was.
    await expect.poll(() => rowWithText(page, String(alphaReply!.content), 'bot').count()).toBe(2);
    const next = await sendTurn('charlie');
    expect(dialogue(next)).toEqual([
      ['assistant', String(alphaReply!.content)],
      ['user', 'alpha'],
      ['assistant', String(alphaReply!.content)],
      ['user', 'bravo'],
      ['assistant', String(bravoReply!.content)],
      ['user', 'charlie'],
    ]);
  });

  it('Clear Context marks the end of the chat: the next request carries no earlier message until the mark is reverted', async () => {
    const [alpha, alphaReply, bravo, bravoReply] = await chatWithTwoTurns();

    await clickClearContext(page);
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(4);
    // The divider follows the last message before the mark.
    const divider = page.locator(NC_EDITING.clearContextDivider);
    await divider.waitFor();
    expect(await divider.evaluate((el) => el.previousElementSibling?.querySelector('.markdown-body')?.textContent)).toBe(String(bravoReply!.content));
    expect(await divider.textContent()).toContain('Context Cleared');

    const after = await sendTurn('after the clear');
    expect(dialogue(after)).toEqual([['user', 'after the clear']]);
    expect((await readCurrentSession(page))!.messages.slice(0, 4)).toEqual([alpha, alphaReply, bravo, bravoReply]);

    // A click on the divider reverts the mark: the last 4 messages are sent again.
    await divider.click();
    await expect.poll(async () => 'clearContextIndex' in (await readCurrentSession(page))!).toBe(false);
    await divider.waitFor({ state: 'detached' });
    const afterReply = (await readCurrentSession(page))!.messages[5]!;
    const again = await sendTurn('again');
    expect(dialogue(again)).toEqual([
      ['user', 'bravo'],
      ['assistant', String(bravoReply!.content)],
      ['user', 'after the clear'],
      ['assistant', String(afterReply.content)],
      ['user', 'again'],
    ]);

    // The action is a toggle; the same toggle is bound to Ctrl+Shift+Backspace.
    await clickClearContext(page);
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(8);
    await clickClearContext(page);
    await expect.poll(async () => 'clearContextIndex' in (await readCurrentSession(page))!).toBe(false);
    await page.keyboard.press('Control+Shift+Backspace');
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(8);

    // Typing the chat command "clear" marks the context too, and sends nothing.
    await sendTurn('one more');
    const sentBefore = await sentCount();
    await typeAndSend(page, 'clear');
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(10);
    await idle();
    expect(await sentCount()).toBe(sentBefore);
    expect(await page.locator(NC.input).inputValue()).toBe('');
    expect(dialogue(await sendTurn('last'))).toEqual([['user', 'last']]);
  });

  it("the Clear Context action also drops NextChat's memory summary; the typed command \"clear\" keeps it", async () => {
    llm.reset();
    await openChat(page, stage.url);
    await startNewChat(page);
    // About 1,100 estimated tokens: over NextChat's 1,000-token threshold, so a summary is made after the reply.
    await page.locator(NC.input).fill('lorem '.repeat(730).trim());
    await page.locator(NC.send).click();
    await expect.poll(async () => (await readCurrentSession(page))?.memoryPrompt ?? '', { timeout: 15_000 }).toContain('Echo:');
    const memory = (await readCurrentSession(page))!.memoryPrompt;
    const carriesMemory = (req: LoggedRequest) => chatBodyOf(req)!.messages.some((m) => contentText(m.content).startsWith('This is a summary of the chat history'));

    await typeAndSend(page, 'clear');
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(2);
    const fresh = await sendTurn('fresh');
    expect(dialogue(fresh)).toEqual([['user', 'fresh']]);
    expect(carriesMemory(fresh)).toBe(false);
    expect((await readCurrentSession(page))!.memoryPrompt).toBe(memory);

    await clickClearContext(page);
    await expect.poll(async () => (await readCurrentSession(page))?.clearContextIndex).toBe(4);
    expect((await readCurrentSession(page))!.memoryPrompt).toBe('');
  });

  it('renders a window of a long chat, as NextChat does: its last 15 rows on opening, 15 more each time the person scrolls to the top', async () => {
    await openChat(page, stage.url);
    await typeAndSend(page, 'First message of a long chat');
    await expect.poll(() => page.locator(NC.status).count()).toBe(0);
    // Sixty messages in the chat, as NextChat's store keeps them (as its own sync or a backup import leaves it).
    const store = (await readChatStore(page))!;
    const session = store.state.sessions[store.state.currentSessionIndex]!;
    const sample = session.messages[0]!;
    session.messages = Array.from({ length: 60 }, (_, i) => ({ ...sample, id: `long-${i}`, role: i % 2 ? 'assistant' : 'user', content: `Long chat message ${i}` }));
    await writeIdbValue(page, 'chat-next-web-store', JSON.stringify(store));
    await page.reload();
    await waitForSettledChat(page);
    const shown = () => page.locator(`${NC.chatBody} > ${NC.botRow}, ${NC.chatBody} > ${NC.userRow}`).allTextContents();
    await expect.poll(async () => (await shown()).length).toBe(15);
    expect((await shown()).at(-1)).toContain('Long chat message 59');
    expect((await shown())[0]).toContain('Long chat message 45');
    await page.locator(NC.chatBody).evaluate((body) => { body.scrollTop = 0; body.dispatchEvent(new Event('scroll')); });
    await expect.poll(async () => (await shown()).length).toBe(30);
    expect((await shown())[0]).toContain('Long chat message 30');
  });
});

/**
 * Troupe against a hostile page: what a script sharing the page with Troupe's content script (or
 * holding it, after a compromise) can get from the background, and what a page's own requests get.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chatBodyOf, waitForSettledChat, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, createCharacter, openPanel } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts));

/** Runs `expression` in Troupe's isolated content-script world of `page` (over the DevTools protocol). */
async function inContentScript(target: Page, expression: string): Promise<unknown> {
  const cdp = await browser.context.newCDPSession(target);
  const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } ; name: string }> = [];
  cdp.on('Runtime.executionContextCreated', (event: { context: (typeof contexts)[number] }) => contexts.push(event.context));
  await cdp.send('Runtime.enable');
  const isolated = contexts.find((c) => c.auxData?.type === 'isolated' && c.name.length > 0);
  if (!isolated) throw new Error(`no isolated world among ${contexts.map((c) => `${c.name}/${c.auxData?.type}`).join(', ')}`);
  const result = await cdp.send('Runtime.evaluate', { expression, contextId: isolated.id, awaitPromise: true, returnByValue: true }) as { result: { value?: unknown }; exceptionDetails?: unknown };
  await cdp.detach();
  if (result.exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(result.exceptionDetails)}`);
  return result.result.value;
}

const ask = (type: string, payload: unknown = {}) =>
  `chrome.runtime.sendMessage({ troupe: 1, type: ${JSON.stringify(type)}, payload: ${JSON.stringify(payload)} })`;

describe('a content script (the part of Troupe a web page can reach)', () => {
  it('cannot get the pairing secret, exports, relay or site changes from the background', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    const answers = await inContentScript(page, `Promise.all([
      ${ask('sync.createLink')}, ${ask('sync.setRelay', { url: 'ws://127.0.0.2:1' })}, ${ask('library.export', { id: 'x', format: 'json' })},
      ${ask('origins.enable', { origin: 'http://evil.example' })}, ${ask('sillytavern.connect', { baseUrl: 'http://127.0.0.1:1' })},
    ])`) as Array<{ ok: boolean; error?: { code: string } }>;
    expect(answers.map((a) => a.error?.code)).toEqual(Array(5).fill('message/not-allowed'));
    // What the panel needs still works from there.
    expect(await inContentScript(page, ask('characters.list'))).toMatchObject({ ok: true });
  });

  it('still rewrites the chat as before for the user', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    await createCharacter(page, 'Mira', 'A cartographer.');
    await activate(page, 'Mira');
    await page.locator('textarea#chat-input').fill('Hi');
    await page.keyboard.press('Enter');
    const request = await llm.waitForRequest((r) => chatBodyOf(r)?.stream === true);
    expect(chatBodyOf(request)!.messages[0]!.content).toContain("Mira's next reply");
  });
});

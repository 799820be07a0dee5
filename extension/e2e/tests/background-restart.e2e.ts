/**
 * Chrome stops an extension's service worker after ~30 s without work, which closes every port to it.
 * A NextChat tab left open must keep working after that: the next request wakes the background and
 * gets the character, and the panel hears about changes again. Stopped here on purpose through the
 * DevTools protocol, as Chrome would when idle.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitForSettledChat, typeAndSend, chatBodyOf, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, createCharacter, isUserTurn, openPanel, openSection, panelBody } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';
import { stopExtensionWorker } from '../harness/service-worker.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts));

/** Stops the extension's service worker as Chrome does when it is idle, and waits until it stopped. */
const stopBackground = () => stopExtensionWorker(browser.context, page);

describe('after the background\'s service worker stopped', () => {
  it('the next request still carries the character, and the panel shows the reply and the new inspector report', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    await openPanel(page);
    const panel = panelBody(page);
    await createCharacter(page, 'Mira', '{{char}} keeps the harbour maps.');
    await activate(page, 'Mira');

    await stopBackground();
    await typeAndSend(page, 'Still there?');
    const body = chatBodyOf(await llm.waitForRequest(isUserTurn('Still there?')))!;
    expect(body.messages[0]).toEqual({ role: 'system', content: 'Write Mira\'s next reply in a fictional chat between Mira and User.' });

    // Both come as events from the background, over the events port the request reopened.
    await expect.poll(() => page.getByText('1 reply remembered in this chat').count()).toBe(1);
    await openSection(page, 'Prompt inspector');
    await expect.poll(() => panel.getByRole('table', { name: 'Prompt parts' }).locator('tbody tr').count()).toBe(body.messages.length);
  });
});

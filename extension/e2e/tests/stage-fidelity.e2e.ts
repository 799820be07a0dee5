/**
 * The stage page behaves like the real NextChat v2.16.1: the trace recorded on it
 * (../shared/fixtures/nextchat/behaviour-trace.json) is replayed step by step on the stage, without
 * the extension, and each step must show the same routing events and landmark changes in the same order.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Launched } from '../harness/browser.ts';
import { startStage, type Stage } from '../harness/stage-server.ts';
import { startTestLlm, type TestLlm } from '../harness/test-llm.ts';
import { NC, typeAndSend, waitForSettledChat } from '../harness/stage-page.ts';
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

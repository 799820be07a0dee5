/**
 * The summarisation host in a real Chromium: the background creates the offscreen document on demand,
 * its one worker summarises locally (offline, the tokenizer tables loaded from the extension's files)
 * or asks a model endpoint first, and the API key reaches that endpoint only, in its Authorization
 * header. The summariser is called on the service worker's `__troupeTest` hook (e2e build only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from 'playwright-core';
import { chatBodyOf, contentText, launchChromium, startTestLlm, type Launched, type TestLlm } from '../harness/index.ts';
import type { SummaryRequest, SummaryResult } from '../../messaging/protocols/offscreen-protocol.ts';
import { PLANTED_FACT, roleplayChat } from '../../offscreen/test-support.ts';
import { stopExtensionWorker } from '../harness/service-worker.ts';
import { OFFSCREEN_SELF_CLOSE_MS } from '../../offscreen/idle-close.ts';
import { EXTENSION_DIR } from './troupe-page.ts';

let browser: Launched;
let sw: Worker;
let llmA: TestLlm;
let llmB: TestLlm;

beforeAll(async () => {
  [llmA, llmB] = await Promise.all([startTestLlm(), startTestLlm()]);
  browser = await launchChromium({ extensionDir: EXTENSION_DIR });
  sw = browser.serviceWorker!;
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([llmA?.close(), llmB?.close()]);
});

/** The parts of `chrome` these tests use in the service worker (the e2e project has no chrome types). */
type ChromeParts = {
  runtime: { getContexts(filter: { contextTypes: string[] }): Promise<{ documentUrl?: string }[]> };
  offscreen: { closeDocument(): Promise<void> };
};
type TestHook = { summarise(r: SummaryRequest): Promise<SummaryResult>; offscreen: { ensure(): Promise<void>; close(): Promise<void> } };

/** Runs the summariser in the service worker; returns its result (or its error's code and message) and the time it took. */
function summarise(request: SummaryRequest): Promise<{ result?: SummaryResult; error?: { code: string; message: string }; ms: number }> {
  return sw.evaluate(async (r) => {
    const hook = (globalThis as unknown as { __troupeTest: TestHook }).__troupeTest;
    const started = performance.now();
    try {
      const result = await hook.summarise(r);
      return { result, ms: performance.now() - started };
    } catch (e) {
      const error = e as { code: string; message: string };
      return { error: { code: error.code, message: error.message }, ms: performance.now() - started };
    }
  }, request);
}

/** The extension's offscreen documents, as Chrome lists them. */
function offscreenDocuments(): Promise<string[]> {
  return sw.evaluate(async () => {
    const { chrome } = globalThis as unknown as { chrome: ChromeParts };
    const contexts = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    return contexts.map((c) => c.documentUrl ?? '');
  });
}

/** DevTools target ids of the dedicated workers whose parent is the offscreen document. */
async function offscreenWorkers(): Promise<string[]> {
  const page = await browser.context.newPage();
  try {
    const cdp = await browser.context.newCDPSession(page);
    const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: { targetId: string; type: string; url: string; parentId?: string }[] };
    await cdp.detach();
    const documents = new Set(targetInfos.filter((t) => t.url.endsWith('/offscreen.html')).map((t) => t.targetId));
    return targetInfos.filter((t) => t.type === 'worker' && t.parentId !== undefined && documents.has(t.parentId)).map((t) => t.targetId);
  } finally {
    await page.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const job = (jobId: string, over: Partial<SummaryRequest> = {}): SummaryRequest => ({ jobId, messages: roleplayChat(40), targetTokens: 150, model: 'gpt-4o-mini', endpoint: null, ...over });

describe('offscreen summary host', () => {
  it('creates the offscreen document on demand; its worker summarises a 40-message chat locally and the planted fact survives', async () => {
    expect(await offscreenDocuments()).toEqual([]);
    const created = await sw.evaluate(async () => {
      const started = performance.now();
      await (globalThis as unknown as { __troupeTest: TestHook }).__troupeTest.offscreen.ensure();
      return performance.now() - started;
    });
    const documents = await offscreenDocuments();
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatch(/^chrome-extension:\/\/[a-p]{32}\/offscreen\.html$/);

    const { result, error, ms: coldMs } = await summarise(job('forty'));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ jobId: 'forty', source: 'local', messageIds: roleplayChat(40).map((m) => m.id) });
    expect(result!.text).toContain(PLANTED_FACT);
    expect(result!.tokens).toBeGreaterThan(0);
    expect(result!.tokens).toBeLessThanOrEqual(150);
    expect(result).not.toHaveProperty('modelError');
    // Local means no model was asked.
    expect(llmA.requests.length + llmB.requests.length).toBe(0);

    // One local summary of 20 messages, warm (document and tokenizer loaded), as the scheduler will see it.
    const warm: number[] = [];
    for (let i = 0; i < 7; i++) {
      const twenty = await summarise(job(`twenty-${i}`, { messages: roleplayChat(20) }));
      expect(twenty.result?.text).toContain(PLANTED_FACT);
      warm.push(twenty.ms);
    }
    // The work ran in the document's one dedicated worker, which stays one after eight jobs.
    expect(await offscreenWorkers()).toHaveLength(1);
    console.log(`[offscreen-summary] document created in ${created.toFixed(0)} ms; first 40-message summary (tokenizer table loaded) ${coldMs.toFixed(0)} ms; 20-message local summary, median of 7: ${median(warm).toFixed(1)} ms (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)})`);
  });

  it("uses the model's summary when an endpoint is given; the key reaches only that endpoint, in its Authorization header", async () => {
    const MODEL_TEXT = 'Aldric promised Rowan to return the silver compass by the winter solstice. They rested under a chestnut tree.';
    llmA.setReply(() => MODEL_TEXT);
    const keyA = 'sk-troupe-e2e-key-A';
    const { result, error } = await summarise(job('model-a', { endpoint: { url: llmA.url, model: 'summary-model', apiKey: keyA } }));
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ jobId: 'model-a', source: 'model', text: MODEL_TEXT });
    expect(result).not.toHaveProperty('modelError');

    expect(llmA.requests).toHaveLength(1);
    const [request] = llmA.requests;
    expect(request!.path).toBe('/v1/chat/completions');
    expect(request!.headers.authorization).toBe(`Bearer ${keyA}`);
    expect(request!.rawBody).not.toContain(keyA);
    const body = chatBodyOf(request!)!;
    expect(body).toMatchObject({ model: 'summary-model', stream: false });
    expect(contentText(body.messages[0]!.content)).toContain('third person');
    expect(contentText(body.messages[1]!.content)).toContain(PLANTED_FACT);

    // A failing model: the local summary is used and the reason given, without the key.
    llmA.setReply(() => ({ status: 500, body: `{"error":{"message":"upstream down for ${keyA}"}}` }));
    const failed = await summarise(job('model-a-down', { endpoint: { url: llmA.url, model: 'summary-model', apiKey: keyA } }));
    expect(failed.result).toMatchObject({ source: 'local', modelError: expect.stringContaining('answered 500') });
    expect(failed.result!.text).toContain(PLANTED_FACT);
    expect(failed.result!.modelError).not.toContain(keyA);

    // Another endpoint with its own key: each server saw its own key and nothing else.
    const keyB = 'sk-troupe-e2e-key-B';
    llmB.setReply(() => 'Rowan and Aldric walked to the old mill.');
    const other = await summarise(job('model-b', { endpoint: { url: `${llmB.url}/v1`, model: 'other-model', apiKey: keyB } }));
    expect(other.result).toMatchObject({ source: 'model', text: 'Rowan and Aldric walked to the old mill.' });
    expect(llmA.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${keyA}`, `Bearer ${keyA}`]);
    expect(llmB.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${keyB}`]);
    for (const r of [...llmA.requests, ...llmA.preflights]) expect(JSON.stringify(r)).not.toContain(keyB);
    for (const r of [...llmB.requests, ...llmB.preflights]) expect(JSON.stringify(r)).not.toContain(keyA);
    for (const r of [...llmA.preflights, ...llmB.preflights]) expect(r.headers.authorization).toBeUndefined();
  });

  it('makes the document again when it was closed behind the host, and after the host closed it', async () => {
    await sw.evaluate(() => (globalThis as unknown as { chrome: ChromeParts }).chrome.offscreen.closeDocument());
    expect(await offscreenDocuments()).toEqual([]);
    const again = await summarise(job('after-close', { messages: roleplayChat(20) }));
    expect(again.result).toMatchObject({ jobId: 'after-close', source: 'local' });
    expect(await offscreenDocuments()).toHaveLength(1);

    await sw.evaluate(() => (globalThis as unknown as { __troupeTest: TestHook }).__troupeTest.offscreen.close());
    expect(await offscreenDocuments()).toEqual([]);
    const recreated = await sw.evaluate(async () => {
      const started = performance.now();
      await (globalThis as unknown as { __troupeTest: TestHook }).__troupeTest.offscreen.ensure();
      return performance.now() - started;
    });
    expect(await offscreenDocuments()).toHaveLength(1);
    const third = await summarise(job('third', { messages: roleplayChat(20) }));
    expect(third.result?.text).toContain(PLANTED_FACT);
    console.log(`[offscreen-summary] document re-created in ${recreated.toFixed(0)} ms; first summary in the new document (new worker, tokenizer table loaded again) ${third.ms.toFixed(0)} ms`);
  });

  it('after Chrome stopped the service worker, the next summary adopts the document still open (same document, same worker)', async () => {
    await summarise(job('before-stop', { messages: roleplayChat(20) }));
    const workers = await offscreenWorkers();
    expect(workers).toHaveLength(1);
    await sw.evaluate(() => Object.assign(globalThis, { __beforeStop: true }));
    const page = await browser.context.newPage();
    await stopExtensionWorker(browser.context, page);
    // Opening one of Troupe's pages wakes the background again (its ports connect).
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => sw.evaluate(() => '__troupeTest' in globalThis && !('__beforeStop' in globalThis))).toBe(true);
    expect(await offscreenDocuments()).toHaveLength(1);
    const after = await summarise(job('after-restart', { messages: roleplayChat(20) }));
    expect(after.result?.text).toContain(PLANTED_FACT);
    expect(await offscreenWorkers()).toEqual(workers);
    await page.close();
  });

  it('a document left open when the service worker stopped closes itself once idle, and the next summary makes a new one', async () => {
    await summarise(job('before-orphan', { messages: roleplayChat(20) }));
    expect(await offscreenDocuments()).toHaveLength(1);
    const page = await browser.context.newPage();
    // The host's idle timer dies with the worker: only the document itself can close it now.
    await stopExtensionWorker(browser.context, page);
    const cdp = await browser.context.newCDPSession(page);
    const documentTargets = async () => ((await cdp.send('Target.getTargets')) as { targetInfos: { url: string }[] }).targetInfos.filter((t) => t.url.endsWith('/offscreen.html')).length;
    expect(await documentTargets()).toBe(1);
    await expect.poll(documentTargets, { timeout: OFFSCREEN_SELF_CLOSE_MS + 15_000, interval: 500 }).toBe(0);
    await cdp.detach();
    await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
    await expect.poll(() => sw.evaluate(() => '__troupeTest' in globalThis)).toBe(true);
    const again = await summarise(job('after-self-close', { messages: roleplayChat(20) }));
    expect(again.result?.text).toContain(PLANTED_FACT);
    expect(await offscreenDocuments()).toHaveLength(1);
    await page.close();
  }, OFFSCREEN_SELF_CLOSE_MS + 60_000);

  it('refuses an invalid request with a clear error, before anything is sent', async () => {
    const bad = await summarise(job('bad', { targetTokens: 0 }));
    expect(bad.error).toEqual({ code: 'summary/invalid-request', message: expect.stringContaining('targetTokens must be between 1 and') });
  });
});

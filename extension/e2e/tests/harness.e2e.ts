/**
 * Proves the e2e harness: the stage page behaves like NextChat v2.16 where Troupe looks (landmarks,
 * requests, storage), driven as a user would in Chromium without the extension.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium } from '../harness/browser.ts';
import type { Launched } from '../harness/browser.ts';
import { PROXY_MARK_HEADER, startStage } from '../harness/stage-server.ts';
import type { Stage } from '../harness/stage-server.ts';
import { chatBodyOf, lastUserText, startTestLlm } from '../harness/test-llm.ts';
import type { LoggedRequest, TestLlm } from '../harness/test-llm.ts';
import { lastBotText, NC, openChat, readChatStore, startNewChat, readIdbValue, readSentByPage, typeAndSend } from '../harness/stage-page.ts';

const WAIT = { timeout: 5_000 } as const;
const SUMMARIZE_PROMPT = 'Summarize the discussion briefly in 200 words or less to use as a prompt for future context.';
const TOPIC_PROMPT =
  'Please generate a four to five word title summarizing our conversation without any lead-in, punctuation, quotation marks, periods, symbols, bold text, or additional text. Remove enclosing quotation marks.';

const isChat = (r: LoggedRequest): boolean => chatBodyOf(r)?.stream === true;
const isTitle = (r: LoggedRequest): boolean => chatBodyOf(r)?.stream === false;

let llm: TestLlm;
let browser: Launched;
let stage: Stage;
let page: Page;

beforeAll(async () => {
  llm = await startTestLlm();
  browser = await launchChromium({});
});

afterAll(async () => {
  await browser?.close();
  await llm?.close();
});

beforeEach(async () => {
  llm.reset();
  // A new server is a new origin, so every test starts with NextChat's empty IndexedDB.
  stage = await startStage({ llmUrl: llm.url });
  page = await browser.context.newPage();
  page.setDefaultTimeout(10_000);
});

afterEach(async () => {
  await page?.close();
  await stage?.close();
});

describe('stage page in proxy mode', () => {
  it('sends NextChat\'s exact body and streams the reply into a bot row with a transient status', async () => {
    let release = (): void => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    llm.setReply(() => ({ chunks: ['Hello ', 'from ', 'the **stage** ', 'model.'], beforeChunk: (i) => (i === 2 ? held : undefined) }));
    await openChat(page, stage.url);
    expect(await page.locator(NC.botRow).first().locator(NC.text).textContent()).toBe('Hello! How can I assist you today?');

    await typeAndSend(page, 'Hello NextChat double');
    const req = await llm.waitForRequest(isChat);

    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers[PROXY_MARK_HEADER]).toBe('nextchat-server');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.accept).toBe('application/json, text/event-stream');
    const json = req.json as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['messages', 'stream', 'model', 'temperature', 'presence_penalty', 'frequency_penalty', 'top_p', 'max_tokens']);
    expect(json).toMatchObject({ stream: true, model: 'gpt-4o-mini', temperature: 0.5, presence_penalty: 0, frequency_penalty: 0, top_p: 1, max_tokens: 4000 });
    expect(req.rawBody.startsWith('{"messages":[{"role":"system","content":"\\nYou are ChatGPT, a large language model trained by OpenAI.\\nKnowledge cutoff: 2023-10\\nCurrent model: gpt-4o-mini\\nCurrent time: ')).toBe(true);
    const messages = chatBodyOf(req)?.messages ?? [];
    expect(messages.map((m) => Object.keys(m))).toEqual([['role', 'content'], ['role', 'content']]);
    expect(messages[0]?.content).toMatch(/\nLatex inline: \\\(x\^2\\\) \nLatex block: \$\$e=mc\^2\$\$\n\n$/);
    expect(messages[1]).toEqual({ role: 'user', content: 'Hello NextChat double' });
    // The proxy passes the page's body through byte for byte.
    expect(await readSentByPage(page)).toEqual([{ url: '/api/openai/v1/chat/completions', body: req.rawBody }]);

    // Held after two chunks: the reply is partly shown and the row says it is typing.
    const bot = page.locator(NC.botRow).last();
    await bot.locator(NC.status).waitFor(WAIT);
    expect(await bot.locator(NC.status).textContent()).toBe('Typing…');
    await expect.poll(() => bot.locator(NC.text).textContent(), WAIT).toBe('Hello from ');
    release();

    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    expect(await lastBotText(page).textContent()).toBe('Hello from the stage model.');
    expect(await lastBotText(page).innerHTML()).toContain('<strong>stage</strong>');
    expect(await page.locator(NC.userRow).locator(NC.text).allTextContents()).toEqual(['Hello NextChat double']);
    expect(await page.locator(NC.anyRow).count()).toBe(3);
    expect(await page.locator(NC.input).inputValue()).toBe('');
  });

  it('looks window.fetch up at call time and aborts its controller once the stream has closed', async () => {
    await openChat(page, stage.url);
    // Patched after the page loaded, as Troupe's content script may be: the page must still use it.
    await page.evaluate(() => {
      const original = window.fetch;
      const seen: AbortSignal[] = [];
      Object.assign(window, { stageSignals: seen });
      window.fetch = (input, init) => {
        if (init?.signal) seen.push(init.signal);
        return original(input, init);
      };
    });
    await typeAndSend(page, 'Through the patch');
    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    expect(await lastBotText(page).textContent()).toContain('Echo: "Through the patch"');
    await page.waitForFunction(() => {
      const signals = (window as unknown as { stageSignals: AbortSignal[] }).stageSignals;
      return signals.length === 1 && signals[0]?.aborted === true;
    }, undefined, WAIT);
  });

  it('persists the session to IndexedDB like NextChat and restores it on reload', async () => {
    await openChat(page, stage.url);
    await typeAndSend(page, 'Remember me');
    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    const sessionId = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{21}$/);

    await expect.poll(async () => (await readChatStore(page))?.state.sessions[0]?.messages.at(-1)?.streaming, WAIT).toBe(false);
    const saved = await readChatStore(page);
    expect(saved?.version).toBe(3.3);
    expect(saved?.state.currentSessionIndex).toBe(0);
    const session = saved?.state.sessions[0];
    expect(session?.id).toBe(sessionId);
    expect(session?.topic).toBe('New Conversation');
    expect(session?.mask.modelConfig).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.5, historyMessageCount: 4 });
    expect(session?.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Remember me'],
      ['assistant', expect.stringContaining('Echo: "Remember me"')],
    ]);
    expect(session?.messages[1]?.model).toBe('gpt-4o-mini');
    const config = await readIdbValue(page, 'app-config');
    expect(typeof config === 'string' && JSON.parse(config)).toMatchObject({ state: { theme: 'auto', modelConfig: { model: 'gpt-4o-mini' } } });

    await page.reload();
    await page.locator(NC.userRow).waitFor(WAIT);
    expect(await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id')).toBe(sessionId);
    expect(await page.locator(NC.userRow).locator(NC.text).textContent()).toBe('Remember me');
    expect(await lastBotText(page).textContent()).toContain('Echo: "Remember me"');
  });

  it('asks for a title with stream:false once the chat passes ~50 tokens and shows it as the topic', async () => {
    llm.setReply((r) => (isTitle(r) ? '"Stage Double Title."' : 'A reply long enough, together with the question, to pass fifty estimated tokens.'));
    await openChat(page, stage.url);
    await typeAndSend(page, 'Tell me a story about a theatre stage, a double, and a test that checks both of them carefully.');
    const title = await llm.waitForRequest(isTitle);

    const body = chatBodyOf(title);
    expect(body?.model).toBe('gpt-4o-mini');
    expect(body?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(lastUserText(title)).toBe(TOPIC_PROMPT);
    await expect.poll(() => page.locator(NC.title).textContent(), WAIT).toBe('Stage Double Title');
    expect(await page.locator(NC.selectedSession).locator('[class*="home_chat-item-title__"]').textContent()).toBe('Stage Double Title');
  });

  it('shows an error status from the LLM as an error in the bot row', async () => {
    llm.setReply(() => ({ status: 500, body: '{"error":{"message":"stage boom","type":"server_error"}}' }));
    await openChat(page, stage.url);
    await typeAndSend(page, 'This will fail');
    await expect.poll(() => lastBotText(page).textContent(), WAIT).toContain('stage boom');
    expect(await page.locator(NC.status).count()).toBe(0);
    await expect.poll(async () => (await readChatStore(page))?.state.sessions[0]?.messages.at(-1)?.isError, WAIT).toBe(true);
  });
});

describe('stage page long chats', () => {
  it('sends a history-summary request once the chat passes the compression threshold', async () => {
    await openChat(page, stage.url);
    // About 1,100 estimated tokens of letters: over NextChat's default 1,000-token threshold.
    // fill() inserts the text as one edit (typing 4,000 keys would take half a minute).
    await page.locator(NC.input).fill('lorem '.repeat(730).trim());
    await page.locator(NC.send).click();
    const summary = await llm.waitForRequest((r) => chatBodyOf(r)?.messages.at(-1)?.content === SUMMARIZE_PROMPT, 15_000);
    expect(chatBodyOf(summary)?.stream).toBe(true);
    expect(chatBodyOf(summary)?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system']);
    await expect.poll(async () => (await readChatStore(page))?.state.sessions[0]?.memoryPrompt, WAIT).toContain('Echo:');
  });
});

describe('stage page input and sessions', () => {
  it('sends what the page state holds: a native-setter value with an input event, never a bare .value', async () => {
    await openChat(page, stage.url);
    // Like React, a plain `.value =` is tracked and the following input event ignored: Send sends nothing.
    await page.locator(NC.input).evaluate((el: HTMLTextAreaElement) => {
      el.value = 'ignored by the controlled input';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator(NC.send).click();
    await page.locator(NC.input).evaluate((el: HTMLTextAreaElement) => {
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
      setter?.call(el, 'Set through the native setter');
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.locator(NC.send).click();

    const req = await llm.waitForRequest(isChat);
    expect(lastUserText(req)).toBe('Set through the native setter');
    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    expect(await page.locator(NC.userRow).locator(NC.text).allTextContents()).toEqual(['Set through the native setter']);
    expect(llm.requests.filter(isChat)).toHaveLength(1);
    expect(await page.locator(NC.input).inputValue()).toBe('');
  });

  it('sends on Enter and adds a newline on Shift+Enter', async () => {
    await openChat(page, stage.url);
    await page.locator(NC.input).click();
    await page.keyboard.type('line one');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('line two');
    await page.keyboard.press('Enter');
    const req = await llm.waitForRequest(isChat);
    expect(lastUserText(req)).toBe('line one\nline two');
  });

  it('creates a second session with its own id on New Chat and switches back on a sidebar click', async () => {
    await openChat(page, stage.url);
    await typeAndSend(page, 'First session');
    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    const firstId = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');

    await startNewChat(page);
    await expect.poll(() => page.locator(NC.sessionItem).count(), WAIT).toBe(2);
    const secondId = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    expect(secondId).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(secondId).not.toBe(firstId);
    expect(await page.locator(NC.sessionItem).first().getAttribute('data-rfd-draggable-id')).toBe(secondId);
    expect(await page.locator(NC.anyRow).count()).toBe(1);

    await typeAndSend(page, 'Second session');
    const req = await llm.waitForRequest((r) => isChat(r) && lastUserText(r) === 'Second session');
    expect(chatBodyOf(req)?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    await expect.poll(async () => (await readChatStore(page))?.state.sessions.map((s) => s.id), WAIT).toEqual([secondId, firstId]);

    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${firstId}"]`).click();
    await expect.poll(() => page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id'), WAIT).toBe(firstId);
    expect(await page.locator(NC.userRow).locator(NC.text).allTextContents()).toEqual(['First session']);
    await expect.poll(async () => (await readChatStore(page))?.state.currentSessionIndex, WAIT).toBe(1);
  });

  it('starts a chat from the built-in mask: context rows shown and sent after the system prompt', async () => {
    await openChat(page, stage.url);
    await page.goto(`${stage.url}#/masks`);
    await page.locator('[class*="mask_mask-item__"]', { hasText: 'Stage Tutor' }).getByRole('button').click();
    await page.locator(NC.input).waitFor(WAIT);
    expect(await page.locator(NC.title).textContent()).toBe('Stage Tutor');
    expect(await page.locator(NC.anyRow).count()).toBe(2);

    await typeAndSend(page, 'Teach me');
    const req = await llm.waitForRequest(isChat);
    expect(chatBodyOf(req)?.messages.map((m) => m.role)).toEqual(['system', 'system', 'assistant', 'user']);
    expect(chatBodyOf(req)?.messages[1]?.content).toContain('patient tutor');
    expect((req.json as { temperature?: number }).temperature).toBe(0.3);
  });
});

describe('stage page settings', () => {
  it('calls a custom endpoint directly with the Bearer key when preset by query, and the proxy again when unset', async () => {
    const url = `${stage.url}?endpoint=${encodeURIComponent(llm.url)}&key=sk-stage-test`;
    await openChat(page, url);
    await typeAndSend(page, 'Direct call');
    const direct = await llm.waitForRequest(isChat);
    expect(direct.path).toBe('/v1/chat/completions');
    expect(direct.headers.authorization).toBe('Bearer sk-stage-test');
    expect(direct.headers.origin).toBe(stage.url.replace(/\/$/, ''));
    expect(direct.headers[PROXY_MARK_HEADER]).toBeUndefined();
    expect(llm.preflights.length).toBeGreaterThan(0);
    await page.locator(NC.status).waitFor({ state: 'detached', ...WAIT });
    expect(await lastBotText(page).textContent()).toContain('Echo: "Direct call"');

    await page.goto(`${stage.url}#/settings`);
    await page.getByLabel('Custom Endpoint').uncheck();
    expect(await page.getByLabel('Endpoint URL').isHidden()).toBe(true);
    await page.goto(`${stage.url}#/chat`);
    await typeAndSend(page, 'Proxied call');
    const proxied = await llm.waitForRequest((r) => isChat(r) && lastUserText(r) === 'Proxied call');
    expect(proxied.headers[PROXY_MARK_HEADER]).toBe('nextchat-server');
    expect(proxied.headers.authorization).toBeUndefined();
    const access = await readIdbValue(page, 'access-control');
    expect(typeof access === 'string' && JSON.parse(access)).toMatchObject({ state: { useCustomConfig: false, openaiUrl: llm.url }, version: 2 });
  });

  it('puts the chosen theme class on <body> like NextChat', async () => {
    await page.goto(`${stage.url}#/settings`);
    await page.getByLabel('Theme').waitFor(WAIT);
    expect(await page.evaluate(() => document.body.className)).toBe('');
    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.body.className), WAIT).toBe('dark');
    await page.getByLabel('Theme').selectOption('light');
    await expect.poll(() => page.evaluate(() => document.body.className), WAIT).toBe('light');
  });

  it('serves a plain page without NextChat landmarks', async () => {
    await page.goto(stage.plainUrl);
    await page.getByLabel('Note').fill('hello');
    await page.getByRole('button', { name: 'Save' }).click();
    expect(await page.locator('#saved').textContent()).toBe('Saved: hello');
    expect(await page.locator(`${NC.input}, ${NC.chatBody}, ${NC.appBody}`).count()).toBe(0);
  });
});

describe('test LLM', () => {
  it('answers stream:false with one JSON completion and stream:true with SSE chunks ending in [DONE]', async () => {
    const body = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi there' }, { type: 'image_url' }] }], model: 'm1' };
    const plain = await fetch(`${llm.url}/v1/chat/completions`, { method: 'POST', body: JSON.stringify(body) });
    const json = (await plain.json()) as { choices: Array<{ message: { role: string; content: string }; finish_reason: string }>; usage: { total_tokens: number } };
    expect(plain.headers.get('access-control-allow-origin')).toBe('*');
    expect(json.choices[0]).toEqual({ index: 0, message: { role: 'assistant', content: 'Echo: "Hi there" (model=m1, messages=2, first=system:Be brief.)' }, finish_reason: 'stop' });
    expect(json.usage.total_tokens).toBeGreaterThan(0);

    const streamed = await fetch(`${llm.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
    expect(streamed.headers.get('content-type')).toBe('text/event-stream');
    const events = (await streamed.text()).split('\n\n').filter((e) => e.length > 0);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice('data: '.length)) as { object: string; choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }> });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(json.choices[0]?.message.content);
    expect(llm.requests.map((r) => r.path)).toEqual(['/v1/chat/completions', '/chat/completions']);
  });

  it('answers CORS preflights and logs them apart from requests', async () => {
    const res = await fetch(`${llm.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:1', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(llm.preflights).toHaveLength(1);
    expect(llm.requests).toHaveLength(0);
  });

  it('rejects waitForRequest with a readable message when nothing matches in time', async () => {
    await fetch(`${llm.url}/v1/models`);
    await expect(llm.waitForRequest((r) => r.method === 'DELETE', 50)).rejects.toThrow(/no matching request within 50 ms \(logged: GET \/v1\/models\)/);
  });
});

describe('launchChromium with an extension', () => {
  it('waits for the MV3 service worker, reports the extension id and removes its temporary profile on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'troupe-ext-'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'harness probe', version: '1.0', background: { service_worker: 'sw.js' } }));
    await writeFile(join(dir, 'sw.js'), 'self.addEventListener("install", () => {});');
    const withExtension = await launchChromium({ extensionDir: dir });
    try {
      expect(withExtension.extensionId).toMatch(/^[a-p]{32}$/);
      expect(withExtension.serviceWorker?.url()).toBe(`chrome-extension://${withExtension.extensionId}/sw.js`);
    } finally {
      await withExtension.close();
      await rm(dir, { recursive: true, force: true });
    }
    expect(existsSync(withExtension.userDataDir)).toBe(false);
  });
});

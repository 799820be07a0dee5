/**
 * A character speaks through every provider format NextChat v2.16 uses: OpenAI (the other e2e files),
 * Anthropic Messages and Google Gemini here, in proxy and custom-endpoint mode. The test LLM serves each
 * API as its vendor documents it; the stage page sends each as NextChat's own client builds it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { NC, chatBodyOf, contentText, echoReply, lastBotText, typeAndSend, type LoggedRequest, type Stage, type TestLlm } from '../harness/index.ts';
import { eventually, openSection, openWithCharacter, panelBody, readChatLog } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';
import type { Launched } from '../harness/index.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts));

const sentBy = (text: string) => (r: LoggedRequest) => {
  const body = chatBodyOf(r);
  return body?.stream === true && contentText(body.messages.findLast((m) => m.role === 'user')?.content).includes(text);
};

const miraChat = (query: string) => openWithCharacter(page, `${stage.url}?${query}`, 'Mira', '{{char}} keeps the harbour maps.');

describe('Anthropic (Claude)', () => {
  it('proxy mode: the character is the top-level system prompt, turns alternate, the reply is shown and remembered', async () => {
    await miraChat('provider=Anthropic&model=claude-3-5-sonnet-latest');
    await typeAndSend(page, 'Where is the lighthouse?');
    const request = await llm.waitForRequest(sentBy('Where is the lighthouse?'));
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-stage-proxy']).toBe('nextchat-server');
    const json = request.json as { system: string; messages: { role: string; content: string }[]; model: string; max_tokens: number; top_k: number };
    expect(json.system).toBe("Write Mira's next reply in a fictional chat between Mira and User.\n\nMira keeps the harbour maps.\n\n[Start a new Chat]");
    expect(json.messages.at(-1)).toEqual({ role: 'user', content: 'Where is the lighthouse?' });
    expect(json.messages[0]!.role).toBe('user');
    json.messages.forEach((m, i) => { if (i > 0) expect(m.role).not.toBe(json.messages[i - 1]!.role); });
    expect(json).toMatchObject({ model: 'claude-3-5-sonnet-latest', max_tokens: 4000, top_k: 5, stream: true });

    const reply = echoReply(chatBodyOf(request)!);
    await expect.poll(() => lastBotText(page).textContent()).toBe(reply);
    const log = await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === 1);
    expect(log[0]).toMatchObject({ userText: 'Where is the lighthouse?', replyText: reply, status: 'done' });

    // The second turn carries the first exchange, without NextChat's ";" fillers.
    await expect.poll(() => page.locator(NC.status).count()).toBe(0);
    await typeAndSend(page, 'And the harbour?');
    const second = (await llm.waitForRequest(sentBy('And the harbour?'))).json as { messages: { role: string; content: string }[] };
    expect(second.messages.slice(-3)).toEqual([
      { role: 'user', content: 'Where is the lighthouse?' }, { role: 'assistant', content: reply }, { role: 'user', content: 'And the harbour?' },
    ]);
    expect(second.messages.some((m) => m.content === ';')).toBe(false);
    // The inspector says which provider the prompt went through.
    await openSection(page, 'Prompt inspector');
    await expect.poll(() => panelBody(page).textContent()).toContain('claude-3-5-sonnet-latest via Anthropic (Claude)');
  });

  it('custom-endpoint mode: the rewrite goes to the user\'s own Anthropic URL with its x-api-key', async () => {
    await miraChat(`provider=Anthropic&model=claude-3-5-haiku-latest&endpoint=${encodeURIComponent(llm.url)}&key=sk-ant-test`);
    await typeAndSend(page, 'Hello Claude');
    const request = await llm.waitForRequest(sentBy('Hello Claude'));
    expect(request.headers['x-api-key']).toBe('sk-ant-test');
    expect(request.headers['x-stage-proxy']).toBeUndefined();
    expect((request.json as { system?: string }).system).toContain("Mira's next reply");
    await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(chatBodyOf(request)!));
  });
});

describe('Google (Gemini)', () => {
  it('proxy mode: the character is the systemInstruction, contents alternate user/model, the reply is shown and remembered', async () => {
    await miraChat('provider=Google&model=gemini-2.0-flash');
    await typeAndSend(page, 'Where is the lighthouse?');
    const request = await llm.waitForRequest(sentBy('Where is the lighthouse?'));
    expect(request.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
    const json = request.json as { systemInstruction: { parts: { text: string }[] }; contents: { role: string; parts: { text: string }[] }[]; generationConfig: unknown; safetySettings: unknown[] };
    expect(json.systemInstruction.parts[0]!.text).toBe("Write Mira's next reply in a fictional chat between Mira and User.\n\nMira keeps the harbour maps.\n\n[Start a new Chat]");
    expect(json.contents.at(-1)).toEqual({ role: 'user', parts: [{ text: 'Where is the lighthouse?' }] });
    json.contents.forEach((c, i) => { if (i > 0) expect(c.role).not.toBe(json.contents[i - 1]!.role); });
    expect(json.generationConfig).toMatchObject({ maxOutputTokens: 4000 });
    expect(json.safetySettings).toHaveLength(4);

    const reply = echoReply(chatBodyOf(request)!);
    await expect.poll(() => lastBotText(page).textContent()).toBe(reply);
    await expect.poll(() => page.locator(NC.status).count()).toBe(0);
    const log = await eventually(() => readChatLog(browser.serviceWorker!), (rows) => rows.length === 1);
    expect(log[0]).toMatchObject({ userText: 'Where is the lighthouse?', replyText: reply, status: 'done' });
  });

  it('custom-endpoint mode: the rewrite goes to the user\'s own Gemini URL with its x-goog-api-key', async () => {
    await miraChat(`provider=Google&model=gemini-1.5-pro&endpoint=${encodeURIComponent(llm.url)}&key=goog-test`);
    await typeAndSend(page, 'Hello Gemini');
    const request = await llm.waitForRequest(sentBy('Hello Gemini'));
    expect(request.headers['x-goog-api-key']).toBe('goog-test');
    expect(request.path).toBe('/v1beta/models/gemini-1.5-pro:streamGenerateContent?alt=sse');
    await expect.poll(() => lastBotText(page).textContent()).toBe(echoReply(chatBodyOf(request)!));
  });
});

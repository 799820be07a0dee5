import { describe, expect, it } from 'vitest';
import { createInterceptedFetch, type InterceptorDeps } from './fetch-interceptor.ts';

const CHAT_URL = '/api/openai/v1/chat/completions';
const chatBody = JSON.stringify({ messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Hi' }], stream: true, model: 'gpt-4o-mini' });
const titleBody = JSON.stringify({ messages: [{ role: 'user', content: 'Please generate a four to five word title' }], stream: false });
const sseReply = 'data: {"choices":[{"delta":{"content":"Hello"}}]}\n\ndata: [DONE]\n\n';

function setup(overrides: Partial<InterceptorDeps> = {}) {
  const sent: { input: RequestInfo | URL; init?: RequestInit }[] = [];
  const events: string[] = [];
  const deps: InterceptorDeps = {
    originalFetch: async (input, init) => {
      sent.push({ input, init });
      return new Response(sseReply, { headers: { 'content-type': 'text/event-stream' } });
    },
    pageUrl: () => 'http://127.0.0.1:3000/#/chat',
    isConnected: () => true,
    requestRewrite: async (_id, { body }) => JSON.stringify({ ...JSON.parse(body), messages: [{ role: 'system', content: 'CHARACTER' }, ...JSON.parse(body).messages] }),
    reportReply: (id, text, status) => events.push(`reply:${id}:${text}:${status}`),
    reportFailure: (id, message) => events.push(`failure:${id}:${message}`),
    newId: () => 'req-00000001',
    builtins: { parseJson: JSON.parse, Response, ReadableStream, TextDecoder },
    ...overrides,
  };
  return { fetch: createInterceptedFetch(deps), sent, events };
}

describe('createInterceptedFetch', () => {
  it('rewrites a chat turn and reports its reply once read', async () => {
    const { fetch, sent, events } = setup();
    const res = await fetch(CHAT_URL, { method: 'POST', body: chatBody, headers: { 'content-type': 'application/json' } });
    expect(await res.text()).toBe(sseReply);
    const body = JSON.parse(sent[0]!.init!.body as string);
    expect(body.messages[0]).toEqual({ role: 'system', content: 'CHARACTER' });
    expect(sent[0]!.init!.headers).toEqual({ 'content-type': 'application/json' });
    expect(events).toEqual(['reply:req-00000001:Hello:done']);
  });

  it.each([
    ['a title request', CHAT_URL, { method: 'POST', body: titleBody }],
    ['a GET', CHAT_URL, { method: 'GET' }],
    ['another API', '/api/anthropic/v1/messages', { method: 'POST', body: chatBody }],
    ['a non-JSON body', CHAT_URL, { method: 'POST', body: 'hello' }],
    ['a non-string body', CHAT_URL, { method: 'POST', body: new Blob([chatBody]) }],
  ])('passes %s through untouched (same init object)', async (_name, url, init) => {
    const { fetch, sent, events } = setup({ requestRewrite: async () => { throw new Error('must not be asked'); } });
    await fetch(url, init as RequestInit);
    expect(sent[0]!.init).toBe(init);
    expect(events).toEqual([]);
  });

  it('hands the isolated world the request\'s own Authorization header with a chat turn, and sends the request as the page made it', async () => {
    const asked: (string | null)[] = [];
    const { fetch, sent } = setup({ requestRewrite: async (_id, { authorization }) => { asked.push(authorization); return null; } });
    const headers = { 'Content-Type': 'application/json', Authorization: 'Bearer nk-code' };
    await fetch(CHAT_URL, { method: 'POST', body: chatBody, headers });
    await fetch(CHAT_URL, { method: 'POST', body: chatBody });
    expect(asked).toEqual(['Bearer nk-code', null]);
    expect(sent[0]!.init!.headers).toBe(headers);
  });

  it('passes through without asking while the isolated world is not connected', async () => {
    const init = { method: 'POST', body: chatBody };
    const { fetch, sent } = setup({ isConnected: () => false, requestRewrite: async () => { throw new Error('must not be asked'); } });
    await fetch(CHAT_URL, init);
    expect(sent[0]!.init).toBe(init);
  });

  it('sends the original byte-identical body when no character is active', async () => {
    const init = { method: 'POST', body: chatBody };
    const { fetch, sent, events } = setup({ requestRewrite: async () => null });
    await fetch(CHAT_URL, init);
    expect(sent[0]!.init).toBe(init);
    expect(events).toEqual([]);
  });

  it.each([
    ['the rewrite rejects', async () => { throw new Error('boom'); }, 'no-answer'],
    ['the rewrite is not JSON', async () => '{oops', 'invalid-rewrite'],
    ['the rewrite has no turns', async () => JSON.stringify({ messages: [] }), 'invalid-rewrite'],
    ['the rewrite\'s turns have no roles', async () => JSON.stringify({ messages: [{ content: 'x' }], stream: true }), 'invalid-rewrite'],
    ['the rewrite changes streaming', async () => JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], stream: false }), 'invalid-rewrite'],
  ])('fails open when %s: original request out, failure reported', async (_name, requestRewrite, reason) => {
    const init = { method: 'POST', body: chatBody };
    const { fetch, sent, events } = setup({ requestRewrite });
    const res = await fetch(CHAT_URL, init);
    expect(res.status).toBe(200);
    expect(sent[0]!.init).toBe(init);
    expect(events).toHaveLength(1);
    expect(events).toEqual([`failure:req-00000001:${reason}`]);
  });

  it('sends a rewrite that ends after the user message (post-history instructions, depth-0 notes)', async () => {
    const built = { messages: [{ role: 'system', content: 'CHARACTER' }, { role: 'user', content: 'Hi' }, { role: 'system', content: 'Stay in character.' }], stream: true, model: 'gpt-4o-mini' };
    const { fetch, sent, events } = setup({ requestRewrite: async () => JSON.stringify(built) });
    await (await fetch(CHAT_URL, { method: 'POST', body: chatBody })).text();
    expect(JSON.parse(sent[0]!.init!.body as string)).toEqual(built);
    expect(events).toEqual(['reply:req-00000001:Hello:done']);
  });

  it('rewrites an Anthropic turn in its own format and reads its typed stream', async () => {
    const claudeBody = JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }], stream: true, model: 'claude-3-5-sonnet', max_tokens: 4000 });
    const claudeReply = 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"Ahoy"}}\n\ndata: {"type":"message_stop"}\n\n';
    const routes: unknown[] = [];
    const { fetch, sent, events } = setup({
      originalFetch: async (input, init) => { sent.push({ input, init }); return new Response(claudeReply, { headers: { 'content-type': 'text/event-stream' } }); },
      requestRewrite: async (_id, { body, route }) => { routes.push(route); return JSON.stringify({ ...JSON.parse(body), system: 'CHARACTER' }); },
    });
    expect(await (await fetch('/api/anthropic/v1/messages', { method: 'POST', body: claudeBody })).text()).toBe(claudeReply);
    expect(routes).toEqual([{ provider: 'anthropic', format: 'anthropic', proxied: true }]);
    expect(JSON.parse(sent[0]!.init!.body as string).system).toBe('CHARACTER');
    expect(events).toEqual(['reply:req-00000001:Ahoy:done']);
  });

  it('asks about a provider it cannot write (so the panel can say so) and sends the original', async () => {
    const init = { method: 'POST', body: chatBody };
    const routes: unknown[] = [];
    const { fetch, sent } = setup({ requestRewrite: async (_id, { route }) => { routes.push(route); return null; } });
    await fetch('/api/baidu/rpc/2.0/ai_custom/v1/wenxinworkshop/chat/completions_pro', init);
    expect(sent[0]!.init).toBe(init);
    expect(routes).toEqual([{ provider: 'baidu', format: null, proxied: true }]);
  });

  it('leaves an error reply alone for NextChat to show', async () => {
    const { fetch, events } = setup({ originalFetch: async () => new Response('{"error":"bad key"}', { status: 401, headers: { 'content-type': 'application/json' } }) });
    const res = await fetch(CHAT_URL, { method: 'POST', body: chatBody });
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('{"error":"bad key"}');
    expect(events).toEqual([]);
  });
});

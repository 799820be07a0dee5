import { beforeAll, describe, expect, it, vi } from 'vitest';
import { bearerToken, chatEndpointReport, chatEndpointReporter, type SentChatRequest } from './chat-endpoint.ts';

const PAGE = 'http://127.0.0.1:3000/#/chat';
const CHAT = 'http://127.0.0.1:3000#s1';
const sent = (over: Partial<SentChatRequest> = {}): SentChatRequest => ({ url: '/api/openai/v1/chat/completions', model: 'gpt-4o-mini', format: 'openai', authorization: 'Bearer nk-code', ...over });

describe('chatEndpointReport', () => {
  it('reports the absolute URL, the model and the Bearer credential of an OpenAI-compatible chat request', () => {
    expect(chatEndpointReport(CHAT, sent(), PAGE)).toEqual({ chatKey: CHAT, url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', credential: 'nk-code' });
    expect(chatEndpointReport(CHAT, sent({ url: 'https://llm.example/v1/chat/completions', authorization: 'bearer  sk-direct-1 ' }), PAGE))
      .toEqual({ chatKey: CHAT, url: 'https://llm.example/v1/chat/completions', model: 'gpt-4o-mini', credential: 'sk-direct-1' });
    // No header (NextChat's server holds the key): reported without a credential.
    expect(chatEndpointReport(CHAT, sent({ authorization: null }), PAGE)?.credential).toBeNull();
    // A model name JSON-escaped in the body is read as text.
    expect(chatEndpointReport(CHAT, sent({ model: 'meta-llama\\/Llama-3' }), PAGE)?.model).toBe('meta-llama/Llama-3');
  });

  it('passes no credential on for providers whose requests cannot write summaries', () => {
    expect(chatEndpointReport(CHAT, sent({ url: '/api/anthropic/v1/messages', format: 'anthropic', model: 'claude-3-5-haiku', authorization: 'Bearer nk-code' }), PAGE))
      .toEqual({ chatKey: CHAT, url: 'http://127.0.0.1:3000/api/anthropic/v1/messages', model: 'claude-3-5-haiku', credential: null });
    expect(chatEndpointReport(CHAT, sent({ url: '/api/azure/deployments/gpt/chat/completions?api-version=1', authorization: 'Bearer sk-az' }), PAGE)?.credential).toBeNull();
  });

  it.each([
    ['a non-http address', sent({ url: 'javascript:alert(1)' })],
    ['an address with credentials', sent({ url: 'https://ann:pw@llm.example/v1/chat/completions' })],
    ['an address that is no chat request', sent({ url: '/api/config' })],
    ['a format the URL does not speak', sent({ format: 'anthropic' })],
    ['no model', sent({ model: '' })],
    ['a model with a line break', sent({ model: 'gpt\\nX' })],
    ['a model that is not a JSON string body', sent({ model: 'a"b' })],
  ])('reports nothing for %s', (_name, request) => {
    expect(chatEndpointReport(CHAT, request, PAGE)).toBeNull();
  });

  it('takes only a Bearer token of printable characters as a credential', () => {
    expect(bearerToken('Bearer sk-1')).toBe('sk-1');
    expect(bearerToken('Basic YW5uOnB3')).toBeNull();
    expect(bearerToken('Bearer ')).toBeNull();
    expect(bearerToken('Bearer sk-1\r\nX-Evil: 1')).toBeNull();
    expect(bearerToken(`Bearer ${'k'.repeat(5_000)}`)).toBeNull();
    expect(bearerToken(null)).toBeNull();
  });
});

// The test DOM has no idle callbacks: the page's idle time is "soon".
beforeAll(() => {
  if (!('requestIdleCallback' in globalThis)) {
    vi.stubGlobal('requestIdleCallback', (task: () => void) => setTimeout(task, 1));
    vi.stubGlobal('cancelIdleCallback', (handle: number) => clearTimeout(handle));
  }
});

describe('chatEndpointReporter', () => {
  it('reports when the page is idle, once per change of address, model or key, and again after a refusal', async () => {
    const calls: unknown[] = [];
    let refuse = false;
    const call = vi.fn(async (type: string, payload: unknown) => {
      calls.push([type, payload]);
      if (refuse) throw new Error('background gone');
      return null;
    });
    const report = chatEndpointReporter(call as never, () => PAGE, new AbortController().signal);
    report(CHAT, sent());
    expect(calls).toEqual([]);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual(['memory.chatEndpoint', { chatKey: CHAT, url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', credential: 'nk-code' }]);
    report(CHAT, sent());
    report(CHAT, sent({ authorization: 'Bearer nk-new-code' }));
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]).toMatchObject(['memory.chatEndpoint', { credential: 'nk-new-code' }]);
    refuse = true;
    report(CHAT, sent({ model: 'gpt-4o' }));
    await vi.waitFor(() => expect(calls).toHaveLength(3));
    refuse = false;
    // The refusal is settled (its catch ran) before the same request is seen again.
    await Promise.resolve();
    report(CHAT, sent({ model: 'gpt-4o' }));
    await vi.waitFor(() => expect(calls).toHaveLength(4));
    // Nothing that does not check out is sent.
    report(CHAT, sent({ url: 'file:///etc/passwd' }));
    report(CHAT, sent({ model: 'gpt-4o-mini' }));
    await vi.waitFor(() => expect(calls).toHaveLength(5));
    expect(calls[4]).toMatchObject(['memory.chatEndpoint', { model: 'gpt-4o-mini' }]);
  });
});

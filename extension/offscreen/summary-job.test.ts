import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerFor, type Tokenizer } from '@troupe/shared/tokens';
import type { SummaryRequest } from '../messaging/protocols/offscreen-protocol.ts';
import { fitToBudget, runSummaryJob } from './summary-job.ts';
import { PLANTED_FACT, roleplayChat } from './test-support.ts';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await tokenizerFor('gpt-4o-mini');
});

/** A fetch that records its calls and answers with `reply` (a chat-completions body, or a status). */
function fakeFetch(reply: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init: init ?? {} });
    return reply(String(input), init ?? {});
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const completion = (content: string) => new Response(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }), { status: 200, headers: { 'content-type': 'application/json' } });

const request = (over: Partial<SummaryRequest> = {}): SummaryRequest => ({ jobId: 'job-1', messages: roleplayChat(), targetTokens: 120, model: 'gpt-4o-mini', endpoint: null, ...over });
const endpoint = { url: 'http://127.0.0.1:9/v1', model: 'summary-model', apiKey: 'sk-secret-1234' };

describe('runSummaryJob without an endpoint', () => {
  it('summarises a 40-message chat locally, keeps the planted fact, stays in budget and asks no one', async () => {
    const { fetch, calls } = fakeFetch(() => completion('unused'));
    const result = await runSummaryJob(request(), { tokenizerFor, fetch });
    expect(result.source).toBe('local');
    expect(result.text).toContain(PLANTED_FACT);
    expect(result.tokens).toBe(tokenizer.count(result.text));
    expect(result.tokens).toBeLessThanOrEqual(120);
    expect(result.messageIds).toEqual(roleplayChat().map((m) => m.id));
    expect(result).not.toHaveProperty('modelError');
    expect(calls).toHaveLength(0);
  });

  it('returns an empty summary for messages with nothing to keep', async () => {
    const messages = [{ id: 'a', role: 'user' as const, name: '', text: 'ok' }, { id: 'b', role: 'assistant' as const, name: '', text: '...' }];
    const result = await runSummaryJob(request({ messages }), { tokenizerFor, fetch: fakeFetch(() => completion('x')).fetch });
    expect(result).toMatchObject({ text: '', tokens: 0, source: 'local', messageIds: ['a', 'b'] });
  });
});

describe('runSummaryJob with an endpoint', () => {
  it("uses the model's text, sent with the key only in the Authorization header of that endpoint", async () => {
    const { fetch, calls } = fakeFetch(() => completion('Aldric promised Rowan to return the silver compass by the winter solstice.'));
    const result = await runSummaryJob(request({ endpoint }), { tokenizerFor, fetch });
    expect(result).toMatchObject({ jobId: 'job-1', source: 'model', text: 'Aldric promised Rowan to return the silver compass by the winter solstice.' });
    expect(result.tokens).toBe(tokenizer.count(result.text));
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    expect((call!.init.headers as Record<string, string>).authorization).toBe('Bearer sk-secret-1234');
    expect(call!.init.body).not.toContain('sk-secret');
    const body = JSON.parse(call!.init.body as string) as { model: string; stream: boolean; messages: { role: string; content: string }[] };
    expect(body).toMatchObject({ model: 'summary-model', stream: false });
    expect(body.messages[1]!.content).toContain(`Rowan: *frowns* ${PLANTED_FACT}`);
  });

  it('cuts a model summary that is too long after its last whole sentence that fits', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `Sentence number ${i + 1} tells of the road north.`).join(' ');
    const result = await runSummaryJob(request({ endpoint, targetTokens: 40 }), { tokenizerFor, fetch: fakeFetch(() => completion(long)).fetch });
    expect(result.source).toBe('model');
    expect(result.tokens).toBeLessThanOrEqual(40);
    expect(result.text).toMatch(/^Sentence number 1 tells.*north\.$/);
  });

  it.each([
    ['an HTTP error (with the key cleaned out of it)', () => new Response('{"error":{"message":"Incorrect API key provided: sk-secret-1234"}}', { status: 401 }), /answered 401: .*Incorrect API key provided: \[key\]/],
    ['a network failure', () => Promise.reject(new TypeError('Failed to fetch')), /could not be reached: Failed to fetch/],
    ['a reply that is not JSON', () => new Response('<html>proxy error</html>', { status: 200 }), /not JSON/],
    ['a reply without text', () => new Response('{"choices":[]}', { status: 200 }), /no choices\[0\]\.message\.content/],
    ['an empty summary', () => completion('  <think>hmm</think>  '), /empty summary/],
  ])('falls back to the local summary on %s and says why', async (_name, reply, why) => {
    const result = await runSummaryJob(request({ endpoint }), { tokenizerFor, fetch: fakeFetch(reply).fetch });
    expect(result.source).toBe('local');
    expect(result.text).toContain(PLANTED_FACT);
    expect(result.modelError).toMatch(why);
    expect(result.modelError).not.toContain('sk-secret');
  });

  it('falls back when the model is slower than the timeout', async () => {
    const { fetch } = fakeFetch((_url, init) => new Promise<Response>((_resolve, reject) => {
      init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    }));
    const started = performance.now();
    const result = await runSummaryJob(request({ endpoint }), { tokenizerFor, fetch, modelTimeoutMs: 50 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result).toMatchObject({ source: 'local', modelError: 'The model did not answer within 50 ms.' });
  });
});

describe('fitToBudget', () => {
  it('keeps text that fits, cuts after whole sentences, and gives up when no sentence fits', () => {
    expect(fitToBudget('One. Two.', 10, tokenizer.count)).toBe('One. Two.');
    expect(fitToBudget('One two three. Four five six.', 5, tokenizer.count)).toBe('One two three.');
    expect(fitToBudget('A very long first sentence that cannot fit.', 2, tokenizer.count)).toBe('');
  });
});

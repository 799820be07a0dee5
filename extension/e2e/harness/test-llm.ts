/**
 * A deterministic chat server for end-to-end tests: OpenAI chat completions, Anthropic Messages
 * (`/v1/messages`) and Google Gemini (`/v1beta/models/{model}:streamGenerateContent`). It echoes what it received, so
 * a test can see exactly which prompt reached the model, and logs every request for assertions.
 * It also speaks OpenAI's audio API (`/v1/audio/transcriptions`, `/v1/audio/speech`; see test-audio.ts).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { closeServer, flatHeaders, HarnessError, listen } from './http-util.ts';
import { DEFAULT_WAIT_MS, ECHO_FIRST_CHARS, ECHO_STREAM_CHUNKS } from './limits.ts';
import { anthropicChat, anthropicEvents, anthropicMessage, geminiChat, geminiChunk } from './llm-formats.ts';
import type { ChatBodyJson, ChatMessageJson } from './llm-formats.ts';
import { readBodyBytes } from './http-util.ts';
import { createAudioEndpoints, type SpeechReply, type SpeechRequest, type SpeechScript, type TranscriptionRequest, type TranscriptScript } from './test-audio.ts';

export type { ChatBodyJson, ChatMessageJson } from './llm-formats.ts';
export { DEFAULT_TRANSCRIPT, MAX_SPEECH_INPUT_CHARS } from './test-audio.ts';
export type { AudioRawReply, SpeechReply, SpeechRequest, SpeechScript, TranscriptionRequest, TranscriptReply, TranscriptScript } from './test-audio.ts';

/** One request as the server saw it. `headers` has lower-case names; `json` is undefined when the body is not JSON. */
export interface LoggedRequest {
  method: string;
  /** The request target as sent (path plus query, if any). */
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  json: unknown;
  /** `Date.now()` at arrival. */
  at: number;
  /** Arrival on the wall clock with sub-millisecond precision (`performance.timeOrigin + performance.now()`), comparable with a page's. */
  atPrecise: number;
}

/** A scripted non-chat answer: any status, body and content type (errors, HTML, plain text). */
export interface RawReply {
  status: number;
  body: string;
  contentType?: string;
}

/**
 * A scripted streamed answer: each chunk becomes one SSE delta. `beforeChunk` runs (and is awaited)
 * before chunk `index` is written, so a test can hold a reply mid-stream without sleeping.
 * For a `stream:false` request the chunks are joined into one message.
 */
export interface StreamReply {
  chunks: string[];
  beforeChunk?: (index: number) => Promise<void> | void;
}

export type Reply = string | RawReply | StreamReply;

/** Decides the reply to one chat request. Return a string for a normal (streamed or JSON) answer. */
export type ReplyScript = (req: LoggedRequest) => Reply | Promise<Reply>;

export interface TestLlm {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Every non-preflight request, in arrival order. */
  readonly requests: readonly LoggedRequest[];
  /** CORS preflights (OPTIONS), kept apart so `requests` holds only real calls. */
  readonly preflights: readonly LoggedRequest[];
  /** The first logged request (already logged or future) matching `predicate`; rejects after `timeoutMs`. */
  waitForRequest(predicate: (req: LoggedRequest) => boolean, timeoutMs?: number): Promise<LoggedRequest>;
  /** Forgets logged requests (audio ones too) and every script: echo reply, default transcript, plain speech. Pending waiters keep waiting. */
  reset(): void;
  /** Scripts the replies to chat requests; no argument restores the echo reply. */
  setReply(script?: ReplyScript): void;
  /** Every transcription upload (`POST /v1/audio/transcriptions`), in arrival order. */
  readonly transcriptions: readonly TranscriptionRequest[];
  /** Every speech request (`POST /v1/audio/speech`), in arrival order. */
  readonly speeches: readonly SpeechRequest[];
  /**
   * Scripts transcripts: one text for every upload, a list served in order, or a function (return `''`
   * for an empty transcript, `{ status, body }` for an error). No argument restores DEFAULT_TRANSCRIPT.
   */
  setTranscript(script?: string | readonly string[] | TranscriptScript): void;
  /** Scripts speech answers: `{ delayMs }` before the first byte, `{ beforeAudio }` to hold, `{ raw }` to fail. */
  setSpeechReply(script?: SpeechScript | SpeechReply): void;
  close(): Promise<void>;
}

/** Which API a request was made to, from its path. */
export function wireFormatOf(req: LoggedRequest): 'openai' | 'anthropic' | 'gemini' | null {
  const pathname = new URL(req.path, 'http://127.0.0.1').pathname;
  if (pathname.endsWith('/chat/completions')) return 'openai';
  if (pathname.endsWith('/v1/messages')) return 'anthropic';
  if (/:(stream)?[gG]enerateContent$/.test(pathname)) return 'gemini';
  return null;
}

/**
 * The request's body as chat messages, whatever API it was made to (Anthropic's `system` and Gemini's
 * `systemInstruction` become a first system message; Gemini's `model` role is `assistant`); null when
 * it is not a chat request.
 */
export function chatBodyOf(req: LoggedRequest): ChatBodyJson | null {
  const format = wireFormatOf(req);
  if (format === 'anthropic') return anthropicChat(req.json);
  if (format === 'gemini') return geminiChat(req.json, req.path);
  const json = req.json;
  if (typeof json !== 'object' || json === null) return null;
  const messages = (json as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return null;
  return json as ChatBodyJson;
}

/** The text of a message's content: the string itself, or its text parts joined (image parts skipped). */
export function contentText(content: ChatMessageJson['content'] | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.filter((p) => p.type === 'text' && typeof p.text === 'string').map((p) => p.text).join('\n');
}

/** The text of the last user message of a chat request ('' when there is none). */
export function lastUserText(req: LoggedRequest): string {
  const body = chatBodyOf(req);
  const last = body?.messages.filter((m) => m.role === 'user').at(-1);
  return contentText(last?.content);
}

/**
 * The default reply: `Echo: "<last user text>" (model=<m>, messages=<n>, first=<role>:<first 40 chars>)`.
 * Whitespace runs in the quoted first message become one space so the reply stays on one line.
 */
export function echoReply(body: ChatBodyJson): string {
  const last = body.messages.filter((m) => m.role === 'user').at(-1);
  const first = body.messages[0];
  const firstText = contentText(first?.content).replace(/\s+/g, ' ').slice(0, ECHO_FIRST_CHARS);
  return `Echo: "${contentText(last?.content)}" (model=${body.model ?? '?'}, messages=${body.messages.length}, first=${first?.role ?? 'none'}:${firstText})`;
}

/** Splits a reply into at most ECHO_STREAM_CHUNKS pieces at word boundaries (never loses characters). */
export function splitIntoChunks(text: string, max = ECHO_STREAM_CHUNKS): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  if (words.length === 0) return [text];
  const per = Math.ceil(words.length / max);
  const chunks: string[] = [];
  for (let i = 0; i < words.length; i += per) chunks.push(words.slice(i, i + per).join(''));
  return chunks;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type, accept, x-requested-with, x-api-key, anthropic-version, anthropic-dangerous-direct-browser-access, x-goog-api-key',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-max-age': '600',
} as const;

function isRawReply(reply: Reply): reply is RawReply {
  return typeof reply === 'object' && 'status' in reply;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

interface Waiter {
  predicate: (req: LoggedRequest) => boolean;
  resolve: (req: LoggedRequest) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

function safeMatch(predicate: (req: LoggedRequest) => boolean, req: LoggedRequest): boolean {
  try {
    return predicate(req);
  } catch {
    return false;
  }
}

function describe(req: LoggedRequest): string {
  const body = chatBodyOf(req);
  const stream = body ? ` stream=${String(body.stream)}` : '';
  return `${req.method} ${req.path}${stream}`;
}

/**
 * Starts the test LLM on 127.0.0.1 (a free port unless `port` is given).
 * @example
 *   const llm = await startTestLlm();
 *   llm.setReply(() => ({ status: 500, body: '{"error":{"message":"boom"}}' }));
 *   const req = await llm.waitForRequest((r) => chatBodyOf(r)?.stream === true);
 */
export async function startTestLlm(opts: { port?: number } = {}): Promise<TestLlm> {
  const requests: LoggedRequest[] = [];
  const preflights: LoggedRequest[] = [];
  let waiters: Waiter[] = [];
  let script: ReplyScript | undefined;
  let completionCount = 0;

  const log = (entry: LoggedRequest): void => {
    requests.push(entry);
    const still: Waiter[] = [];
    for (const w of waiters) {
      if (safeMatch(w.predicate, entry)) {
        clearTimeout(w.timer);
        w.resolve(entry);
      } else {
        still.push(w);
      }
    }
    waiters = still;
  };

  const streamReply = async (res: ServerResponse, id: string, model: string, reply: StreamReply): Promise<void> => {
    res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    const created = Math.floor(Date.now() / 1000);
    const event = (delta: Record<string, string>, finish: string | null): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    for (const [index, chunk] of reply.chunks.entries()) {
      await reply.beforeChunk?.(index);
      if (res.destroyed) return;
      res.write(event(index === 0 ? { role: 'assistant', content: chunk } : { content: chunk }, null));
      // Let each event leave in its own TCP write, as a real model's tokens do.
      await new Promise((r) => setImmediate(r));
    }
    res.write(event({}, 'stop'));
    res.end('data: [DONE]\n\n');
  };

  const answerChat = async (res: ServerResponse, entry: LoggedRequest): Promise<void> => {
    const body = chatBodyOf(entry);
    if (!body) {
      sendJson(res, 400, { error: { message: 'body is not a chat-completions request', type: 'invalid_request_error' } });
      return;
    }
    completionCount += 1;
    const id = `chatcmpl-test-${completionCount}`;
    const model = body.model ?? 'unknown';
    const reply: Reply = script ? await script(entry) : echoReply(body);
    if (isRawReply(reply)) {
      res.writeHead(reply.status, { ...CORS_HEADERS, 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.body);
      return;
    }
    const stream: StreamReply = typeof reply === 'string' ? { chunks: splitIntoChunks(reply) } : reply;
    const format = wireFormatOf(entry);
    if (body.stream === true) {
      if (format === 'anthropic') await streamEvents(res, stream, anthropicEvents(id, model, stream.chunks), 3);
      else if (format === 'gemini') await streamEvents(res, stream, stream.chunks.map((c, i) => `data: ${JSON.stringify(geminiChunk(c, i === stream.chunks.length - 1))}\r\n\r\n`), 0);
      else await streamReply(res, id, model, stream);
      return;
    }
    for (const [index] of stream.chunks.entries()) await stream.beforeChunk?.(index);
    const content = stream.chunks.join('');
    if (format === 'anthropic') return sendJson(res, 200, anthropicMessage(id, model, content));
    // NextChat calls streamGenerateContent without alt=sse for whole replies: a JSON array of chunks.
    if (format === 'gemini') return sendJson(res, 200, entry.path.includes(':streamGenerateContent') ? [geminiChunk(content, true)] : geminiChunk(content, true));
    const promptChars = body.messages.reduce((n, m) => n + contentText(m.content).length, 0);
    const promptTokens = Math.ceil(promptChars / 4);
    const completionTokens = Math.ceil(content.length / 4);
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  };

  /** Writes pre-rendered SSE events; the reply's chunk `i` is event `i + offset` (events before it are preamble). */
  const streamEvents = async (res: ServerResponse, reply: StreamReply, events: string[], offset: number): Promise<void> => {
    res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    for (const [index, event] of events.entries()) {
      const chunk = index - offset;
      if (chunk >= 0 && chunk < reply.chunks.length) await reply.beforeChunk?.(chunk);
      if (res.destroyed) return;
      res.write(event);
      await new Promise((r) => setImmediate(r));
    }
    res.end();
  };

  const audio = createAudioEndpoints(CORS_HEADERS);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Bytes first: an audio upload is binary, and only the audio route reads it as such.
    const bodyBytes = await readBodyBytes(req);
    const rawBody = bodyBytes.toString('utf8');
    let json: unknown;
    try {
      json = rawBody.length > 0 ? JSON.parse(rawBody) : undefined;
    } catch {
      json = undefined;
    }
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: flatHeaders(req), rawBody, json, at: Date.now(), atPrecise: performance.timeOrigin + performance.now() };
    if (entry.method === 'OPTIONS') {
      preflights.push(entry);
      res.writeHead(204, CORS_HEADERS);
      res.end();
      return;
    }
    log(entry);
    const pathname = new URL(entry.path, 'http://127.0.0.1').pathname;
    if (entry.method === 'POST' && (pathname === '/v1/chat/completions' || pathname === '/chat/completions' || pathname === '/v1/messages' || /^\/v1beta\/models\/[^/]+:(stream)?[gG]enerateContent$/.test(pathname))) {
      await answerChat(res, entry);
      return;
    }
    if (entry.method === 'POST' && pathname === '/v1/audio/transcriptions') {
      await audio.transcribe(res, entry.headers, bodyBytes);
      return;
    }
    if (entry.method === 'POST' && pathname === '/v1/audio/speech') {
      await audio.speak(res, entry.json);
      return;
    }
    if (entry.method === 'GET' && (pathname === '/v1/models' || pathname === '/models')) {
      sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', owned_by: 'test-llm' }] });
      return;
    }
    sendJson(res, 404, { error: { message: `no route for ${entry.method} ${pathname}`, type: 'not_found' } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendJson(res, 500, { error: { message: err instanceof Error ? err.message : String(err), type: 'test_llm_error' } });
    });
  });
  const port = await listen(server, opts.port ?? 0);

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    preflights,
    waitForRequest(predicate, timeoutMs = DEFAULT_WAIT_MS) {
      const found = requests.find((r) => safeMatch(predicate, r));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w.timer !== timer);
          const seen = requests.map(describe).join('; ') || 'none';
          reject(new HarnessError('timeout', `test LLM: no matching request within ${timeoutMs} ms (logged: ${seen})`));
        }, timeoutMs);
        waiters.push({ predicate, resolve, reject, timer });
      });
    },
    reset() {
      requests.length = 0;
      preflights.length = 0;
      script = undefined;
      audio.reset();
    },
    setReply(next) {
      script = next;
    },
    transcriptions: audio.transcriptions,
    speeches: audio.speeches,
    setTranscript: audio.setTranscript,
    setSpeechReply: audio.setSpeechReply,
    async close() {
      for (const w of waiters) {
        clearTimeout(w.timer);
        w.reject(new HarnessError('closed', 'test LLM closed while waiting for a request'));
      }
      waiters = [];
      await closeServer(server);
    },
  };
}

/**
 * Asks an OpenAI-compatible chat-completions endpoint for a summary (non-streaming). Runs in the
 * summary worker. The API key goes only into this request's Authorization header, to the endpoint's
 * own URL: never into the URL or the body, never across a redirect, never back in an error text.
 */
import type { SummaryEndpoint, SummaryMessage } from '../messaging/protocols/offscreen-protocol.ts';
import { MAX_MODEL_ERROR_CHARS, MODEL_SUMMARY_TIMEOUT_MS } from '../messaging/protocols/offscreen-protocol.ts';

/**
 * `max_tokens` asked of the model, as a share of the target: the model counts with its own tokenizer,
 * which may count the same text 10-20% higher than ours; the text is fitted to the target afterwards.
 */
export const MODEL_MAX_TOKENS_FACTOR = 1.25;
/** Low temperature: a summary should repeat the chat's facts, not improvise. */
export const MODEL_SUMMARY_TEMPERATURE = 0.2;
/** Characters of an error response quoted in `modelError`: enough for the provider's reason. */
const ERROR_BODY_CHARS = 200;

/** Why the model's summary could not be used; `message` is safe to show and store (no key in it). */
export class ModelSummaryError extends Error {
  constructor(readonly code: 'model/timeout' | 'model/http' | 'model/network' | 'model/bad-reply' | 'model/empty', message: string) {
    super(message);
    this.name = 'ModelSummaryError';
  }
}

/**
 * The chat-completions URL for an endpoint address: a full `…/chat/completions` URL is kept, a base
 * URL gets `/v1/chat/completions` (or `/chat/completions` when it already ends in `/v1`).
 * @example chatCompletionsUrl('https://api.example.com/') // 'https://api.example.com/v1/chat/completions'
 */
export function chatCompletionsUrl(address: string): string {
  const url = new URL(address);
  const path = url.pathname.replace(/\/+$/, '');
  if (/\/chat\/completions$/.test(path)) url.pathname = path;
  else if (/\/v\d+$/.test(path)) url.pathname = `${path}/chat/completions`;
  else url.pathname = `${path}/v1/chat/completions`;
  return url.href;
}

/** The speaker label of a message in the transcript the model reads. */
const speaker = (message: SummaryMessage): string => message.name.trim() || message.role;

/**
 * The chat-completions messages that ask for a summary: an instruction (system) and the transcript
 * (user), one "Speaker: text" block per message.
 */
export function summaryPrompt(messages: readonly SummaryMessage[], targetTokens: number): { role: 'system' | 'user'; content: string }[] {
  const instruction = [
    'You write the long-term memory of a role-play chat. Summarise the part of the chat below.',
    'Keep every name, number, place, item, promise, debt and injury exactly as stated, and who they concern.',
    'Write in the third person and past tense, as plain sentences. Do not add anything that is not in the chat,',
    `no commentary and no preface. Use at most ${targetTokens} tokens; drop small talk first.`,
  ].join(' ');
  const transcript = messages.map((m) => `${speaker(m)}: ${m.text.trim()}`).join('\n\n');
  return [
    { role: 'system', content: instruction },
    { role: 'user', content: `The chat:\n\n${transcript}\n\nWrite the summary now.` },
  ];
}

/** Removes every occurrence of the key (and of its Bearer form) from a text that may be shown or stored. */
export function withoutKey(text: string, apiKey: string | undefined): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const clean = apiKey && apiKey.length >= 4 ? oneLine.split(apiKey).join('[key]') : oneLine;
  return clean.length > MAX_MODEL_ERROR_CHARS ? `${clean.slice(0, MAX_MODEL_ERROR_CHARS - 1)}…` : clean;
}

/** Reasoning models may think aloud before the answer: only the answer is a summary. */
function answerOnly(content: string): string {
  return content.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
}

export interface AskModelOptions {
  fetch: typeof fetch;
  timeoutMs?: number;
}

/**
 * Asks `endpoint` to summarise `messages` in at most `targetTokens`; returns the model's text as given
 * (the caller fits it to the budget). Throws ModelSummaryError on a timeout, a refused or failed
 * request, or a reply without text.
 */
export async function askModelForSummary(endpoint: SummaryEndpoint, messages: readonly SummaryMessage[], targetTokens: number, options: AskModelOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? MODEL_SUMMARY_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  const body = JSON.stringify({
    model: endpoint.model,
    messages: summaryPrompt(messages, targetTokens),
    stream: false,
    temperature: MODEL_SUMMARY_TEMPERATURE,
    max_tokens: Math.ceil(targetTokens * MODEL_MAX_TOKENS_FACTOR),
  });
  const clean = (text: string) => withoutKey(text, endpoint.apiKey);
  try {
    let response: Response;
    try {
      response = await options.fetch(chatCompletionsUrl(endpoint.url), {
        method: 'POST',
        headers,
        body,
        signal: controller.signal,
        // A redirect could carry the Authorization header to another server: refuse it instead.
        redirect: 'error',
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        cache: 'no-store',
      });
    } catch (error) {
      if (controller.signal.aborted) throw new ModelSummaryError('model/timeout', `The model did not answer within ${timeoutMs} ms.`);
      throw new ModelSummaryError('model/network', clean(`The model could not be reached: ${error instanceof Error ? error.message : String(error)}`));
    }
    let text: string;
    try {
      text = await response.text();
    } catch {
      if (controller.signal.aborted) throw new ModelSummaryError('model/timeout', `The model did not finish its answer within ${timeoutMs} ms.`);
      throw new ModelSummaryError('model/network', 'The model\'s answer was cut off.');
    }
    if (!response.ok) throw new ModelSummaryError('model/http', clean(`The model answered ${response.status}: ${text.slice(0, ERROR_BODY_CHARS)}`));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ModelSummaryError('model/bad-reply', clean(`The model's answer is not JSON: ${text.slice(0, ERROR_BODY_CHARS)}`));
    }
    const content = (json as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new ModelSummaryError('model/bad-reply', 'The model\'s answer has no choices[0].message.content text.');
    const answer = answerOnly(content);
    if (!answer) throw new ModelSummaryError('model/empty', 'The model answered with an empty summary.');
    return answer;
  } finally {
    clearTimeout(timer);
  }
}

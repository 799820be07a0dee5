/**
 * One summary job, as the summary worker runs it: the model first when the request names an endpoint,
 * the local extractive summariser when there is none or the model fails in any way. Pure apart from
 * the `fetch` and tokenizer it is given, so tests call it directly.
 */
import { MAX_SUMMARY_CHARS } from '@troupe/shared/docs';
import { splitSentences, summariseExtractive } from '@troupe/shared/memory';
import type { Tokenizer } from '@troupe/shared/tokens';
import type { SummaryRequest, SummaryResult } from '../messaging/protocols/offscreen-protocol.ts';
import { askModelForSummary, ModelSummaryError, withoutKey } from './model-summary.ts';

export interface SummaryJobDeps {
  /** The tokenizer of the chat's model (`tokenizerFor` from shared/tokens, with tables loaded the extension's way). */
  tokenizerFor: (model: string) => Promise<Tokenizer>;
  /** The worker's `fetch`; tests pass a fake. */
  fetch: typeof fetch;
  /** The model's time limit (MODEL_SUMMARY_TIMEOUT_MS unless a test shortens it). */
  modelTimeoutMs?: number;
}

/**
 * The longest start of `text`, cut after a whole sentence, that counts at most `budgetTokens` and
 * MAX_SUMMARY_CHARS characters; '' when not even its first sentence fits.
 */
export function fitToBudget(text: string, budgetTokens: number, count: (text: string) => number): string {
  if (text.length <= MAX_SUMMARY_CHARS && count(text) <= budgetTokens) return text;
  let fitted = '';
  let cursor = 0;
  for (const sentence of splitSentences(text)) {
    const at = text.indexOf(sentence, cursor);
    if (at < 0) break;
    cursor = at + sentence.length;
    const candidate = text.slice(0, cursor).trimEnd();
    if (candidate.length > MAX_SUMMARY_CHARS || count(candidate) > budgetTokens) break;
    fitted = candidate;
  }
  return fitted;
}

/**
 * Summarises `request.messages` within `request.targetTokens` (counted with the chat's tokenizer).
 * With an endpoint the model is asked first; on any failure (timeout, HTTP error, bad or empty reply,
 * nothing that fits) the local summariser writes the text and `modelError` says why.
 *
 * @example
 *   await runSummaryJob({ jobId: 'j1', messages, targetTokens: 200, model: 'gpt-4o-mini' }, { tokenizerFor, fetch })
 *   // -> { jobId: 'j1', text: 'Aldric: I promise to return the silver compass…', tokens: 17, source: 'local', messageIds: [...] }
 */
export async function runSummaryJob(request: SummaryRequest, deps: SummaryJobDeps): Promise<SummaryResult> {
  const tokenizer = await deps.tokenizerFor(request.model);
  const messageIds = request.messages.map((m) => m.id);
  const base = { jobId: request.jobId, messageIds };
  let modelError: string | undefined;

  if (request.endpoint) {
    try {
      const answer = await askModelForSummary(request.endpoint, request.messages, request.targetTokens, { fetch: deps.fetch, timeoutMs: deps.modelTimeoutMs });
      const text = fitToBudget(answer, request.targetTokens, tokenizer.count);
      if (!text) throw new ModelSummaryError('model/empty', `The model's summary has no sentence short enough for ${request.targetTokens} tokens.`);
      return { ...base, text, tokens: tokenizer.count(text), source: 'model' };
    } catch (error) {
      const reason = error instanceof ModelSummaryError ? error.message : `The model's summary failed: ${error instanceof Error ? error.message : String(error)}`;
      modelError = withoutKey(reason, request.endpoint.apiKey);
    }
  }

  const local = summariseExtractive(request.messages, { budgetTokens: request.targetTokens, countTokens: tokenizer.count });
  const text = fitToBudget(local.text, request.targetTokens, tokenizer.count);
  return { ...base, text, tokens: text ? tokenizer.count(text) : 0, source: 'local', ...(modelError === undefined ? {} : { modelError }) };
}

/**
 * The background's summariser: sends a summary job to the offscreen document's worker and returns the
 * checked result. Used by the memory scheduler off the chat request path; a job that fails or takes
 * too long rejects with a SummaryError and never holds up anything else.
 */
import {
  SUMMARY_JOB_TIMEOUT_MS,
  validateSummaryRequest,
  type SummaryRequest,
  type SummaryResult,
} from '../../messaging/protocols/offscreen-protocol.ts';
import { OffscreenError, type OffscreenHost } from './offscreen-host.ts';

export type { SummaryEndpoint, SummaryMessage, SummaryRequest, SummaryResult } from '../../messaging/protocols/offscreen-protocol.ts';

export type SummaryErrorCode =
  /** The request itself is wrong (a field is missing, too long, or of the wrong kind): nothing was sent. */
  | 'summary/invalid-request'
  /** No answer within the time limit; the job may still finish in the worker, but its result is dropped. */
  | 'summary/timeout'
  /** The offscreen document could not be created or did not start. */
  | 'summary/offscreen-unavailable'
  /** The document answered something that is not a valid result for this job. */
  | 'summary/bad-answer'
  /** The worker failed (it could not start, or the job threw). */
  | 'summary/failed';

/** Why a summary could not be made; `message` is readable, `cause` keeps the original error. */
export class SummaryError extends Error {
  constructor(readonly code: SummaryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SummaryError';
  }
}

export interface Summariser {
  /**
   * Summarises `request.messages` in at most `request.targetTokens` (the chat model's tokenizer):
   * with `request.endpoint`, its model first, else (or when it fails) locally. Rejects with SummaryError.
   */
  summarise(request: SummaryRequest): Promise<SummaryResult>;
}

export interface SummariserOptions {
  /** Time limit of one job, document start included (SUMMARY_JOB_TIMEOUT_MS). */
  timeoutMs?: number;
}

function asSummaryError(error: unknown, timeoutMs: number): SummaryError {
  if (error instanceof SummaryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof OffscreenError ? error.code : undefined;
  if (code === 'offscreen/timeout') return new SummaryError('summary/timeout', `The summary took longer than ${Math.round(timeoutMs / 1000)} s and was dropped.`, { cause: error });
  if (code === 'offscreen/unavailable' || code === 'offscreen/not-ready' || code === 'offscreen/gone') {
    return new SummaryError('summary/offscreen-unavailable', `Troupe could not start its summary worker: ${message}`, { cause: error });
  }
  if (code === 'offscreen/bad-answer') return new SummaryError('summary/bad-answer', message, { cause: error });
  if (code === 'message/invalid') return new SummaryError('summary/invalid-request', `The summary request was refused: ${message}`, { cause: error });
  return new SummaryError('summary/failed', `The summary failed: ${message}`, { cause: error });
}

/**
 * Makes the summariser on a host of the offscreen document (the background's is `offscreenHost()`).
 * @example
 *   const summariser = createSummariser(offscreenHost());
 *   const { text, source, modelError } = await summariser.summarise({ jobId: 's1', messages, targetTokens: 200, model: 'gpt-4o-mini', endpoint: null });
 */
export function createSummariser(host: OffscreenHost, options: SummariserOptions = {}): Summariser {
  const timeoutMs = options.timeoutMs ?? SUMMARY_JOB_TIMEOUT_MS;
  return {
    async summarise(input) {
      let request: SummaryRequest;
      try {
        request = validateSummaryRequest(input);
      } catch (error) {
        throw new SummaryError('summary/invalid-request', `The summary request was refused: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      let result: SummaryResult;
      try {
        result = await host.call('summary.run', request, { timeoutMs });
      } catch (error) {
        throw asSummaryError(error, timeoutMs);
      }
      // The answer must be this job's, covering exactly its messages.
      const expected = request.messages.map((m) => m.id);
      if (result.jobId !== request.jobId) throw new SummaryError('summary/bad-answer', `The summary answer is for job "${result.jobId}", not "${request.jobId}".`);
      if (result.messageIds.length !== expected.length || result.messageIds.some((id, i) => id !== expected[i])) {
        throw new SummaryError('summary/bad-answer', 'The summary answer covers other messages than the ones asked.');
      }
      if (result.tokens > request.targetTokens) throw new SummaryError('summary/bad-answer', `The summary counts ${result.tokens} tokens, over the ${request.targetTokens} asked.`);
      return result;
    },
  };
}

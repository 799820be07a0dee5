import { REPLY_PRIMING_TOKENS } from '../tokens/index.ts';
import type { Slot } from './assemble-slots.ts';
import type { AssembledPrompt } from './assemble-types.ts';
import { cannotFitMessage, replyReserve } from './budget.ts';
import type { ChatCompletionBody } from './types.ts';

/** How much of the history is kept, and what the prompt then costs. */
export interface HistoryFit {
  /** Index of the oldest kept history message (= how many were dropped). */
  keepFrom: number;
  /** Tokens of the whole prompt with that history, reply priming included. */
  total: number;
  /** False when even the fixed parts and the newest message are over `available`. */
  fits: boolean;
}

/** Tokens of the parts that are always sent (every part but the history), plus the reply priming. */
export function fixedTokens(groups: readonly Iterable<Slot>[], cost: (slot: Slot) => number): number {
  let fixed = REPLY_PRIMING_TOKENS;
  for (const group of groups) for (const slot of group) fixed += cost(slot);
  return fixed;
}

/** Counts each history message once and keeps the count on its slot, so the parts list does not count it again. */
export function countHistory(history: readonly Slot[], cost: (slot: Slot) => number): number[] {
  const tokens = history.map(cost);
  history.forEach((slot, i) => {
    slot.tokens = tokens[i];
  });
  return tokens;
}

/**
 * Keeps the newest history that fits beside the fixed parts, oldest dropped first. The newest message
 * (the user's turn) is always kept; when even it does not fit, nothing older is added and `fits` is false.
 */
export function fitHistory(fixed: number, historyTokens: readonly number[], available: number): HistoryFit {
  let keepFrom = historyTokens.length;
  let total = fixed;
  if (historyTokens.length > 0) {
    keepFrom = historyTokens.length - 1;
    total += historyTokens[keepFrom] ?? 0;
  }
  const fits = total <= available;
  if (fits) {
    while (keepFrom > 0) {
      const tokens = historyTokens[keepFrom - 1] ?? 0;
      if (total + tokens > available) break;
      total += tokens;
      keepFrom--;
    }
  }
  return { keepFrom, total, fits };
}

/** The context budget of one build: the window, the reply reserve, and what is left for the prompt. */
export interface ContextBudget {
  contextSize: number;
  reserved: number;
  available: number;
}

/** Splits the context between the prompt and the reply the request asks room for. */
export function contextBudget(body: ChatCompletionBody, contextSize: number): ContextBudget {
  const reserved = replyReserve(body, contextSize);
  return { contextSize, reserved, available: contextSize - reserved };
}

/** The `fit` report; a prompt that does not fit carries the sentence shown to the user. */
export function fitReport({ contextSize, reserved, available }: ContextBudget, { total, fits }: HistoryFit): AssembledPrompt['fit'] {
  return fits
    ? { contextSize, reserved, available, total, fits }
    : { contextSize, reserved, available, total, fits, message: cannotFitMessage(total, contextSize, reserved) };
}

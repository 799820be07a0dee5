import { DEFAULT_REPLY_RESERVE_TOKENS, MAX_REPLY_RESERVE_SHARE } from './limits.ts';
import type { ChatCompletionBody } from './types.ts';

const positive = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : null);

/**
 * Tokens to keep free for the reply: the request's `max_tokens` (or `max_completion_tokens`, which
 * NextChat sends for o-series models), else DEFAULT_REPLY_RESERVE_TOKENS, never more than
 * MAX_REPLY_RESERVE_SHARE of the context.
 *
 * @example replyReserve({ messages: [], max_tokens: 4000 }, 128_000) // 4000
 */
export function replyReserve(body: ChatCompletionBody, contextSize: number): number {
  const asked = positive(body['max_tokens']) ?? positive(body['max_completion_tokens']) ?? DEFAULT_REPLY_RESERVE_TOKENS;
  return Math.min(asked, Math.floor(contextSize * MAX_REPLY_RESERVE_SHARE));
}

const format = (n: number) => n.toLocaleString('en-US');

/** The sentence shown when even the prompt without any older history does not fit the context. */
export function cannotFitMessage(needed: number, contextSize: number, reserved: number): string {
  const available = contextSize - reserved;
  return (
    `The prompt needs ${format(needed)} tokens, but only ${format(available)} are free ` +
    `(context ${format(contextSize)} minus ${format(reserved)} kept for the reply), even with all older messages left out. ` +
    'It was sent as it is and the model may reject or cut it: shorten the card, the author\'s note or the lorebook budget, ' +
    'or raise the context size.'
  );
}

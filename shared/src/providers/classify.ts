import type { ChatCompletionBody } from '../prompt/types.ts';
import { messageText } from '../prompt/types.ts';

export type ChatRequestKind = 'chat' | 'title' | 'summary' | 'not-chat';

/** NextChat's title request prompt (English); `stream:false` catches the other locales. */
const TITLE_PROMPT_START = 'Please generate a four to five word title';
/** NextChat's history-summary prompt (English), sent as the last message. */
const SUMMARY_PROMPT_START = 'Summarize the discussion briefly';

/**
 * Sorts a request NextChat made (read into chat messages by its format's codec): a user's chat turn
 * (`chat`), its topic request (`title`), its history compression (`summary`), or anything else. Only
 * `chat` gets a character.
 *
 * Title requests are the only ones NextChat sends without streaming, except user turns to OpenAI's
 * reasoning models when a NextChat version sends those unstreamed (they carry `max_completion_tokens`).
 */
export function classifyTurn(view: ChatCompletionBody | null, raw: unknown = view): ChatRequestKind {
  const last = view?.messages.at(-1);
  if (!view || !last) return 'not-chat';
  const lastText = messageText(last);
  if (lastText.startsWith(SUMMARY_PROMPT_START)) return 'summary';
  if (lastText.startsWith(TITLE_PROMPT_START)) return 'title';
  if (view.stream !== true) {
    const reasoningTurn = typeof (raw as { max_completion_tokens?: unknown } | null)?.max_completion_tokens === 'number' && last.role === 'user';
    return reasoningTurn ? 'chat' : 'title';
  }
  // A summary in another locale ends with a system message; a user turn ends with the user. (Where the
  // format makes NextChat's system messages the user's, Anthropic and Gemini, the isolated world tells
  // the person's own turns from NextChat's summaries by what they submitted.)
  if (last.role !== 'user') return 'summary';
  return 'chat';
}

/** How many leading messages are NextChat's own injected system prompt (0 or 1). */
export function nextChatSystemPrefix(view: ChatCompletionBody): number {
  const first = view.messages[0];
  return first?.role === 'system' && typeof first.content === 'string' && NEXTCHAT_SYSTEM_PROMPT.test(first.content) ? 1 : 0;
}

/** NextChat's own system prompt for gpt-* models starts with this line (after a newline). */
const NEXTCHAT_SYSTEM_PROMPT = /^\s*You are ChatGPT, a large language model trained by OpenAI\./;

/**
 * True when `rewritten` may go out in place of the page's chat turn `original` (both read by the same
 * codec): chat messages with at least one user message, streamed the same way. What the last message
 * is does not matter: post-history instructions or a depth-0 note come after the user's message.
 */
export function isAcceptableRewrite(original: ChatCompletionBody | null, rewritten: ChatCompletionBody | null): boolean {
  if (!original || !rewritten) return false;
  return rewritten.stream === original.stream && rewritten.messages.some((m) => m.role === 'user');
}

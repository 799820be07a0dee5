/**
 * What NextChat's chat-completion traffic looks like (v2.16). Used by the MAIN-world interceptor to
 * decide, cheaply and without trusting the page, which requests are a user's chat turn.
 */
import type { ChatCompletionBody, ChatMessage } from '@troupe/shared/prompt';

/** Proxy mode `/api/openai/v1/chat/completions` and custom endpoints `{url}/v1/chat/completions`. */
const CHAT_COMPLETIONS_PATH = /\/chat\/completions\/?$/;

/** NextChat's title request prompt (English); the `stream:false` check catches other locales too. */
const TITLE_PROMPT_START = 'Please generate a four to five word title';
/** NextChat's history-summary prompt (English), sent as the last, system, message. */
const SUMMARY_PROMPT_START = 'Summarize the discussion briefly';
/** NextChat's own system prompt for gpt-* models starts with this line (after a newline). */
const NEXTCHAT_SYSTEM_PROMPT = /^\s*You are ChatGPT, a large language model trained by OpenAI\./;

/** True for a POST to an OpenAI-format chat-completion URL; `url` may be relative to `base`. */
export function isChatCompletionRequest(url: string, method: string | undefined, base: string): boolean {
  if ((method ?? 'GET').toUpperCase() !== 'POST') return false;
  try {
    return CHAT_COMPLETIONS_PATH.test(new URL(url, base).pathname);
  } catch {
    return false;
  }
}

export type ChatRequestKind = 'chat' | 'title' | 'summary' | 'not-chat';

/**
 * Sorts a parsed request body: a user's chat turn (`chat`), NextChat's topic request (`title`),
 * its history compression (`summary`), or anything else. Only `chat` gets a character.
 */
export function classifyChatBody(body: unknown): ChatRequestKind {
  if (!isChatCompletionBody(body)) return 'not-chat';
  const last = body.messages.at(-1);
  if (!last) return 'not-chat';
  const lastText = typeof last.content === 'string' ? last.content : '';
  if (last.role === 'system' && lastText.startsWith(SUMMARY_PROMPT_START)) return 'summary';
  if (lastText.startsWith(TITLE_PROMPT_START)) return 'title';
  // NextChat sends every user turn streamed; the title request is the one non-streamed call.
  if (body.stream !== true) return 'title';
  // A summary in another locale still ends with a system message; a user turn ends with the user.
  if (last.role !== 'user') return 'summary';
  return 'chat';
}

/**
 * True when `rewritten` is a chat turn Troupe may send in place of the page's `original` chat turn:
 * an OpenAI chat body, streamed the same way, with at least one user message. What the last message is
 * does not matter: post-history instructions, a depth-0 author's note or depth-0 lore come after the
 * user's message, as in SillyTavern.
 */
export function isAcceptableRewrite(original: unknown, rewritten: unknown): boolean {
  if (!isChatCompletionBody(original) || !isChatCompletionBody(rewritten)) return false;
  return rewritten.stream === original.stream && rewritten.messages.some((m) => m.role === 'user');
}

/** Structural check of an OpenAI chat body: an object whose `messages` all have a role and content. */
export function isChatCompletionBody(body: unknown): body is ChatCompletionBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const messages = (body as { messages?: unknown }).messages;
  return Array.isArray(messages) && messages.length > 0 && messages.every(isChatMessage);
}

function isChatMessage(value: unknown): value is ChatMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { role, content } = value as { role?: unknown; content?: unknown };
  return (role === 'system' || role === 'user' || role === 'assistant') && (typeof content === 'string' || Array.isArray(content));
}

/** How many leading messages are NextChat's own injected system prompt (0 or 1). */
export function nextChatSystemPrefix(messages: readonly ChatMessage[]): number {
  const first = messages[0];
  return first?.role === 'system' && typeof first.content === 'string' && NEXTCHAT_SYSTEM_PROMPT.test(first.content) ? 1 : 0;
}

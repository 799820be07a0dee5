/**
 * One NextChat request as a chat turn to rewrite, the same wherever the prompt is built (the page,
 * from a kit; the background, from its caches): read it, then write the built messages back in the
 * request's own format, checked.
 */
import type { ChatCompletionBody } from '../prompt/types.ts';
import { messageText } from '../prompt/types.ts';
import { classifyTurn, isAcceptableRewrite } from './classify.ts';
import { codecFor, type WireCodec } from './codec-registry.ts';
import { PROVIDER_NAMES, routeChatRequest, type WireFormat } from './route.ts';

export interface ChatTurn {
  /** The body as the page sent it, parsed. */
  original: unknown;
  codec: WireCodec;
  /** The body as chat messages. */
  chat: ChatCompletionBody;
  /** The new user message as plain text. */
  userText: string;
  url: string;
}

/**
 * The request as a chat turn, or null when it is not one (a title or summary request, another shape),
 * or when its newest user message is not `vouchedText` (the text the person was seen sending).
 * Throws on a body that is not JSON.
 */
export function readChatTurn(request: { body: string; url: string; format: WireFormat }, vouchedText?: string): ChatTurn | null {
  const original = JSON.parse(request.body) as unknown;
  const codec = codecFor(request.format);
  const chat = codec.read(original, request.url);
  if (!chat || classifyTurn(chat, original) !== 'chat') return null;
  const userMessage = chat.messages.findLast((m) => m.role === 'user');
  const userText = userMessage ? messageText(userMessage) : '';
  if (vouchedText !== undefined && vouchedText.trim() !== userText.trim()) return null;
  return { original, codec, chat, userText, url: request.url };
}

/** The turn's body with `built` in place of its messages, in its own format; throws when the result is not a chat request. */
export function writeChatTurn(turn: ChatTurn, built: ChatCompletionBody): string {
  const written = turn.codec.write(turn.original, built);
  if (!isAcceptableRewrite(turn.chat, turn.codec.read(written, turn.url))) {
    throw new Error('the prompt Troupe built is not a chat request, so NextChat\'s original went out');
  }
  return JSON.stringify(written);
}

/** NextChat's provider the turn goes through, by name ("Anthropic (Claude)"), from its URL and the chat's origin (chat keys are `origin#id`). */
export function providerNameOf(turn: ChatTurn, chatKey: string): string | null {
  const route = routeChatRequest(turn.url, 'POST', chatKey.slice(0, chatKey.indexOf('#')));
  return route ? PROVIDER_NAMES[route.provider] : null;
}

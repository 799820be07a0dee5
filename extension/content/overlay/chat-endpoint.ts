/**
 * Tells the background where the chat's requests go, with which model and credential, so the chat's
 * own model can write its summaries (issue #11). Only requests that went out with the character are
 * reported (the bridge has checked they go where NextChat sends chats and carry the person's turn),
 * and everything the MAIN world handed over is checked again here: it runs in the page's world, whose
 * scripts can replace the built-ins it uses. Sent when the page is idle, never on the request's way.
 */
import { routeChatRequest, type WireFormat } from '@troupe/shared/providers';
import { MAX_REQUEST_URL } from '../../messaging/limits/general.ts';
import { CHAT_SUMMARY_PROVIDERS, type ChatEndpointReport } from '../../messaging/protocols/memory-protocol.ts';
import { MAX_API_KEY, MAX_MODEL_NAME } from '../../messaging/protocols/offscreen-protocol.ts';
import type { BackgroundCall } from './overlay-state.ts';
import { whenIdle } from './when-idle.ts';

/** A chat request as the bridge saw it go out: its URL (maybe relative), the model its body names, its Authorization header. */
export interface SentChatRequest {
  url: string;
  /** As it stands in the body (JSON-escaped), '' when none. */
  model: string;
  format: WireFormat;
  authorization: string | null;
}

/** A header value fetch sends as it is: printable ASCII, no line breaks that could add a header. */
const PRINTABLE = /^[\x20-\x7e]+$/;
const BEARER = /^Bearer[ ]+(\S(?:.*\S)?)\s*$/i;
/** Chats whose last report is remembered, so an unchanged endpoint is not sent again on every turn. */
const MAX_REMEMBERED_CHATS = 32;

/** The absolute http(s) URL of `url` on `pageUrl`, without credentials in it; null otherwise. */
function absoluteUrl(url: string, pageUrl: string): string | null {
  let target: URL;
  try {
    target = new URL(url, pageUrl);
  } catch {
    return null;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return null;
  if (target.username || target.password || target.href.length > MAX_REQUEST_URL) return null;
  return target.href;
}

/** The body's model name (JSON-escaped there) as text, null when unreadable, empty, or not a plain name. */
function modelName(raw: string): string | null {
  let name: unknown;
  try { name = JSON.parse(`"${raw}"`); } catch { return null; }
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_MODEL_NAME && PRINTABLE.test(name) ? name : null;
}

/** The token of an `Authorization: Bearer …` value (an API key or NextChat's `nk-` access code); null for anything else. */
export function bearerToken(authorization: string | null): string | null {
  if (authorization === null || !PRINTABLE.test(authorization)) return null;
  const token = BEARER.exec(authorization)?.[1];
  return token && token.length <= MAX_API_KEY ? token : null;
}

/**
 * What to tell the background about a request that went out in `chatKey`, or null when it is not one
 * to report (an address or model that does not check out). The provider is read from the URL again
 * here; a credential is passed on only for providers whose requests can write summaries (OpenAI chat
 * completions with a Bearer key), so other providers' keys never leave the page.
 *
 * @example
 *   chatEndpointReport('http://127.0.0.1:3000#s1', { url: '/api/openai/v1/chat/completions', model: 'gpt-4o-mini', format: 'openai', authorization: 'Bearer nk-code' }, 'http://127.0.0.1:3000/#/chat')
 *   // -> { chatKey: 'http://127.0.0.1:3000#s1', url: 'http://127.0.0.1:3000/api/openai/v1/chat/completions', model: 'gpt-4o-mini', credential: 'nk-code' }
 */
export function chatEndpointReport(chatKey: string, request: SentChatRequest, pageUrl: string): ChatEndpointReport | null {
  const url = absoluteUrl(request.url, pageUrl);
  const model = modelName(request.model);
  if (!url || !model) return null;
  const route = routeChatRequest(url, 'POST', pageUrl);
  if (!route || route.format !== request.format) return null;
  const credential = CHAT_SUMMARY_PROVIDERS.has(route.provider) ? bearerToken(request.authorization) : null;
  return { chatKey, url, model, credential };
}

/**
 * Reports each chat's endpoint to the background when the page is idle, and only when it changed since
 * the last report for that chat (a new key, model or address replaces the kept one at once).
 */
export function chatEndpointReporter(call: BackgroundCall, pageUrl: () => string, signal: AbortSignal): (chatKey: string, request: SentChatRequest) => void {
  const sent = new Map<string, string>();
  return (chatKey, request) => {
    const report = chatEndpointReport(chatKey, request, pageUrl());
    if (!report) return;
    const signature = JSON.stringify([report.url, report.model, report.credential]);
    if (sent.get(chatKey) === signature) return;
    sent.delete(chatKey);
    sent.set(chatKey, signature);
    if (sent.size > MAX_REMEMBERED_CHATS) sent.delete(sent.keys().next().value!);
    whenIdle(() => {
      // Not kept: the next request reports it again. Summaries meanwhile are written as before.
      call('memory.chatEndpoint', report).catch(() => { if (sent.get(chatKey) === signature) sent.delete(chatKey); });
    }, signal);
  };
}

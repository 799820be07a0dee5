import { classifyTurn, codecFor, isAcceptableRewrite, jsonReplyReader, routeChatRequest, type ChatRoute, type WireCodec } from '@troupe/shared/providers';
import { messageText } from '@troupe/shared/prompt';
import { MAX_INTERCEPT_BODY_CHARS } from '../limits.ts';
import { tapReplyStream, type ReplyStatus } from './reply-tap.ts';

export interface InterceptorDeps {
  /** The page's fetch as it was before Troupe, already bound to its window. */
  originalFetch: typeof fetch;
  /** The page's URL, to resolve relative request URLs. */
  pageUrl: () => string;
  /** True while the isolated world is there to ask; otherwise every request passes straight through. */
  isConnected: () => boolean;
  /**
   * Asks the isolated world for the rewritten body: null means "send it as it is"; rejects on failure.
   * A route with no format (a provider Troupe does not speak) is asked too, so the panel can say so
   * when that chat has a character; its answer is always null.
   */
  requestRewrite: (id: string, request: { url: string; body: string; route: ChatRoute; userText: string }) => Promise<string | null>;
  reportReply: (id: string, text: string, status: ReplyStatus) => void;
  reportFailure: (id: string, message: string) => void;
  newId: () => string;
}

/**
 * Builds the fetch that replaces the page's: a user's chat turn is rewritten with the active
 * character and its reply tapped; everything else, and every failure of Troupe's own, goes out
 * exactly as the page made it (fail open).
 */
export function createInterceptedFetch(deps: InterceptorDeps): typeof fetch {
  return async function troupeFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const plan = await planRewrite(deps, input, init);
    if (!plan) return deps.originalFetch(input, init);
    const response = await deps.originalFetch(input, { ...init, body: plan.body });
    return tapResponse(response, plan.codec, (text, status) => deps.reportReply(plan.id, text, status));
  };
}

interface RewritePlan { id: string; body: string; codec: WireCodec }

async function planRewrite(deps: InterceptorDeps, input: RequestInfo | URL, init: RequestInit | undefined): Promise<RewritePlan | null> {
  // NextChat calls fetch(urlString, init); a Request object is someone else's call and passes through.
  if (!deps.isConnected() || !(typeof input === 'string' || input instanceof URL)) return null;
  const body = init?.body;
  if (typeof body !== 'string' || body.length > MAX_INTERCEPT_BODY_CHARS) return null;
  const url = String(input);
  const route = routeChatRequest(url, init?.method, deps.pageUrl());
  if (!route) return null;
  let parsed: unknown;
  try { parsed = JSON.parse(body); } catch { return null; }
  if (route.format === null) {
    // Nothing to rewrite, but a character chat should hear why its character is silent.
    void deps.requestRewrite(deps.newId(), { url, body, route, userText: '' }).catch(() => {});
    return null;
  }
  const codec = codecFor(route.format);
  const view = codec.read(parsed, url);
  if (!view || classifyTurn(view, parsed) !== 'chat') return null;
  const newest = view.messages.findLast((m) => m.role === 'user');
  const userText = newest ? messageText(newest) : '';

  const id = deps.newId();
  try {
    const rewritten = await deps.requestRewrite(id, { url, body, route, userText });
    if (rewritten === null) return null;
    if (!isAcceptableRewrite(view, codec.read(JSON.parse(rewritten), url))) throw new Error('the rewritten request is not a chat request');
    return { id, body: rewritten, codec };
  } catch (error) {
    deps.reportFailure(id, `Troupe could not add the character to this request, so NextChat's original went out: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

/** Wraps a successful streamed or JSON reply so its text is read as the page consumes it. */
function tapResponse(response: Response, codec: WireCodec, onEnd: (text: string, status: ReplyStatus) => void): Response {
  const type = response.headers.get('content-type') ?? '';
  const reader = type.includes('text/event-stream') ? codec.streamReader() : type.includes('application/json') ? jsonReplyReader(codec.jsonText) : null;
  // Errors are NextChat's to show; there is no character reply to remember.
  if (!response.ok || !response.body || !reader) return response;
  try {
    const body = tapReplyStream(response.body, reader, onEnd);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch {
    return response;
  }
}

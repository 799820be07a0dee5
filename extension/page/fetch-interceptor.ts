import { classifyTurn, codecFor, jsonReplyReader, routeChatRequest, type ChatRoute, type WireCodec } from '@troupe/shared/providers';
import { messageText } from '@troupe/shared/prompt';
import { MAX_INTERCEPT_BODY_CHARS } from '../messaging/limits/general.ts';
import type { FailureCode } from '../messaging/page-protocol.ts';
import type { PageBuiltins } from './builtins.ts';
import { isPlausibleRewrite } from './plausible-rewrite.ts';
import { authorizationOf } from './request-auth.ts';
import { tapReplyStream, type ReplyStatus } from './reply-tap.ts';

export interface InterceptorDeps {
  /** The page's fetch as it was before Troupe, already bound to its window. */
  originalFetch: typeof fetch;
  /** The page's URL, to resolve relative request URLs. */
  pageUrl: () => string;
  /**
   * True while the isolated world is there to ask and a character may speak in the open chat; otherwise
   * every request passes straight through, without a round trip.
   */
  isConnected: () => boolean;
  /**
   * Asks the isolated world for the rewritten body: null means "send it as it is"; rejects on failure.
   * A route with no format (a provider Troupe does not speak) is asked too, so the panel can say so
   * when that chat has a character; its answer is always null. `authorization`: the request's own
   * Authorization header (null when none), which the chat's model needs to write its summaries.
   */
  requestRewrite: (id: string, request: { url: string; body: string; route: ChatRoute; userText: string; authorization: string | null }) => Promise<string | null>;
  reportReply: (id: string, text: string, status: ReplyStatus) => void;
  /** The reply's new text as it streams (in order, before reportReply), so its sentences can be spoken at once. */
  reportDelta?: (id: string, text: string) => void;
  /** Something failed on Troupe's side and the page's original went out; the isolated world words it. */
  reportFailure: (id: string, code: FailureCode) => void;
  newId: () => string;
  /** The built-ins captured at document_start, used on the built prompt (see builtins.ts). */
  builtins: Pick<PageBuiltins, 'parseJson' | 'Response' | 'ReadableStream' | 'TextDecoder'>;
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
    const onDelta = deps.reportDelta ? (text: string) => deps.reportDelta!(plan.id, text) : undefined;
    return tapResponse(response, plan.codec, deps.builtins, (text, status) => deps.reportReply(plan.id, text, status), onDelta);
  };
}

interface RewritePlan { id: string; body: string; codec: WireCodec; then: undefined }

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
    void deps.requestRewrite(deps.newId(), { url, body, route, userText: '', authorization: null }).catch(() => {});
    return null;
  }
  const codec = codecFor(route.format);
  const view = codec.read(parsed, url);
  if (!view || classifyTurn(view, parsed) !== 'chat') return null;
  const newest = view.messages.findLast((m) => m.role === 'user');
  const userText = newest ? messageText(newest) : '';

  const id = deps.newId();
  try {
    const rewritten = await deps.requestRewrite(id, { url, body, route, userText, authorization: authorizationOf(init?.headers) });
    if (rewritten === null) return null;
    let built: unknown;
    try { built = deps.builtins.parseJson(rewritten); } catch { built = null; }
    if (!isPlausibleRewrite(built, route.format, (parsed as { stream?: unknown }).stream)) {
      deps.reportFailure(id, 'invalid-rewrite');
      return null;
    }
    // An own `then` keeps promise resolution from looking one up on Object.prototype, where a page
    // script could have put a getter that would be handed this object with the built prompt.
    return { id, body: rewritten, codec, then: undefined };
  } catch {
    deps.reportFailure(id, 'no-answer');
    return null;
  }
}

/** Wraps a successful streamed or JSON reply so its text is read as the page consumes it. */
function tapResponse(response: Response, codec: WireCodec, builtins: InterceptorDeps['builtins'], onEnd: (text: string, status: ReplyStatus) => void, onDelta?: (text: string) => void): Response {
  const type = response.headers.get('content-type') ?? '';
  const reader = type.includes('text/event-stream') ? codec.streamReader() : type.includes('application/json') ? jsonReplyReader(codec.jsonText) : null;
  // Errors are NextChat's to show; there is no character reply to remember.
  if (!response.ok || !response.body || !reader) return response;
  try {
    const body = tapReplyStream(response.body, reader, onEnd, builtins, onDelta);
    return new builtins.Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch {
    return response;
  }
}

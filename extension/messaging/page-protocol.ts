/**
 * The channel between the MAIN-world interceptor and the isolated content script.
 *
 * Trust: the page can dispatch any event and post any window message, so nothing travels over
 * window messages. At document_start, before any page script runs, the two worlds meet through a
 * synthetic event on `window` and the MAIN world hands over one end of a MessageChannel; after that
 * every message goes over that private port. The MAIN world offers its port once, the isolated world
 * accepts one port once, and both sides validate every message and drop what does not fit.
 */
import { isWireFormat, PROVIDER_NAMES, type ProviderId, type WireFormat } from '@troupe/shared/providers';
import { MAX_AUTHORIZATION_CHARS, MAX_INTERCEPT_BODY_CHARS, MAX_REPLY_CHARS, MAX_REPLY_DELTA_CHARS, MAX_REQUEST_URL } from './limits/general.ts';

export const PAGE_CHANNEL_VERSION = 1;
/** Event type of the handshake; versioned so two builds in one page never pair. */
export const HANDSHAKE_EVENT = 'troupe-handshake-v1';
/** Handshake event that hands the isolated world the private node (as its `relatedTarget`). */
const NODE_EVENT = 'troupe-node-v1';

/**
 * The private node: a detached element the MAIN world makes at document_start and hands over in the
 * handshake, so no page script ever holds it. A rewrite asked on it is answered before the dispatch
 * returns: the MAIN world puts the question (a `rewrite` message as JSON) in QUESTION_ATTRIBUTE,
 * dispatches NOW_EVENT, and finds the answer (a `rewritten` message) in ANSWER_ATTRIBUTE, or none
 * when the isolated world cannot answer at once (then the port is asked).
 */
export const NOW_EVENT = 'troupe-now-v1';
export const QUESTION_ATTRIBUTE = 'data-q';
export const ANSWER_ATTRIBUTE = 'data-a';

/**
 * `authorization`: the request's own Authorization header (NextChat's API key or access code), so the
 * chat's model can write its summaries (issue #11); null when it has none. Only this header crosses:
 * the other key headers NextChat sends (`api-key`, `x-api-key`, `x-goog-api-key`) belong to providers
 * Troupe does not summarise with. A message from an older MAIN world without the field reads as null.
 */
export type MainToIsolated =
  | { v: 1; t: 'rewrite'; id: string; url: string; body: string; format: WireFormat | null; provider: ProviderId; userText: string; authorization: string | null }
  | { v: 1; t: 'reply'; id: string; text: string; status: 'done' | 'aborted' }
  /** The reply's next slice of text while it streams (issue #12, voice), in order, every slice before `reply`. */
  | { v: 1; t: 'delta'; id: string; text: string }
  | { v: 1; t: 'failure'; id: string; code: FailureCode };

/**
 * What went wrong on the MAIN world's side. Only a code crosses: the words the panel shows are the
 * isolated world's own, so nothing the page can say reaches the person as if Troupe said it.
 */
export type FailureCode = 'no-answer' | 'invalid-rewrite';
const FAILURE_CODES: readonly string[] = ['no-answer', 'invalid-rewrite'] satisfies FailureCode[];

/**
 * `ready`: consult me for chat requests from now on; `bye`: stop (extension updated or page left NextChat);
 * `chat`: whether a character may speak in the chat now open (false only when Troupe knows none does,
 * so a plain chat's requests leave at once, without asking).
 */
export type IsolatedToMain =
  | { v: 1; t: 'rewritten'; id: string; body: string | null }
  | { v: 1; t: 'chat'; speaking: boolean }
  | { v: 1; t: 'ready' }
  | { v: 1; t: 'bye' };

const ID = /^[A-Za-z0-9-]{8,64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** A header value fetch would send as it is: printable ASCII (no line breaks that could add a header), not empty. */
const HEADER_VALUE = /^[\x20-\x7e]+$/;

/** The rewrite's Authorization header when it is one Troupe may pass on; anything else reads as none (the rewrite itself still counts). */
function authorizationOf(v: unknown): string | null {
  return text(v, MAX_AUTHORIZATION_CHARS) && HEADER_VALUE.test(v) ? v : null;
}

/** Validates a message from the MAIN world; null when it is not one of ours. */
export function readMainMessage(data: unknown): MainToIsolated | null {
  if (!isRecord(data) || data.v !== PAGE_CHANNEL_VERSION || typeof data.id !== 'string' || !ID.test(data.id)) return null;
  switch (data.t) {
    case 'rewrite': {
      const { url, body, format, provider, userText } = data;
      if (!text(url, MAX_REQUEST_URL) || !text(body, MAX_INTERCEPT_BODY_CHARS) || !text(userText, MAX_INTERCEPT_BODY_CHARS)) return null;
      if (!(format === null || isWireFormat(format)) || typeof provider !== 'string' || !Object.hasOwn(PROVIDER_NAMES, provider)) return null;
      return { v: 1, t: 'rewrite', id: data.id, url, body, format, provider: provider as ProviderId, userText, authorization: authorizationOf(data.authorization) };
    }
    case 'reply':
      return text(data.text, MAX_REPLY_CHARS) && (data.status === 'done' || data.status === 'aborted')
        ? { v: 1, t: 'reply', id: data.id, text: data.text, status: data.status } : null;
    case 'delta':
      return text(data.text, MAX_REPLY_DELTA_CHARS) && data.text.length > 0 ? { v: 1, t: 'delta', id: data.id, text: data.text } : null;
    case 'failure':
      return typeof data.code === 'string' && FAILURE_CODES.includes(data.code) ? { v: 1, t: 'failure', id: data.id, code: data.code as FailureCode } : null;
    default:
      return null;
  }
}

/**
 * Validates a message from the isolated world; null when it is not one of ours. Runs in the MAIN world
 * on the built prompt, so it calls no global a page script could have replaced (not even Array.isArray):
 * only `typeof`, own-property reads and string lengths.
 */
export function readIsolatedMessage(raw: unknown): IsolatedToMain | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const data = raw as Record<string, unknown>;
  if (data.v !== PAGE_CHANNEL_VERSION) return null;
  if (data.t === 'ready' || data.t === 'bye') return { v: 1, t: data.t };
  if (data.t === 'chat') return typeof data.speaking === 'boolean' ? { v: 1, t: 'chat', speaking: data.speaking } : null;
  if (data.t !== 'rewritten' || typeof data.id !== 'string' || !ID.test(data.id)) return null;
  if (data.body !== null && !text(data.body, MAX_INTERCEPT_BODY_CHARS)) return null;
  return { v: 1, t: 'rewritten', id: data.id, body: data.body };
}

/**
 * MAIN world: offers one end of a private MessageChannel to the isolated world, whichever of the two
 * scripts runs first. Returns the MAIN world's end.
 */
export function offerPagePort(win: Window, node: Element): MessagePort {
  const { port1, port2 } = new MessageChannel();
  let offered = false;
  const onEvent = (event: Event) => {
    if (offered || (event as MessageEvent).data !== 'ask') return;
    offered = true;
    win.removeEventListener(HANDSHAKE_EVENT, onEvent);
    win.dispatchEvent(new MouseEvent(NODE_EVENT, { relatedTarget: node }));
    win.dispatchEvent(new MessageEvent(HANDSHAKE_EVENT, { data: 'offer', ports: [port2] }));
  };
  win.addEventListener(HANDSHAKE_EVENT, onEvent);
  // If the isolated script is already listening, it answers this with 'ask' synchronously.
  win.dispatchEvent(new MessageEvent(HANDSHAKE_EVENT, { data: 'hello' }));
  return port1;
}

/**
 * Isolated world: accepts the MAIN world's port, once, whichever script runs first. Stops listening
 * after the first offer or when `signal` aborts (the caller aborts at DOMContentLoaded: by then both
 * document_start scripts have run, and a later offer could only come from the page).
 */
export function acceptPagePort(win: Window, onPort: (port: MessagePort, node: Element | null) => void, signal: AbortSignal): void {
  let accepted = false;
  let node: Element | null = null;
  const stop = () => {
    win.removeEventListener(HANDSHAKE_EVENT, onEvent);
    win.removeEventListener(NODE_EVENT, onNode);
  };
  const onNode = (event: Event) => {
    const target = (event as MouseEvent).relatedTarget;
    // Detached: a node in the document would be one a page script could reach.
    if (!accepted && target instanceof Element && !target.isConnected) node = target;
  };
  const onEvent = (event: Event) => {
    const { data, ports } = event as MessageEvent;
    if (accepted) return;
    if (data === 'hello') win.dispatchEvent(new MessageEvent(HANDSHAKE_EVENT, { data: 'ask' }));
    else if (data === 'offer' && ports[0]) {
      accepted = true;
      stop();
      onPort(ports[0], node);
    }
  };
  win.addEventListener(NODE_EVENT, onNode);
  win.addEventListener(HANDSHAKE_EVENT, onEvent);
  signal.addEventListener('abort', stop, { once: true });
  win.dispatchEvent(new MessageEvent(HANDSHAKE_EVENT, { data: 'ask' }));
}

import { ANSWER_ATTRIBUTE, NOW_EVENT, offerPagePort, QUESTION_ATTRIBUTE, readIsolatedMessage, type MainToIsolated } from '../messaging/page-protocol.ts';
import { REWRITE_TIMEOUT_MS } from '../messaging/limits/general.ts';
import { captureBuiltins } from './builtins.ts';
import { createInterceptedFetch } from './fetch-interceptor.ts';

/**
 * MAIN world, document_start: opens the private channel to the isolated world and replaces
 * `window.fetch` (NextChat looks it up at call time). Until the isolated world says `ready`, and after
 * it says `bye` or stops answering, every request passes through untouched.
 */
export function installInterceptor(win: Window & typeof globalThis): void {
  // First, before anything else: the originals of every built-in used on the built prompt.
  const builtins = captureBuiltins(win);
  // Made now, handed over in the handshake and never attached: no page script can reach it.
  const node = win.document.createElement('div');
  const port = offerPagePort(win, node);
  // A prototype-less record, not a Map: a replaced Map.prototype.get would be handed every resolver.
  const pending: Record<string, { resolve: (body: string | null) => void; reject: (e: Error) => void } | undefined> = Object.create(null) as Record<string, never>;
  let connected = false;
  // Until told otherwise, a chat may have a character (ask).
  let speaking = true;

  port.onmessage = (event) => {
    const message = readIsolatedMessage(builtins.messageData(event));
    if (!message) return;
    if (message.t === 'ready') connected = true;
    else if (message.t === 'bye') connected = false;
    else if (message.t === 'chat') speaking = message.speaking;
    else pending[message.id]?.resolve(message.body);
  };
  const send = (message: MainToIsolated) => builtins.postMessage(port, message);

  /**
   * Asks the isolated world on the private node, which answers before the dispatch returns when it can
   * build the prompt at once (it holds the chat's kit): the request then leaves in this same task,
   * ahead of whatever NextChat renders. Undefined: no answer now, ask over the port.
   */
  const askNow = (message: MainToIsolated & { t: 'rewrite' }): string | null | undefined => {
    builtins.setAttribute(node, QUESTION_ATTRIBUTE, builtins.stringifyJson(message));
    builtins.dispatch(node, NOW_EVENT);
    const answer = builtins.getAttribute(node, ANSWER_ATTRIBUTE);
    builtins.removeAttribute(node, ANSWER_ATTRIBUTE);
    builtins.removeAttribute(node, QUESTION_ATTRIBUTE);
    if (answer === null) return undefined;
    let parsed: unknown;
    try { parsed = builtins.parseJson(answer); } catch { return undefined; }
    const reply = readIsolatedMessage(parsed);
    return reply?.t === 'rewritten' && reply.id === message.id ? reply.body : undefined;
  };

  win.fetch = createInterceptedFetch({
    originalFetch: (input, init) => builtins.apply(builtins.fetch, win, [input, init]) as Promise<Response>,
    pageUrl: () => win.location.href,
    isConnected: () => connected && speaking,
    newId: builtins.randomUUID,
    builtins,
    requestRewrite: (id, { url, body, route, userText, authorization }) => {
      const question = { v: 1, t: 'rewrite', id, url, body, format: route.format, provider: route.provider, userText, authorization } as const;
      const now = askNow(question);
      // Resolved through the captured constructor's own executor: a replaced `Promise.resolve` would be handed the prompt.
      if (now !== undefined) return new builtins.Promise((resolve) => { resolve(now); });
      return new builtins.Promise((resolve, reject) => {
        const timer = builtins.setTimeout(() => {
          delete pending[id];
          // A silent isolated world (extension updated or crashed) must not slow every later request.
          connected = false;
          reject(new Error(`no answer within ${REWRITE_TIMEOUT_MS} ms`));
        }, REWRITE_TIMEOUT_MS);
        const settle = () => { builtins.clearTimeout(timer); delete pending[id]; };
        pending[id] = { resolve: (b) => { settle(); resolve(b); }, reject: (e) => { settle(); reject(e); } };
        send(question);
      });
    },
    reportReply: (id, text, status) => send({ v: 1, t: 'reply', id, text, status }),
    reportDelta: (id, text) => send({ v: 1, t: 'delta', id, text }),
    reportFailure: (id, code) => send({ v: 1, t: 'failure', id, code }),
  });
}

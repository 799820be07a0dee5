import { offerPagePort, readIsolatedMessage, type MainToIsolated } from '../messaging/page-protocol.ts';
import { REWRITE_TIMEOUT_MS } from '../limits.ts';
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
  const port = offerPagePort(win);
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

  win.fetch = createInterceptedFetch({
    originalFetch: (input, init) => builtins.apply(builtins.fetch, win, [input, init]) as Promise<Response>,
    pageUrl: () => win.location.href,
    isConnected: () => connected && speaking,
    newId: builtins.randomUUID,
    builtins,
    requestRewrite: (id, { url, body, route, userText }) => new builtins.Promise((resolve, reject) => {
      const timer = builtins.setTimeout(() => {
        delete pending[id];
        // A silent isolated world (extension updated or crashed) must not slow every later request.
        connected = false;
        reject(new Error(`no answer within ${REWRITE_TIMEOUT_MS} ms`));
      }, REWRITE_TIMEOUT_MS);
      const settle = () => { builtins.clearTimeout(timer); delete pending[id]; };
      pending[id] = { resolve: (b) => { settle(); resolve(b); }, reject: (e) => { settle(); reject(e); } };
      send({ v: 1, t: 'rewrite', id, url, body, format: route.format, provider: route.provider, userText });
    }),
    reportReply: (id, text, status) => send({ v: 1, t: 'reply', id, text, status }),
    reportFailure: (id, code) => send({ v: 1, t: 'failure', id, code }),
  });
}

import { offerPagePort, readIsolatedMessage, type MainToIsolated } from '../messaging/page-protocol.ts';
import { REWRITE_TIMEOUT_MS } from '../limits.ts';
import { createInterceptedFetch } from './fetch-interceptor.ts';

/**
 * MAIN world, document_start: opens the private channel to the isolated world and replaces
 * `window.fetch` (NextChat looks it up at call time). Until the isolated world says `ready`, and after
 * it says `bye` or stops answering, every request passes through untouched.
 */
export function installInterceptor(win: Window): void {
  const port = offerPagePort(win);
  const originalFetch = win.fetch;
  const pending = new Map<string, { resolve: (body: string | null) => void; reject: (e: Error) => void }>();
  let connected = false;

  port.onmessage = (event) => {
    const message = readIsolatedMessage(event.data);
    if (!message) return;
    if (message.t === 'ready') connected = true;
    else if (message.t === 'bye') connected = false;
    else pending.get(message.id)?.resolve(message.body);
  };
  const send = (message: MainToIsolated) => port.postMessage(message);

  win.fetch = createInterceptedFetch({
    originalFetch: (input, init) => originalFetch.call(win, input, init),
    pageUrl: () => win.location.href,
    isConnected: () => connected,
    newId: () => crypto.randomUUID(),
    requestRewrite: (id, { url, body, route, userText }) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        // A silent isolated world (extension updated or crashed) must not slow every later request.
        connected = false;
        reject(new Error(`no answer within ${REWRITE_TIMEOUT_MS} ms`));
      }, REWRITE_TIMEOUT_MS);
      const settle = () => { clearTimeout(timer); pending.delete(id); };
      pending.set(id, { resolve: (b) => { settle(); resolve(b); }, reject: (e) => { settle(); reject(e); } });
      send({ v: 1, t: 'rewrite', id, url, body, format: route.format, provider: route.provider, userText });
    }),
    reportReply: (id, text, status) => send({ v: 1, t: 'reply', id, text, status }),
    reportFailure: (id, message) => send({ v: 1, t: 'failure', id, message }),
  });
}

/**
 * Whether a page is NextChat, by its landmarks (never its URL: NextChat is self-hosted on any origin),
 * and which of the landmarks Troupe needs it lacks.
 */
import { SELECTORS } from './selectors.ts';
import { observe } from './observe.ts';

/** NextChat's shell with its window body: there on every route (chat, settings, masks…). */
const NEXTCHAT_APP = `${SELECTORS.appContainer} ${SELECTORS.appBody}`;

/** True when the document shows NextChat's app, on any route (the person may open settings first and the chat later). */
export function isNextChatApp(doc: Document): boolean {
  return doc.querySelector(NEXTCHAT_APP) !== null;
}

/** Which chat-view landmarks are missing, for the panel to say why Troupe is degraded. */
export function missingLandmarks(doc: Document): string[] {
  const wanted = ['input', 'sendButton', 'chatBody', 'inputPanel'] as const;
  return wanted.filter((name) => doc.querySelector(SELECTORS[name]) === null);
}

/**
 * Resolves once the page shows NextChat's app shell (NextChat renders client-side, after load).
 * Resolves false when `signal` aborts or `timeoutMs` passes first: the page is not NextChat.
 */
export function waitForNextChat(doc: Document, signal: AbortSignal, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const looking = new AbortController();
    const done = (found: boolean) => {
      if (looking.signal.aborted) return;
      looking.abort();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(found);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(onAbort, timeoutMs);
    if (signal.aborted) return done(false);
    signal.addEventListener('abort', onAbort, { once: true });
    observe(NEXTCHAT_APP, () => done(true), { signal: looking.signal, root: doc });
  });
}

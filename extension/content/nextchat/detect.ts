import { SELECTORS } from './selectors.ts';

/**
 * True when the document is NextChat's app: its shell with the window body, on any route (the user
 * may open settings first and the chat later). Recognised by landmarks, never by URL, because
 * NextChat is self-hosted on any origin.
 */
export function isNextChatApp(doc: Document): boolean {
  return doc.querySelector(`${SELECTORS.appContainer} ${SELECTORS.appBody}`) !== null;
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
    if (isNextChatApp(doc)) return resolve(true);
    const done = (found: boolean) => {
      observer.disconnect();
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(found);
    };
    const onAbort = () => done(false);
    const observer = new MutationObserver(() => { if (isNextChatApp(doc)) done(true); });
    observer.observe(doc.documentElement, { childList: true, subtree: true });
    const timer = setTimeout(() => done(false), timeoutMs);
    signal.addEventListener('abort', onAbort);
  });
}

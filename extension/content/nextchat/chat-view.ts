/**
 * Which chat NextChat's window shows, followed by watching its landmarks: the only record of a chat
 * switch an isolated content script can see (see `followChatView`).
 */
import { SELECTORS } from './selectors.ts';
import { sessionIdFromDom } from './session.ts';
import { observe } from './observe.ts';

/**
 * How long after a landmark comes or goes the chat view is looked at. NextChat swaps several at once
 * when it changes chat (the list, the input, the selected row); one look per swap keeps Troupe's share
 * of the page's thread negligible and still notices a new chat well within the second a person waits.
 */
export const CHAT_VIEW_SETTLE_MS = 40;

/** What Troupe needs to know about NextChat's window at one moment. */
export interface ChatViewSnapshot {
  /** NextChat's message list and input are both on the page. */
  chatShown: boolean;
  /** The sidebar's selected session row id; null when the sidebar is not rendered (narrow layout, mask picker). */
  rowId: string | null;
  /**
   * The message list element itself. NextChat remounts the whole chat view when the session
   * changes (`<Chat key={session.id}>`), so a new element means "maybe another chat" even when no
   * sidebar row says which.
   */
  chatBody: Element | null;
}

/** Reads the chat view as it is now (a few selector lookups; no layout). */
export function readChatView(doc: Document): ChatViewSnapshot {
  const chatBody = doc.querySelector(SELECTORS.chatBody);
  const chatShown = chatBody !== null && doc.querySelector(SELECTORS.input) !== null;
  return { chatShown, rowId: sessionIdFromDom(doc), chatBody };
}

/** True when two snapshots may show different chats (or one shows a chat and the other none). */
export function chatViewChanged(a: ChatViewSnapshot, b: ChatViewSnapshot): boolean {
  return a.chatShown !== b.chatShown || a.rowId !== b.rowId || a.chatBody !== b.chatBody;
}

/** The landmarks whose coming and going may mean another chat: the list, the input, the selected sidebar row. */
const CHAT_VIEW_LANDMARKS = [SELECTORS.chatBody, SELECTORS.input, SELECTORS.selectedSessionItem] as const;

/**
 * Calls `onChange` whenever NextChat's window may show another chat than before: the chat view mounting
 * late (it follows the shell by up to a second), a row born selected, a click on another row, the mask
 * picker, Back/Forward, settings and back, a narrow layout with no sidebar. It watches the page itself,
 * not NextChat's routing: real NextChat routes with `history.pushState`, which fires no event an
 * extension sees (and never `hashchange`), and mounts its views whenever its lazy chunks arrive. Also
 * calls `onChange` once at the start. Stops with `signal`.
 *
 * @example
 *   followChatView(document, () => void refreshChat(), ctx.signal);
 */
export function followChatView(doc: Document, onChange: (view: ChatViewSnapshot) => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  let last = readChatView(doc);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = () => {
    timer = undefined;
    if (signal.aborted) return;
    const now = readChatView(doc);
    if (!chatViewChanged(last, now)) return;
    last = now;
    onChange(now);
  };
  const schedule = () => {
    if (!signal.aborted) timer ??= setTimeout(look, CHAT_VIEW_SETTLE_MS);
  };
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  for (const selector of CHAT_VIEW_LANDMARKS) {
    observe(selector, (_landmark, gone) => {
      schedule();
      gone.addEventListener('abort', schedule, { once: true });
    }, { signal, root: doc });
  }
  onChange(last);
}

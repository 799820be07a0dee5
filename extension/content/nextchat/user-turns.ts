/**
 * What the person did in NextChat's input: the one proof that a chat request carries their own turn,
 * not NextChat's summary request or a page script's call (which get no character).
 */
import { SELECTORS } from './selectors.ts';

/** How many of the user's recent submissions are remembered (a request follows its submission at once). */
export const MAX_REMEMBERED_SUBMISSIONS = 8;
/** A submission older than this no longer vouches for a request. */
export const SUBMISSION_TTL_MS = 60_000;
/** A trusted click in a message's actions (NextChat's Retry) lets one request within this long resend a message shown in the chat. */
export const RESEND_CLICK_TTL_MS = 15_000;

/**
 * Calls `onComposing` when the person starts on a message in NextChat's input (focus, a key, typing):
 * trusted events only, the callback throttles itself. Stops with `signal`.
 */
export function followComposing(doc: Document, onComposing: () => void, signal: AbortSignal): void {
  const listener = (event: Event) => {
    if (event.isTrusted && event.target instanceof Element && event.target.matches(SELECTORS.input)) onComposing();
  };
  for (const type of ['focusin', 'keydown', 'input']) doc.addEventListener(type, listener, { capture: true, passive: true, signal });
}

export interface UserTurns {
  /**
   * True when a chat request whose newest user message is `text` may be the person's own turn: it is
   * what they just submitted in NextChat's input (Enter or the send button, trusted events only), or a
   * message the chat shows that they just asked NextChat to resend. NextChat's own summaries and any
   * request a page script makes on its own are neither. Each of the person's actions vouches for one
   * request only: the first claim uses it up, so a script cannot ride one Enter with many requests.
   */
  claim(text: string): boolean;
  /** What `claim` would answer, without using anything up. */
  vouchesFor(text: string): boolean;
  /**
   * Records `text` as submitted by the person through Troupe's push-to-talk (their trusted press in
   * Troupe's panel, or its shortcut): Troupe's own script clicks NextChat's send button, an untrusted
   * click this watcher would otherwise ignore. Only the isolated world can call it; a page script cannot.
   */
  said(text: string): void;
}

const normalise = (text: string) => text.trim();

/**
 * Watches NextChat's input for the person's own submissions (capture phase, before NextChat clears
 * the input). Events a script dispatches are untrusted and ignored. Stops with `signal`.
 */
export function followUserTurns(doc: Document, signal: AbortSignal, now: () => number = Date.now): UserTurns {
  const submissions: Array<{ text: string; at: number }> = [];
  let resendClickAt = -Infinity;
  const record = (raw: string) => {
    const text = normalise(raw);
    if (!text) return;
    submissions.push({ text, at: now() });
    if (submissions.length > MAX_REMEMBERED_SUBMISSIONS) submissions.shift();
  };
  const remember = () => record(doc.querySelector<HTMLTextAreaElement>(SELECTORS.input)?.value ?? '');
  const onKeyDown = (event: KeyboardEvent) => {
    // Any Enter: NextChat's submit key may be Enter with or without a modifier (its setting).
    if (event.isTrusted && event.key === 'Enter' && !event.isComposing && event.target instanceof Element && event.target.matches(SELECTORS.input)) remember();
  };
  const onClick = (event: MouseEvent) => {
    if (!event.isTrusted || !(event.target instanceof Element)) return;
    if (event.target.closest(SELECTORS.sendButton)) remember();
    else if (event.target.closest(SELECTORS.messageActions)) resendClickAt = now();
  };
  doc.addEventListener('keydown', onKeyDown, { capture: true, signal });
  doc.addEventListener('click', onClick, { capture: true, signal });

  /** Whether a fresh action of the person's vouches for `text`; with `use`, that action is used up. */
  const find = (text: string, use: boolean): boolean => {
    const wanted = normalise(text);
    if (!wanted) return false;
    const fresh = now() - SUBMISSION_TTL_MS;
    const submitted = submissions.findIndex((s) => s.at >= fresh && s.text === wanted);
    if (submitted >= 0) {
      if (use) submissions.splice(submitted, 1);
      return true;
    }
    if (now() - resendClickAt > RESEND_CLICK_TTL_MS) return false;
    const shown = [...doc.querySelectorAll(`${SELECTORS.userRow} ${SELECTORS.messageText}`)].some((el) => normalise(el.textContent ?? '') === wanted);
    if (shown && use) resendClickAt = -Infinity;
    return shown;
  };

  return {
    claim: (text) => find(text, true),
    vouchesFor: (text) => find(text, false),
    said: record,
  };
}

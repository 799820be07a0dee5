/**
 * The one change Troupe makes to NextChat's layout: room for the open panel beside the message list, so
 * the panel covers no message. Given back when the panel closes.
 */
import { SELECTORS } from './selectors.ts';

/** NextChat's own breakpoint for its mobile layout (app/constant.ts, `useMobileScreen`). */
export const NARROW_MAX_WIDTH = 600;

const STYLE_ID = 'troupe-reserved-space';

/**
 * Makes NextChat's message list leave `px` free on its right, where Troupe's open panel sits, so the
 * panel covers no message (the list reflows; nothing of NextChat's changes but this padding). Returns
 * the function that gives the space back. One style element, matched by class prefix, so it holds
 * across NextChat's remounts of its chat view.
 */
export function reserveChatSpace(doc: Document, px: number): () => void {
  let style = doc.getElementById(STYLE_ID);
  if (!style) {
    style = doc.createElement('style');
    style.id = STYLE_ID;
    (doc.head ?? doc.documentElement).append(style);
  }
  style.textContent = `${SELECTORS.chatBody} { padding-right: ${Math.round(px)}px !important; box-sizing: border-box; }`;
  return () => doc.getElementById(STYLE_ID)?.remove();
}

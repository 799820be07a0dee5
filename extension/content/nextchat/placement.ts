import { SELECTORS } from './selectors.ts';
import { NARROW_MAX_WIDTH } from './layout.ts';

/** `narrow`: a phone-sized window, where the open panel is a sheet across the chat that the person closes. */
export interface Placement { top: number; right: number; maxHeight: number; narrow: boolean }

/** Gap between the panel and NextChat's edges, in CSS pixels. */
export const GAP = 12;
/** The panel's width beside the chat (panel.css `.troupe`). */
export const PANEL_WIDTH = 300;
/** Below this the panel is too short to use; it then keeps its header only. */
const MIN_HEIGHT = 120;

/**
 * Where the panel goes: the top-right corner of NextChat's message list, and never lower than the
 * top of its input panel, so the input and the send button stay uncovered whatever the window size.
 */
export function computePlacement(doc: Document, viewportWidth: number, viewportHeight: number): Placement {
  const body = doc.querySelector(SELECTORS.chatBody)?.getBoundingClientRect();
  const input = doc.querySelector(SELECTORS.inputPanel)?.getBoundingClientRect();
  const top = Math.max(GAP, (body?.top ?? 0) + GAP);
  const right = Math.max(GAP, viewportWidth - (body?.right ?? viewportWidth) + GAP);
  const bottomLimit = input && input.height > 0 ? input.top - GAP : viewportHeight - GAP;
  return { top, right, maxHeight: Math.max(MIN_HEIGHT, bottomLimit - top), narrow: viewportWidth <= NARROW_MAX_WIDTH };
}

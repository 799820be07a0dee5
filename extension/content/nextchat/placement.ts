/**
 * Where Troupe's panel sits on NextChat's page: from the geometry of NextChat's message list and input
 * panel, followed as the window, the chat view or NextChat's layout changes.
 */
import { SELECTORS } from './selectors.ts';
import { NARROW_MAX_WIDTH } from './layout.ts';
import { observe } from './observe.ts';

/** `narrow`: a phone-sized window, where the open panel is a sheet across the chat that the person closes. */
export interface Placement { top: number; right: number; maxHeight: number; narrow: boolean }

/** Gap between the panel and NextChat's edges, in CSS pixels. */
export const GAP = 12;
/** Below this the panel is too short to use; it then keeps its header only. */
const MIN_HEIGHT = 120;

/** The parts of a window placement reads. */
export type Viewport = Pick<Window, 'innerWidth' | 'innerHeight'>;

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

/** The placement now. */
export function readPlacement(doc: Document, view: Viewport): Placement {
  return computePlacement(doc, view.innerWidth, view.innerHeight);
}

/**
 * Calls `onPlacement` now and whenever the placement may have changed, until `signal` aborts: the
 * window resizing, NextChat mounting or remounting its chat view (per chat), the message list shrinking
 * when NextChat's header grows (a long title), the input panel growing when its text wraps.
 */
export function followPlacement(doc: Document, view: Viewport & EventTarget, onPlacement: (placement: Placement) => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const update = () => { if (!signal.aborted) onPlacement(readPlacement(doc, view)); };
  const sizes = new ResizeObserver(update);
  sizes.observe(doc.documentElement);
  signal.addEventListener('abort', () => sizes.disconnect(), { once: true });
  for (const selector of [SELECTORS.chatBody, SELECTORS.inputPanel]) {
    observe(selector, (element, gone) => {
      sizes.observe(element);
      update();
      gone.addEventListener('abort', () => {
        sizes.unobserve(element);
        update();
      }, { once: true });
    }, { signal, root: doc });
  }
  view.addEventListener('resize', update, { signal });
  update();
}

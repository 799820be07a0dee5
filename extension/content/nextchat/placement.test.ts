import { afterEach, describe, expect, it, vi } from 'vitest';
import { followPlacement, GAP, type Placement } from './placement.ts';

/** Gives `element` the box a browser would lay it out in (happy-dom lays nothing out). */
function layOut(element: Element, box: { top: number; right: number; height: number }) {
  Object.defineProperty(element, 'getBoundingClientRect', { value: () => ({ ...box, bottom: box.top + box.height, left: 0, width: box.right, x: 0, y: box.top }) });
}

describe('followPlacement', () => {
  const abort = new AbortController();
  afterEach(() => abort.abort());

  it('puts the panel in the message list\'s top-right corner, above the input, and follows the chat view and the window', async () => {
    const doc = document.implementation.createHTMLDocument('nextchat');
    doc.body.innerHTML = '<div id="app-body"></div>';
    const view = Object.assign(new EventTarget(), { innerWidth: 1280, innerHeight: 800 });
    const seen: Placement[] = [];
    followPlacement(doc, view, (placement) => seen.push(placement), abort.signal);
    expect(seen.at(-1)).toEqual({ top: GAP, right: GAP, maxHeight: 800 - 2 * GAP, narrow: false });

    // NextChat mounts its chat view late: the placement moves to it.
    doc.getElementById('app-body')!.innerHTML = '<div class="chat_chat-body__a"></div><div class="chat_chat-input-panel__b"></div>';
    layOut(doc.querySelector('[class*="chat_chat-body__"]')!, { top: 60, right: 1000, height: 600 });
    layOut(doc.querySelector('[class*="chat_chat-input-panel__"]')!, { top: 700, right: 1000, height: 100 });
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ top: 60 + GAP, right: 280 + GAP, maxHeight: 700 - GAP - (60 + GAP), narrow: false }));

    view.innerWidth = 390;
    view.dispatchEvent(new Event('resize'));
    expect(seen.at(-1)).toMatchObject({ narrow: true });

    // The chat view unmounts (the mask picker): back to the window's corner.
    doc.getElementById('app-body')!.innerHTML = '';
    await vi.waitFor(() => expect(seen.at(-1)).toEqual({ top: GAP, right: GAP, maxHeight: 800 - 2 * GAP, narrow: true }));

    abort.abort();
    const count = seen.length;
    view.dispatchEvent(new Event('resize'));
    expect(seen).toHaveLength(count);
  });
});

/**
 * Mounts the panel in NextChat's page: the features start running on the overlay, and their sections
 * render in a shadow root of the panel's own, which NextChat's styles and scripts cannot reach.
 */
import { render } from 'preact';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import { PANEL_ELEMENT_NAME } from './panel-element.ts';
import type { OverlayHandle } from '../overlay/overlay-state.ts';
import { startFeatures } from './feature-manager.ts';
import { PANEL_FEATURES } from './features/index.ts';
import { PanelContext } from './panel-context.ts';
import { Panel } from './Panel.tsx';
import css from './panel.css?inline';

/**
 * Closed, so a page script gets `null` from the host's `shadowRoot` and cannot read the panel (the
 * library, greetings, the prompt inspector). Only the end-to-end build (`pnpm build:e2e`, WXT mode
 * `e2e`) opens it, because Playwright's locators cannot enter a closed root; the security suite runs
 * the shipping build to prove this one.
 */
const PANEL_SHADOW_MODE: ShadowRootMode = import.meta.env.MODE === 'e2e' ? 'open' : 'closed';

/** What a person does to the panel; the same events made by a script are stopped before any handler. */
const PERSON_EVENTS = ['click', 'dblclick', 'auxclick', 'submit', 'input', 'change', 'keydown', 'keyup', 'drop', 'paste'] as const;

/**
 * The panel acts only on what the person does: an event a page script dispatches (or `el.click()`)
 * is untrusted and stops at the shadow root, in the capture phase, before Preact's handlers see it.
 */
function answerOnlyThePerson(shadow: ShadowRoot, signal: AbortSignal): void {
  for (const type of PERSON_EVENTS) {
    shadow.addEventListener(type, (event) => {
      if (event.isTrusted) return;
      event.stopImmediatePropagation();
      event.preventDefault();
    }, { capture: true, signal });
  }
}

/**
 * Starts the features (they load and follow NextChat's page whether or not the panel is open) and puts
 * the panel in its own shadow root (NextChat's styles cannot reach it, nor ours NextChat's).
 */
export async function mountPanel(ctx: ContentScriptContext, overlay: OverlayHandle): Promise<void> {
  const features = startFeatures(PANEL_FEATURES, overlay, ctx.signal);
  const ui = await createShadowRootUi(ctx, {
    name: PANEL_ELEMENT_NAME,
    mode: PANEL_SHADOW_MODE,
    position: 'inline',
    anchor: 'body',
    append: 'last',
    onMount(container, shadow) {
      answerOnlyThePerson(shadow, ctx.signal);
      const style = document.createElement('style');
      style.textContent = css;
      shadow.prepend(style);
      render(
        <PanelContext.Provider value={{ overlay, features }}>
          <Panel signal={ctx.signal} />
        </PanelContext.Provider>,
        container,
      );
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  ui.mount();
}

import { render } from 'preact';
import { createShadowRootUi, type ContentScriptContext } from '#imports';
import type { OverlayHandle } from '../lib/overlay/run-overlay.ts';
import { OverlayContext } from './overlay-context.ts';
import { Panel } from './Panel.tsx';
import css from './panel.css?inline';

/** Puts the panel in its own shadow root (NextChat's styles cannot reach it, nor ours NextChat's). */
export async function mountPanel(ctx: ContentScriptContext, overlay: OverlayHandle): Promise<void> {
  const ui = await createShadowRootUi(ctx, {
    name: 'troupe-panel',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    onMount(container, shadow) {
      const style = document.createElement('style');
      style.textContent = css;
      shadow.prepend(style);
      render(
        <OverlayContext.Provider value={overlay}>
          <Panel signal={ctx.signal} />
        </OverlayContext.Provider>,
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

import { defineContentScript } from '#imports';
import { mountPanel } from '../../content/panel/mount-panel.tsx';
import { runOverlay } from '../../content/overlay/run-overlay.ts';
import { DEFAULT_MATCHES } from '../../messaging/origins.ts';

// Isolated world. Runs at document_start so it can pair with the MAIN-world interceptor before any
// page script; everything else waits until NextChat's landmarks show.
export default defineContentScript({
  matches: [...DEFAULT_MATCHES],
  runAt: 'document_start',
  cssInjectionMode: 'manual',
  async main(ctx) {
    const overlay = await runOverlay(ctx);
    if (overlay) await mountPanel(ctx, overlay);
  },
});

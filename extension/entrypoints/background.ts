import { defineBackground } from '#imports';
import { startBackground } from '../background/start.ts';
import { offscreenHost } from '../background/offscreen/offscreen-host.ts';
import { createSummariser } from '../background/offscreen/summariser.ts';

export default defineBackground(() => {
  startBackground();
  // Test-only (the e2e build, `wxt build --mode e2e`): lets e2e/tests/offscreen-summary.e2e.ts drive the
  // summariser; the shipping build drops this branch and these imports.
  if (import.meta.env.MODE === 'e2e') Object.assign(globalThis, { __troupeTest: { summarise: createSummariser(offscreenHost()).summarise, offscreen: offscreenHost() } });
});

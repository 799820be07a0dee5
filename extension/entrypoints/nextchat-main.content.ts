import { defineContentScript } from '#imports';
import { installInterceptor } from '../page/install.ts';
import { DEFAULT_MATCHES } from '../messaging/origins.ts';

// MAIN world at document_start: patches fetch before NextChat's scripts run. Nothing else.
export default defineContentScript({
  matches: [...DEFAULT_MATCHES],
  world: 'MAIN',
  runAt: 'document_start',
  main() {
    installInterceptor(window);
  },
});

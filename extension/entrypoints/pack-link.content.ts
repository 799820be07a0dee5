import { defineContentScript } from '#imports';
import { forwardPackLink } from '../content/pack-link/forward-link.ts';
import { callBackground } from '../client/runtime-client.ts';

// The sync relay's pack link page. Registered at run time for that relay only (background/packs/relay-page-script.ts).
export default defineContentScript({
  registration: 'runtime',
  matches: [],
  main() {
    forwardPackLink(location, document.documentElement, (origin, link) => callBackground('packs.openFromPage', { origin, link })).catch((error: unknown) => console.error('Troupe: could not open the pack link', error));
  },
});

// Test double of NextChat v2.16: its service worker registration. Like NextChat's, it registers
// /serviceWorker.js and reloads the page once the worker has installed, so every first visit runs the
// page (and every extension content script) twice. A page the worker already serves stays as it is.

import { SELF_RELOAD_FLAG } from './timing.js';

/** At most this many self-reloads per tab (a worker that never takes control must not loop the page). */
const MAX_SELF_RELOADS = 2;
const RELOADS_KEY = 'stage-self-reloads';
const INSTALLED = new Set(['installed', 'activating', 'activated']);

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const start = () => {
    navigator.serviceWorker.register('/serviceWorker.js').then((registration) => {
      if (navigator.serviceWorker.controller) return;
      const worker = registration.installing ?? registration.waiting ?? registration.active;
      if (!worker) return;
      const reload = () => {
        const reloads = Number(sessionStorage.getItem(RELOADS_KEY) ?? 0);
        if (reloads >= MAX_SELF_RELOADS) return;
        sessionStorage.setItem(RELOADS_KEY, String(reloads + 1));
        sessionStorage.setItem(SELF_RELOAD_FLAG, '1');
        location.reload();
      };
      if (INSTALLED.has(worker.state)) return reload();
      const onChange = () => {
        if (!INSTALLED.has(worker.state)) return;
        worker.removeEventListener('statechange', onChange);
        reload();
      };
      worker.addEventListener('statechange', onChange);
    }).catch(() => {});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

// Test double of NextChat v2.16: its service worker registration. Like NextChat's, it registers
// /serviceWorker.js and reloads the page once when a new worker has installed, so every first visit
// runs the page (and every extension content script) twice.

import { SELF_RELOAD_FLAG } from './timing.js';

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const start = () => {
    navigator.serviceWorker.register('/serviceWorker.js').then((registration) => {
      const worker = registration.installing ?? registration.waiting;
      if (!worker) return;
      worker.addEventListener('statechange', () => {
        if (worker.state !== 'installed') return;
        sessionStorage.setItem(SELF_RELOAD_FLAG, '1');
        location.reload();
      });
    }).catch(() => {});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}

// Test double of NextChat v2.16: when things appear, as the real NextChat v2.16.1 was traced doing it
// (../shared/fixtures/nextchat/behaviour-trace.json; milliseconds from the document's start, 2-core box):
//   first visit (no service worker yet): shell 502, session rows 958, chat view 1,336
//   reload (service worker in control):   shell 311, rows and chat view together at 535
// NextChat's router starts after the load event; its views are lazily loaded chunks.

const AT = {
  first: { shellAt: 502, rowsAt: 958, viewsAt: 1336 },
  reload: { shellAt: 311, rowsAt: 535, viewsAt: 535 },
};

/** After a pushState, NextChat's router makes a replaceState of the same route this much later. */
export const HISTORY_SETTLE_MS = 8;
/** A view first shown after start-up (mask picker, settings) arrives this long after its route. */
export const VIEW_CHUNK_MS = 290;
/** After a pushState, React commits the new route's DOM this much later. */
export const ROUTE_RENDER_MS = 25;

/** Set by the service worker registration just before the first visit's self-reload. */
export const SELF_RELOAD_FLAG = 'stage-self-reload';

/**
 * This load's timings. A first visit is slower, both before and right after NextChat reloads itself
 * (its service worker caches none of the chunks); a later load finds them in the browser's cache.
 */
export function startupTiming() {
  const selfReloaded = sessionStorage.getItem(SELF_RELOAD_FLAG) !== null;
  sessionStorage.removeItem(SELF_RELOAD_FLAG);
  const kind = navigator.serviceWorker?.controller && !selfReloaded ? 'reload' : 'first';
  return { kind, ...AT[kind] };
}

/** Resolves `ms` after the document started (at once when that time has passed). */
export function untilDocumentTime(ms) {
  return sleep(ms - performance.now());
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export function loaded() {
  if (document.readyState === 'complete') return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('load', () => resolve(), { once: true }));
}

/**
 * Lifetimes inside lifetimes: a panel feature lives as long as its chat and never longer than the
 * content script (WXT's `ctx.signal`, which aborts on navigation away and on an extension update).
 */

/** A controller that also aborts when `parent` does (and stops listening to it once aborted itself). */
export function linkedController(parent: AbortSignal): AbortController {
  const controller = new AbortController();
  if (parent.aborted) controller.abort();
  else parent.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
  return controller;
}

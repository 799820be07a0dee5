/**
 * Timing for work the panel does about a request: none of it may compete with the request itself, whose
 * rewrite and streamed reply share the page's thread with NextChat. Both helpers stop with a signal.
 */
import { PANEL_IDLE_TIMEOUT_MS } from '../../messaging/limits/general.ts';

/** Runs `task` when the page's thread is idle (or after PANEL_IDLE_TIMEOUT_MS at the latest), unless `signal` aborts first. */
export function whenIdle(task: () => void, signal: AbortSignal): void {
  if (signal.aborted) return;
  const cancel = () => cancelIdleCallback(handle);
  const handle = requestIdleCallback(() => {
    signal.removeEventListener('abort', cancel);
    if (!signal.aborted) task();
  }, { timeout: PANEL_IDLE_TIMEOUT_MS });
  signal.addEventListener('abort', cancel, { once: true });
}

/** Runs `task` after `ms` and then when the page is idle; with `ms` 0, only the latter. */
export function laterWhenIdle(ms: number, task: () => void, signal: AbortSignal): void {
  if (ms <= 0) return whenIdle(task, signal);
  if (signal.aborted) return;
  const cancel = () => clearTimeout(timer);
  const timer = setTimeout(() => {
    signal.removeEventListener('abort', cancel);
    whenIdle(task, signal);
  }, ms);
  signal.addEventListener('abort', cancel, { once: true });
}

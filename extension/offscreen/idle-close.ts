/**
 * The offscreen document closes itself once it has had nothing to do for a while. The background's
 * host closes it sooner (OFFSCREEN_IDLE_CLOSE_MS, background/offscreen/offscreen-host.ts), but that
 * timer lives in the service worker and dies with it: Chrome stops an idle worker after ~30 s, and a
 * worker stopped between two summaries leaves the document open with its summary worker and that
 * worker's tokenizer table (about 19 MB of the browser's memory, measured at the end of the
 * request-path bench) until a summary comes again, maybe never. The document knows when it last
 * worked, so it needs no one to close it; the host makes a new one when it has work.
 */

/**
 * The end-to-end build's wait: the same mechanism, seconds of a test run instead of half a minute (the
 * host makes the document again when a request finds it closed, so sooner is only slower, never wrong).
 */
export const E2E_SELF_CLOSE_MS = 5_000;

/**
 * How long the document stays open without a request. Longer than the host's own idle close (20 s),
 * so that while the service worker lives the host closes it, knowing nothing is queued; this only
 * catches a document the host forgot. A request arriving just as the document closes fails with
 * "receiving end does not exist", which the host answers by making the document again.
 */
// `?.`: Node (the benches) has no import.meta.env; Vite replaces it in the build.
export const OFFSCREEN_SELF_CLOSE_MS = import.meta.env?.MODE === 'e2e' ? E2E_SELF_CLOSE_MS : 30_000;

export interface IdleClose {
  /**
   * Runs `work` as the document's activity: it does not close while any runs, and the idle time
   * counts from the end of the last one.
   */
  during<T>(work: () => Promise<T>): Promise<T>;
  /** Stops the timer for good (the document is going away). */
  dispose(): void;
}

/**
 * Calls `close` once, after `idleMs` with no work running and `busy` false, counted from now and from
 * the end of the last work. Used by the offscreen document with `close` ending its worker and the document.
 * @example
 *   const idle = closeWhenIdle(() => { summaries.close(); window.close(); });
 *   const answer = (request) => idle.during(() => summaries.summarise(request));
 */
export function closeWhenIdle(close: () => void, idleMs = OFFSCREEN_SELF_CLOSE_MS, busy: () => boolean = () => false): IdleClose {
  let running = 0;
  let done = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (running > 0 || done) return;
      // Still busy without a request (a character's voice playing): looked at again a period later.
      if (busy()) return arm();
      done = true;
      close();
    }, idleMs);
  };
  arm();
  return {
    async during(work) {
      running += 1;
      clearTimeout(timer);
      try {
        return await work();
      } finally {
        running -= 1;
        if (running === 0 && !done) arm();
      }
    },
    dispose() {
      done = true;
      clearTimeout(timer);
    },
  };
}

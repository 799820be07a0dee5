/** Limits of the end-to-end harness, each with the reason it exists. */

/** Largest request body the test servers read: real chat bodies are KBs; a runaway client must not eat memory. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Default wait for `waitForRequest`: long enough for a 2-core machine running Chromium, short enough to fail fast. */
export const DEFAULT_WAIT_MS = 10_000;

/** How many SSE chunks the echo reply is split into at most: several, so readers see a real stream. */
export const ECHO_STREAM_CHUNKS = 5;

/** How many characters of the first message the echo reply quotes: enough to recognise a system prompt. */
export const ECHO_FIRST_CHARS = 40;

/** How long `close()` waits for Chromium to exit politely before its processes are killed. */
export const BROWSER_CLOSE_MS = 10_000;

/** How long `launchChromium` waits for the extension's MV3 service worker: ~0.3 s idle, far more on a loaded 2-core machine. */
export const SERVICE_WORKER_WAIT_MS = 45_000;

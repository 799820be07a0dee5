/** Limits and timings of chats' memory in the extension (the doc's own limits are in shared/src/docs/limits.ts). */

/**
 * A chat's summaries are planned this long after its transcript last changed: a reply, then the
 * person's next message, come in a burst; summarising once they settle keeps the worker off the page's
 * busiest moments and plans once for the burst.
 */
export const SUMMARY_DELAY_MS = 2_000;
/** A run that failed (the worker would not start, a job timed out) is tried again this much later. */
export const SUMMARY_RETRY_MS = 60_000;
/**
 * Summary jobs one run makes before it yields: a long chat imported at once (2,000 messages is ~80
 * jobs) is summarised over several runs, each planned afresh.
 */
export const MAX_SUMMARY_JOBS_PER_RUN = 24;
/**
 * Chats whose own model (endpoint, model, key) the background remembers for their summaries, and whose
 * last summary outcome it keeps: a browser session rarely has more character chats than this; the
 * least recently used is forgotten (its summaries are written locally until its next request).
 */
export const MAX_CHAT_MODELS = 64;

/** The chat's newest messages the Memory section offers to pin as facts ("Pin a message"). */
export const MEMORY_RECENT_MESSAGES = 12;
/** Characters of each such message the section shows in its list (the fact keeps the whole message). */
export const MEMORY_PREVIEW_CHARS = 160;

/**
 * Messages the page indexes for recall in one idle slice: 200 take ~9 ms on the 2-core box, so a
 * 2,000-message chat is indexed in ten short tasks instead of one of ~90 ms (a long task for the page).
 */
export const RECALL_WARM_SLICE = 200;

/** Sync's limits, each with its reason. */

/** Doc rooms open at once: each is a WebSocket and a relay room; a big library must not open hundreds. */
export const MAX_OPEN_DOC_ROOMS = 4;

/** How long a doc room may take to sync before we give up for now (it stays queued for the next connection). */
export const DOC_SYNC_TIMEOUT_MS = 15_000;

/** A doc room stays open this long after its last update, so a burst of edits (or the other device's reply) shares one connection. */
export const DOC_LINGER_MS = 1_500;

/** Persisting the index doc and bookkeeping waits this long after a change, so a burst costs one write. */
export const SAVE_DELAY_MS = 300;


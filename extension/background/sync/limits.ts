/** Sync's limits, each with its reason. The blob part size is part of a doc layout: BLOB_PART_BYTES in @troupe/shared/docs. */

/**
 * Doc rooms open at once. Each is a WebSocket and a relay room, so a big library must not open
 * hundreds. A room that only pulls lives for about one round trip plus one IndexedDB write, so a
 * first sync runs at roughly rooms / round-trip time: 16 rooms over an 80 ms link is ~200 docs/s
 * where 4 was ~50. On loopback (the first-sync bench) 16 beat 4 by 1.2-1.5x and 32 added nothing.
 * 16 stays far below Chrome's 255 sockets per host and the relay's room limit.
 */
export const MAX_OPEN_DOC_ROOMS = 16;

/** How long a doc room may take to sync before we give up for now (it stays queued for the next connection). */
export const DOC_SYNC_TIMEOUT_MS = 15_000;

/**
 * A room that pushed local edits stays open this long after its last update, so a burst of edits
 * (or the other device's reply) shares one connection.
 */
export const DOC_LINGER_MS = 1_500;

/**
 * A room that only pulled closes as soon as it is in sync and what it sent has left the socket:
 * after sync step 2 there is nothing more to wait for, and lingering here is what made a first sync
 * crawl (4 rooms / 1.5 s = 2.7 docs/s). Edits arriving later reach us through the index doc.
 */
export const PULL_LINGER_MS = 0;

/** How often a room that is done checks whether its socket has sent everything (bufferedAmount has no event). */
export const DRAIN_POLL_MS = 10;

/** Persisting the index doc and bookkeeping waits this long after a change, so a burst costs one write. */
export const SAVE_DELAY_MS = 300;

/**
 * Blob rooms open at once, apart from doc rooms so that avatars never hold a character's text back.
 * Two keep a link busy with multi-megabyte parts without making the relay buffer many at once.
 */
export const MAX_OPEN_BLOB_ROOMS = 2;

/**
 * A blob the index lists but the relay does not have yet (its device is still uploading, or went
 * offline first) is asked for again after this long...
 */
export const BLOB_RETRY_MS = 5_000;

/** ...at most this many times per session; the next index change or start tries again. */
export const MAX_BLOB_ATTEMPTS = 6;

/** The figures above as one object, so tests and the bench can run the manager with other values. */
export interface SyncLimits {
  maxOpenDocRooms: number;
  docLingerMs: number;
  pullLingerMs: number;
  docSyncTimeoutMs: number;
  maxOpenBlobRooms: number;
  blobRetryMs: number;
}

export const DEFAULT_SYNC_LIMITS: Readonly<SyncLimits> = Object.freeze({
  maxOpenDocRooms: MAX_OPEN_DOC_ROOMS,
  docLingerMs: DOC_LINGER_MS,
  pullLingerMs: PULL_LINGER_MS,
  docSyncTimeoutMs: DOC_SYNC_TIMEOUT_MS,
  maxOpenBlobRooms: MAX_OPEN_BLOB_ROOMS,
  blobRetryMs: BLOB_RETRY_MS,
});

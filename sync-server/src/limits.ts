/**
 * Every limit the relay enforces, in one place, each with the reason for its value. The relay takes
 * a `RelayLimits` object and the pack routes a `PackLimits` object (tests pass small values);
 * `readConfig` lets an operator override the defaults through TROUPE_* variables (see config.ts).
 */
import { MAX_SEALED_PACK_BYTES } from '@troupe/shared/packs';

export interface RelayLimits {
  /** Largest WebSocket frame accepted; a larger one closes the connection with TOO_LARGE (4413). */
  maxFrameBytes: number;
  /** Largest document (approximated by the bytes of the updates it holds) per room; 4413 beyond it. */
  maxDocBytes: number;
  /** Rooms one process holds in memory at once; joining another closes with ROOM_LIMIT (4503). */
  maxRooms: number;
  /** Sustained messages per second per connection; beyond the burst, closes with RATE_LIMITED (4529). */
  messagesPerSecond: number;
  /** Messages a connection may send at once before the per-second rate applies. */
  messageBurst: number;
  /** Bytes queued towards one client before the relay gives up on it (SLOW_CONSUMER, 4508). */
  maxBufferedBytes: number;
  /** How long an empty room stays in memory before it is flushed and released. */
  roomIdleMs: number;
  /** Stored update rows per room that trigger compaction into one snapshot row. */
  compactAfterRows: number;
  /** Longest a shutdown waits for rooms to flush to the store. */
  shutdownFlushMs: number;
}

/**
 * A character card with an embedded avatar is 1-3 MB, and a device's first sync sends its whole
 * document in one step-2 frame, so frames must hold a document; 8 MiB leaves room for that while
 * bounding what one frame can make the relay buffer.
 */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;

/** Room for a library of characters with avatars and long chat memories, still small enough to load fast. */
export const MAX_DOC_BYTES = 64 * 1024 * 1024;

/**
 * Measured ~30-40 KB RSS per loaded room with a live connection (FACTS.md); 10,000 rooms stay well
 * under 1 GiB, which is the memory budget of a small self-hosted box.
 */
export const MAX_ROOMS = 10_000;

/**
 * A person typing produces a few Yjs updates per second plus awareness (cursor) updates; a bulk
 * import in many transactions produces more. 100/s sustained with a 300-message burst never trips
 * on real use, and a client that does trip reconnects and catches up with one step-2 frame.
 */
export const MESSAGES_PER_SECOND = 100;
export const MESSAGE_BURST = 300;

/** Two full-size frames: a client that has not read that much is stalled, not merely slow. */
export const MAX_BUFFERED_BYTES = 2 * MAX_FRAME_BYTES;

/** Long enough to ride out a page reload or a network blip without reloading the room. */
export const ROOM_IDLE_MS = 5_000;

/** Loading 500 small rows costs a few ms; beyond that, merging them into one snapshot is cheaper. */
export const COMPACT_AFTER_ROWS = 500;

/** A container stop gives ~10 s before SIGKILL; flushing must finish inside that. */
export const SHUTDOWN_FLUSH_MS = 8_000;

/**
 * Awareness (presence) states that were not renewed for this long are dropped. y-protocols clients
 * renew every 15 s and drop peers after 30 s; the relay uses the same figure so it never hands a new
 * client a state that its peers already dropped.
 */
export const AWARENESS_STALE_MS = 30_000;

/**
 * Nesting depth allowed inside a Yjs `any` value. Real documents nest a handful of levels; an
 * attacker could nest hundreds of thousands in one frame to exhaust the decoder's stack.
 */
export const MAX_ANY_DEPTH = 64;

export const DEFAULT_LIMITS: Readonly<RelayLimits> = Object.freeze({
  maxFrameBytes: MAX_FRAME_BYTES,
  maxDocBytes: MAX_DOC_BYTES,
  maxRooms: MAX_ROOMS,
  messagesPerSecond: MESSAGES_PER_SECOND,
  messageBurst: MESSAGE_BURST,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  roomIdleMs: ROOM_IDLE_MS,
  compactAfterRows: COMPACT_AFTER_ROWS,
  shutdownFlushMs: SHUTDOWN_FLUSH_MS,
});

/** Limits of the pack routes (/packs). Rates are per client: its address, or the configured proxy header. */
export interface PackLimits {
  /** Largest upload (POST or PUT body); 413 pack/too-large beyond it. */
  maxPackBytes: number;
  /** Sustained POST/PUT/DELETE requests per client per hour; beyond the burst, 429 pack/rate-limited. */
  publishesPerHour: number;
  /** POST/PUT/DELETE requests a client may make at once before the hourly rate applies. */
  publishBurst: number;
  /** Sustained upload bytes per client per hour. */
  uploadBytesPerHour: number;
  /** Upload bytes a client may send at once; must be at least maxPackBytes or full-size packs never pass. */
  uploadBytesBurst: number;
  /** Sustained GET/HEAD requests per client per minute. */
  fetchesPerMinute: number;
  /** GET/HEAD requests a client may make at once. */
  fetchBurst: number;
  /** Clients whose rates are remembered; the least recently seen is forgotten beyond it. */
  maxTrackedClients: number;
  /** How often expired packs' ciphertext is dropped (their tombstones stay). */
  sweepIntervalMs: number;
}

/** The format's own ceiling (@troupe/shared/packs): clients neither make nor open anything larger. */
export const MAX_PACK_BYTES = MAX_SEALED_PACK_BYTES;

/**
 * A person publishes a few packs and a few new versions in a sitting; 20 at once covers sharing a
 * whole cast as separate packs, and 60 an hour keeps a script from using the relay as free storage.
 */
export const PACK_PUBLISHES_PER_HOUR = 60;
export const PACK_PUBLISH_BURST = 20;

/**
 * Four full-size packs at once, then 512 MiB an hour: generous for people, and a bound on how fast
 * one address can fill the relay's disk (an operator with a small disk lowers it).
 */
export const PACK_UPLOAD_BYTES_BURST = 4 * MAX_PACK_BYTES;
export const PACK_UPLOAD_BYTES_PER_HOUR = 512 * 1024 * 1024;

/**
 * Opening a link costs one to three requests (page, HEAD, GET). A classroom behind one address
 * opening the same link at once fits the burst of 30; a steady one per second bounds the bandwidth
 * one address can draw (64 MiB per pack).
 */
export const PACK_FETCHES_PER_MINUTE = 60;
export const PACK_FETCH_BURST = 30;

/** ~200 bytes per remembered client: 50,000 clients cost ~10 MB at most. */
export const PACK_MAX_TRACKED_CLIENTS = 50_000;

/** Expired ciphertext lingers at most this long on disk; a GET after expiry answers 410 at once regardless. */
export const PACK_SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export const DEFAULT_PACK_LIMITS: Readonly<PackLimits> = Object.freeze({
  maxPackBytes: MAX_PACK_BYTES,
  publishesPerHour: PACK_PUBLISHES_PER_HOUR,
  publishBurst: PACK_PUBLISH_BURST,
  uploadBytesPerHour: PACK_UPLOAD_BYTES_PER_HOUR,
  uploadBytesBurst: PACK_UPLOAD_BYTES_BURST,
  fetchesPerMinute: PACK_FETCHES_PER_MINUTE,
  fetchBurst: PACK_FETCH_BURST,
  maxTrackedClients: PACK_MAX_TRACKED_CLIENTS,
  sweepIntervalMs: PACK_SWEEP_INTERVAL_MS,
});

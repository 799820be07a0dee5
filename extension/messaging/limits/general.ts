/** The extension's limits, each with its reason. Shared by validators, the UI and the interceptor. */

/** A name long enough for any real card, short enough to show in a row. */
export const MAX_CHARACTER_NAME = 200;
/** Descriptions in real SillyTavern cards reach tens of KB; 200k characters leaves room and stops abuse. */
export const MAX_CHARACTER_DESCRIPTION = 200_000;
/** Avatars are shown at 40 px; 1 MB of data URL is plenty and keeps runtime messages small. */
export const MAX_AVATAR_DATA_URL = 1_000_000;
/** NextChat session ids are nanoids (21 chars); origins add ~100. Anything longer is not ours. */
export const MAX_CHAT_KEY = 512;
/** A chat body with pasted images (data URLs) can be large; past this the interceptor passes it untouched. */
export const MAX_INTERCEPT_BODY_CHARS = 16_000_000;
/** NextChat's chat URLs are a base URL and a short path; anything longer is not one of them. */
export const MAX_REQUEST_URL = 4_096;
/** A chat's log keeps at most this many exchanges (a long roleplay reaches a few thousand). */
export const MAX_LOG_REPLIES_PER_CHAT = 20_000;
/** A chat's log stores at most this many bytes of text (about 8,000 long replies). */
export const MAX_LOG_BYTES_PER_CHAT = 16 * 1024 * 1024;
/** All chat logs of one NextChat site together store at most this many bytes (a page flooding replies stops here). */
export const MAX_LOG_BYTES_PER_ORIGIN = 64 * 1024 * 1024;
/** A captured reply longer than this is cut, with a marker, before it is stored. */
export const MAX_REPLY_CHARS = 1_000_000;
/** How long the MAIN world waits for the isolated world's rewrite before sending the original request. */
export const REWRITE_TIMEOUT_MS = 2_000;
/** The inspector asks for a request's report this long after it was built (the first byte is usually in by then). */
export const INSPECTOR_REFRESH_DELAY_MS = 1_000;
/** What the panel shows about each request (inspector, reply count) waits for an idle page, at most this long. */
export const PANEL_IDLE_TIMEOUT_MS = 500;
/** How long the content script waits for NextChat's landmarks before deciding the page is something else. */
export const DETECT_TIMEOUT_MS = 15_000;
/**
 * With no sidebar (narrow layout) the open chat is read from NextChat's own store, which NextChat writes
 * a moment after it shows the chat: an unreadable store is asked again this often, this many times.
 */
export const SESSION_STORE_RETRY_MS = 250;
export const SESSION_STORE_RETRIES = 8;
/**
 * NextChat's store is read again this long after the last sign that the open chat may change (a key in
 * its input, a click in its messages, a reply): NextChat writes its store a moment after it updates the
 * page, and one read then serves a whole burst of typing.
 */
export const SESSION_RECORD_REFRESH_MS = 300;
/**
 * How often the content script may ask the background to get a chat's next build ready while the person
 * composes a message. Chrome stops an idle worker after ~30 s; a warm-up this often keeps a typing
 * person's worker up and costs one small message when it already is.
 */
export const WARM_INTERVAL_MS = 10_000;
/**
 * Longest Authorization header the MAIN world passes on with a chat request: `Bearer ` and a key
 * (~50-200 characters; JWT-style tokens reach ~2,000; MAX_API_KEY of the offscreen channel is 4,096).
 */
export const MAX_AUTHORIZATION_CHARS = 4_200;
/**
 * How often the MAIN world reports a reply's new text at most (and at once at a sentence end), so the
 * content script can speak a sentence as soon as it is complete (issue #12) without a message per token.
 */
export const REPLY_DELTA_INTERVAL_MS = 50;
/** Most text in one delta message; more goes in the next ones (a delta never carries a huge reply at once). */
export const MAX_REPLY_DELTA_CHARS = 16_384;

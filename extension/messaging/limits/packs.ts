/**
 * Limits of sharing and opening character packs in the extension, each with its reason. The pack's
 * own limits (sizes, counts, the 120-character link) are @troupe/shared/packs'.
 */

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** How long a shared pack may stay up: the choices the options page offers (the relay takes any future time). */
export const PACK_EXPIRY_MS = { never: null, '1d': DAY_MS, '7d': 7 * DAY_MS, '30d': 30 * DAY_MS } as const;

/** Most packs this device keeps as shared or imported: a person shares a few dozen; this bounds the lists and the hourly check. */
export const MAX_TRACKED_PACKS = 200;

/** Packs checked for a new version in one round (the hourly alarm, or a page opening), oldest check first. */
export const MAX_PACK_CHECKS_PER_ROUND = 50;

/** Checks run side by side: a relay allows a few fetches a second per client; two keeps well under. */
export const PACK_CHECK_CONCURRENCY = 2;

/** How often imported packs are checked in the background (chrome.alarms; Chrome allows at least 30 s). */
export const PACK_CHECK_INTERVAL_MINUTES = 60;

/** A page opening checks a pack again only when its last check is older than this (reloading a page never floods the relay). */
export const PACK_CHECK_ON_OPEN_MIN_MS = MINUTE_MS;

/** A pack the relay could not be asked about is left alone this long after each failed check (doubling, up to the hourly round). */
export const PACK_CHECK_RETRY_MS = 5 * MINUTE_MS;

/** How long one request to the relay may take: a 64 MiB pack on a slow line takes a while; an unreachable relay must not hang the page. */
export const PACK_RELAY_TIMEOUT_MS = 120_000;

/** Opened packs kept in the background between a preview and its import (by link): a person previews one or two at a time. */
export const MAX_CACHED_OPENED_PACKS = 4;

/** How long an opened pack stays in that cache: enough to read the preview and press Add. */
export const OPENED_PACK_TTL_MS = 10 * MINUTE_MS;

/** Longest description shown in a pack's preview (the whole card is imported; the preview shows its start). */
export const MAX_PREVIEW_DESCRIPTION_CHARS = 600;

/** Largest avatar shown as is in a preview when no thumbnail can be made (a data URL crosses the runtime channel). */
export const MAX_PREVIEW_RAW_AVATAR_BYTES = 256 * 1024;

/** Longest pasted link text a message may carry: a link is at most 120 characters; room for spaces and a pasted sentence around it is not needed. */
export const MAX_PACK_LINK_TEXT_CHARS = 1_000;

/** Longest display name kept for a pack in the lists. */
export const MAX_PACK_TITLE_CHARS = 200;

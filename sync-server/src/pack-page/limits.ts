/** Limits of the no-extension pack page, each with its reason. */

/**
 * Longest blurb shown under a character's name. A card's notes or description can run to pages of
 * prompt text; the list is for recognising characters, so a couple of lines is enough.
 */
export const MAX_BLURB_CHARS = 280;

/**
 * Longest downloaded file name before its extension. File systems allow 255 bytes; a UTF-8 name of
 * 120 characters stays under that with room for the browser's " (1)" on a second download.
 */
export const MAX_FILE_STEM_CHARS = 120;

/**
 * How long a downloaded file's object URL is kept before it is revoked. The browser starts reading
 * the Blob when the link is clicked, but may do so after the click returns; a minute is far more
 * than it needs, and the memory goes back long before anyone downloads a 64 MiB pack twice.
 */
export const OBJECT_URL_LIFETIME_MS = 60_000;

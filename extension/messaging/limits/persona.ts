/** Limits of the saved personas, each with its reason. Name and description limits are the chat persona's (prompt-service/limits.ts). */

/** Saved personas kept: SillyTavern users keep a handful to a few dozen; 100 bounds storage.local use (~100 × 5 KB avatars). */
export const MAX_SAVED_PERSONAS = 100;
/** Largest avatar image accepted before it is shrunk to a thumbnail: a phone photo, not a video. */
export const MAX_PERSONA_AVATAR_BYTES = 10 * 1024 * 1024;
/** Longest stored avatar data URL: a THUMB_PX WebP thumbnail is 2–5 KB; anything far beyond was not made by us. */
export const MAX_PERSONA_AVATAR_DATA_URL = 64 * 1024;

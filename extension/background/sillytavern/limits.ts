/** Limits of the SillyTavern client, each with its reason. Everything SillyTavern sends is untrusted input. */

/** One request (including reading its body): a local SillyTavern answers in milliseconds; its character list of
 *  hundreds of cards can take a few seconds on a slow disk. Past this the user should hear it is stuck. */
export const ST_REQUEST_TIMEOUT_MS = 30_000;

/** A card PNG: avatars with embedded art reach a few MB (Seraphina is 0.55 MB); 32 MB stops a runaway answer. */
export const ST_MAX_CARD_BYTES = 32 * 1024 * 1024;

/** `/api/characters/all` sends every card whole (description, book, json_data twice over): a library of
 *  thousands of cards is tens of MB. Above this the extension's memory is at risk. */
export const ST_MAX_LIST_BYTES = 128 * 1024 * 1024;

/** Characters Troupe lists for import at once: far above real libraries, low enough for one picker. */
export const ST_MAX_CHARACTERS = 10_000;

/** `/api/characters/get`: one card as JSON, with its lorebook and ST's copy of the raw card. */
export const ST_MAX_CHARACTER_JSON_BYTES = 32 * 1024 * 1024;

/** World Info files Troupe lists: SillyTavern users keep dozens, rarely hundreds. */
export const ST_MAX_WORLDS = 5_000;

/** One World Info file: books of 5,000 entries (FACTS.md) are ~10 MB of JSON. */
export const ST_MAX_WORLD_BYTES = 64 * 1024 * 1024;

/** Entries in one World Info file: ten times the largest book measured. */
export const ST_MAX_WORLD_ENTRIES = 50_000;

/** Small answers (`/csrf-token`, `/version`, import results, error pages): a few hundred bytes in practice. */
export const ST_MAX_SMALL_BYTES = 256 * 1024;


/** Tags kept per listed character, and characters per tag: enough for any picker, bounded for hostile data. */
export const ST_MAX_TAGS = 100;
export const ST_MAX_TAG_CHARS = 200;

/** Names and creators shown in the import list. */
export const ST_MAX_NAME_CHARS = 500;

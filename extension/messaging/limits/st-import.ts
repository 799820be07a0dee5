/** Limits of importing from a running SillyTavern, each with its reason. SillyTavern's answers are untrusted. */

/** Characters in one import: a picker of hundreds is usable, and every card is downloaded and parsed in turn. */
export const ST_IMPORT_MAX_CHARACTERS = 1_000;

/** Characters downloaded, parsed and handed to the store together: bounds memory (cards reach a few MB each). */
export const ST_IMPORT_CHUNK_SIZE = 8;

/** Card downloads at once: a local SillyTavern reads files from disk; more would only compete for 2 cores. */
export const ST_IMPORT_DOWNLOAD_CONCURRENCY = 3;

/** Imports running at once: one, so two open options pages cannot import the same cards twice over. */
export const ST_IMPORT_MAX_RUNNING = 1;

/** How long a finished import's results stay readable: long enough for a page that was reloaded to pick them up. */
export const ST_IMPORT_JOB_KEEP_MS = 10 * 60_000;

/** Finished imports remembered at once (the oldest are forgotten first). */
export const ST_IMPORT_MAX_KEPT_JOBS = 8;

/** How often the options page asks for progress: often enough to feel live, and each poll keeps the worker awake. */
export const ST_IMPORT_POLL_MS = 250;

/** Thumbnails asked for in one message: one screenful of the list. */
export const ST_THUMBNAILS_PER_REQUEST = 24;

/** Thumbnail downloads at once. */
export const ST_THUMBNAIL_CONCURRENCY = 4;

/** One thumbnail: SillyTavern's are ~10-20 KB (96x144); an original served in its place can be larger. */
export const ST_MAX_THUMBNAIL_BYTES = 512 * 1024;

/** A thumbnail that takes longer is shown as initials instead. */
export const ST_THUMBNAIL_TIMEOUT_MS = 10_000;

/** A SillyTavern address typed by the user. */
export const ST_MAX_URL_CHARS = 2_048;

/** A character name sent along with its file name, only to label results. */
export const ST_MAX_LABEL_CHARS = 500;

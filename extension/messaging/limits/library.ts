/** The character library's limits, each with its reason. Card parsing limits live in @troupe/shared/cards. */

const MiB = 1024 * 1024;

/** Side of a list thumbnail, in pixels: lists show avatars at 48 CSS px, so 96 is sharp on 2x screens. */
export const THUMB_PX = 96;
/** Thumbnails made by this code; lower versions are remade by the background. */
export const THUMB_VERSION = 1;
/**
 * A thumbnail still to make: an imported avatar (empty data URL) or the unresized avatar carried over
 * from schema 1. Indexed, so the background finds them without reading every row.
 */
export const THUMB_PENDING = 0;
/** Quiet time after the last import before thumbnails are made, so they never slow an import down. */
export const THUMB_FILL_DELAY_MS = 250;
/** Thumbnails made per transaction (and per "changed" announcement) while filling. */
export const THUMB_FILL_CHUNK = 24;
/**
 * Bytes read from the front of an image to learn its format and size without decoding it. A JPEG's
 * size sits after its EXIF and colour-profile segments, within the first 64 KB in practice.
 */
export const IMAGE_HEADER_BYTES = 64 * 1024;
/** WebP quality of thumbnails: at 96 px, 0.8 looks like the original and weighs 2-5 KB. */
export const THUMB_QUALITY = 0.8;

/**
 * Most characters one list request returns. A grid page shows 24-60; 200 bounds the message
 * (200 thumbnails of ~4 KB each is under 1 MB of JSON).
 */
export const MAX_PAGE_SIZE = 200;
/** Longest search text: nobody types more; it bounds the per-keystroke work. */
export const MAX_SEARCH_CHARS = 200;
/** Longest tag accepted in a filter or an edit: real tags are words. */
export const MAX_TAG_CHARS = 100;
/**
 * Most summaries `characters.list` returns (most recently changed first). The panel's own list pages
 * through `library.query`; this bound keeps the older whole-list call small in a 10,000-card library.
 */
export const MAX_LIST_SUMMARIES = 500;
/** Most standalone lorebooks one `library.lorebooks` answer lists; real libraries have dozens. */
export const MAX_LOREBOOK_LIST = 2_000;

/**
 * Files per import message. The options page parses cards itself (parsing is pure) and sends the
 * normalised JSON plus base64 assets; small batches keep progress moving and memory flat.
 */
export const MAX_IMPORT_BATCH_ITEMS = 50;
/** Soft size of one import message (JSON characters): a batch is closed once it passes this. */
export const IMPORT_BATCH_TARGET_CHARS = 8 * MiB;
/**
 * Hard size of one import message. Chrome refuses runtime messages over 64 MiB; a 32 MiB card
 * (the parser's file limit) is ~43 MiB as base64, so one such card still fits alone.
 */
export const MAX_IMPORT_MESSAGE_CHARS = 56 * MiB;
/** How long a page waits for the background worker to become active before sending imports as runtime messages instead. */
export const WORKER_READY_MS = 3_000;
/** Import batches in flight at once: one being written while the next is parsed. */
export const IMPORT_PIPELINE_DEPTH = 2;
/** Warnings kept per imported file: a broken big book can warn thousands of times; the first ones tell the story. */
export const MAX_WARNINGS_PER_ITEM = 200;
/** Cards the background prepares at once: thumbnails decode images, and a small machine has 2 cores. */
export const IMPORT_CONCURRENCY = 2;

/** Most assets per character: a full sprite set is a few hundred (same bound as CHARX entries, 2,000). */
export const MAX_ASSETS_PER_CHARACTER = 2_000;
/** Largest single asset accepted from a message: the card parser's file limit. */
export const MAX_ASSET_BYTES = 32 * MiB;
/** Largest asset sent back for viewing (as a data URL): bigger images are not previewed. */
export const MAX_ASSET_PREVIEW_BYTES = 8 * MiB;
/** Largest exported file sent to a page (base64 grows it by a third; see MAX_IMPORT_MESSAGE_CHARS). */
export const MAX_EXPORT_BYTES = 40 * MiB;

/**
 * Longest text field accepted from the editor. The parser allows 16 MiB per string; real
 * descriptions reach tens of KB. 2 million characters keeps every real card editable.
 */
export const MAX_FIELD_CHARS = 2_000_000;
/** Most items in an edited list (greetings, tags, sources): real cards have a few dozen. */
export const MAX_LIST_ITEMS = 1_000;
/** Most languages in `creator_notes_multilingual`. */
export const MAX_LANGUAGES = 200;
/** Longest language key (BCP 47 tags are short; 35 is the practical maximum). */
export const MAX_LANGUAGE_CHARS = 35;
/** Largest lorebook entry from the editor, as JSON text. */
export const MAX_ENTRY_JSON_CHARS = 4 * MiB;
/** Lorebook entries one editor page shows (books reach thousands of entries). */
export const MAX_LORE_PAGE = 200;

/**
 * How long a delete can be undone. The row is only hidden during this time; then one
 * transaction removes row, doc, blobs and writes the tombstone that sync will carry.
 */
export const UNDO_WINDOW_MS = 10_000;
/** How long a waking background waits before its chores (purging expired deletes, old thumbnails). */
export const MAINTENANCE_DELAY_MS = 3_000;
/** Room for the clock between the undo window's end and the purge, so an Undo pressed at 9.9 s still works. */
export const PURGE_GRACE_MS = 2_000;

/**
 * Files being read and parsed ahead of the batch being packed: more than one batch
 * (MAX_IMPORT_BATCH_ITEMS), so the import workers keep parsing while the page waits for the
 * background to take the next batch; ~64 files of a few hundred KB is a few tens of MB at most.
 */
export const IMPORT_READ_AHEAD = 64;
/**
 * Workers an extension page parses picked files in. Two beat one on a 2-core machine (1,000 PNG
 * cards: 8.7-8.8 s against 9.5-10.9 s, same run): a worker spends part of each file waiting on the
 * browser (reading it, making its Blob), which the other fills.
 */
export const IMPORT_PARSE_WORKERS = 2;
/**
 * Least time between two list refreshes that background changes cause. An import announces every
 * batch and every chunk of thumbnails; twice a second keeps a list live (new avatars show within
 * half a second) without re-rendering it and querying the background for every announcement.
 */
export const LIST_REFRESH_MS = 500;

/**
 * Characters per page of the options page's library manager: a few rows of the grid on a laptop
 * screen. Also how many the background keeps ready as the first page (see FIRST_PAGE_DELAY_MS).
 */
export const LIBRARY_PAGE_SIZE = 24;
/**
 * Quiet time after the last change before the background stores the library's first page for pages
 * to show while it starts (an import changes the library every batch; one store at the end is enough).
 */
export const FIRST_PAGE_DELAY_MS = 300;
/**
 * Thumbnails the background keeps in memory for list answers (~4 KB each, so ~4 MB at most): a
 * keystroke's page is mostly the previous keystroke's, and reading thumbnails is most of a warm answer.
 */
export const MAX_CACHED_AVATARS = 1_000;

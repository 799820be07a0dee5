/**
 * Size and shape limits for everything the cards library reads. Cards come from strangers on
 * the internet, so every loop and every allocation is bounded by one of these.
 */

const MiB = 1024 * 1024;

/**
 * Largest card file accepted (PNG, JSON or CHARX). Real cards are under 10 MiB (a large
 * avatar plus a big lorebook); 32 MiB leaves room and still fits comfortably in a tab's memory.
 */
export const MAX_CARD_FILE_BYTES = 32 * MiB;

/**
 * Largest JSON text parsed (a card, a card.json inside a CHARX, a decoded PNG text chunk,
 * a World Info file). Text of this size is ~5 million words: far beyond any real card.
 */
export const MAX_JSON_BYTES = 32 * MiB;

/**
 * Deepest JSON nesting accepted. Real cards nest under 10 levels (extensions inside entries
 * inside a book inside data); deep nesting is only ever an attack on recursive parsers.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Longest single JSON string, in UTF-16 code units. Large enough for a `data:` URI asset or
 * a long description, small enough that one field cannot take the whole memory budget.
 */
export const MAX_STRING_LENGTH = 16 * MiB;

/**
 * Most lorebook entries in one book. SillyTavern stalls at a few thousand (measured ~400 ms
 * per activation at 5,000); 20,000 keeps every real book and refuses generated floods.
 */
export const MAX_LOREBOOK_ENTRIES = 20_000;

/**
 * Most files in a CHARX zip. A card with a full sprite set has a few hundred; the limit
 * stops archives of millions of empty entries, each of which would cost a parse step.
 */
export const MAX_ZIP_ENTRIES = 2_000;

/**
 * Most bytes all CHARX entries may inflate to, together, checked against the declared sizes
 * before inflating and against the real output while inflating (zip bombs lie about sizes).
 */
export const MAX_ZIP_TOTAL_UNCOMPRESSED = 128 * MiB;

/**
 * Most bytes a compressed PNG text chunk (zTXt, compressed iTXt) may inflate to: the same
 * bound as any JSON text, since that is all such a chunk may hold.
 */
export const MAX_PNG_TEXT_BYTES = MAX_JSON_BYTES;

/** The limits as one object, so tests and callers can tighten some of them. */
export interface CardLimits {
  maxFileBytes: number;
  maxJsonBytes: number;
  maxJsonDepth: number;
  maxStringLength: number;
  maxLorebookEntries: number;
  maxZipEntries: number;
  maxZipTotalUncompressed: number;
  maxPngTextBytes: number;
}

/** The default limits, built from the constants above. */
export const DEFAULT_CARD_LIMITS: Readonly<CardLimits> = Object.freeze({
  maxFileBytes: MAX_CARD_FILE_BYTES,
  maxJsonBytes: MAX_JSON_BYTES,
  maxJsonDepth: MAX_JSON_DEPTH,
  maxStringLength: MAX_STRING_LENGTH,
  maxLorebookEntries: MAX_LOREBOOK_ENTRIES,
  maxZipEntries: MAX_ZIP_ENTRIES,
  maxZipTotalUncompressed: MAX_ZIP_TOTAL_UNCOMPRESSED,
  maxPngTextBytes: MAX_PNG_TEXT_BYTES,
});

/** Defaults overlaid with the caller's overrides. */
export function resolveLimits(overrides?: Partial<CardLimits>): CardLimits {
  return { ...DEFAULT_CARD_LIMITS, ...overrides };
}

/** Limits and defaults of the lorebook engine, each with the reason it has this value. */

/** Messages scanned for keys when neither entry nor book says otherwise: SillyTavern's default. */
export const DEFAULT_SCAN_DEPTH = 2;

/** Deepest scan an entry may ask for. SillyTavern truncates at the same value; deeper scans cost time for no gain. */
export const MAX_SCAN_DEPTH = 1000;

/** Share of the context (percent) that activated entries may fill: SillyTavern's default budget. */
export const DEFAULT_BUDGET_PERCENT = 25;

/** Depth of an `at_depth` entry that gives none: SillyTavern's DEFAULT_DEPTH. */
export const DEFAULT_INSERTION_DEPTH = 4;

/** Weight of an inclusion-group member that gives none: SillyTavern's DEFAULT_WEIGHT. */
export const DEFAULT_GROUP_WEIGHT = 100;

/** Insertion order of an entry that gives none: SillyTavern's new-entry default. */
export const DEFAULT_ORDER = 100;

/**
 * Hard ceiling on scan passes (the first scan plus recursion steps). SillyTavern's own setting defaults to
 * "unlimited", which lets a chain of N entries cost N full passes over the book; each pass rescans every
 * entry, so the ceiling bounds the worst case of one activation. Real books settle in 2-4 passes.
 */
export const MAX_SCAN_PASSES = 16;

/**
 * Distinct macro-dependent key values remembered per compiled book. Keys such as `{{char}}` are compiled
 * after substitution; the cache keeps that to once per distinct value without growing without bound.
 */
export const MAX_DYNAMIC_KEY_CACHE = 512;

/**
 * Book combinations whose merged entry order is remembered. Merging 5,000 entries costs more than the
 * rest of a typical activation, and one chat uses the same few books turn after turn.
 */
export const MAX_ORDER_CACHE = 16;

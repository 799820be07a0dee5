/** Limits of the macro engine, each with its reason. */

/**
 * How deep card fields expand inside each other (`{{description}}` may contain `{{char}}`, or even
 * `{{personality}}`). Deeper references are left as written, so a field that names itself cannot loop
 * and cannot blow the text up exponentially.
 */
export const MAX_FIELD_DEPTH = 3;

/** Most dice one `{{roll}}` may throw; beyond it the formula is invalid (empty result), not slow. */
export const MAX_DICE = 1000;

/** Most sides a die may have; larger numbers are almost certainly typos. */
export const MAX_DICE_SIDES = 1_000_000;

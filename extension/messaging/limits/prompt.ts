/** Limits of per-chat prompt settings, checked when a panel sends them (the background trusts nothing). */

/** A persona name is a display name, like a character's. */
export const MAX_PERSONA_NAME = 200;
/** A persona description is prompt text; SillyTavern's personas rarely pass a few thousand characters. */
export const MAX_PERSONA_DESCRIPTION = 20_000;
/** An author's note is a short steering text; anything longer belongs in the card or a lorebook. */
export const MAX_AUTHOR_NOTE = 20_000;
/** Deeper than any chat window NextChat sends; SillyTavern's own input stops at 9999 too. */
export const MAX_AUTHOR_NOTE_DEPTH = 9_999;
/** Same bound as the depth: a note every 10 000 turns is already never. */
export const MAX_AUTHOR_NOTE_EVERY_N = 9_999;
/** Cards carry a handful of alternate greetings; the index is bounded so a bad message cannot store junk. */
export const MAX_GREETING_INDEX = 1_000;
/** SillyTavern's default depth for the author's note. */
export const DEFAULT_AUTHOR_NOTE_DEPTH = 4;
/**
 * Library lorebooks one chat may bind, and books enabled for every chat: SillyTavern users run a handful;
 * the bound keeps a request's book set (and each request's version check) small.
 */
export const MAX_BOUND_LOREBOOKS = 50;
/** Library ids are UUIDs; anything much longer is not one of ours. */
export const MAX_LOREBOOK_ID = 100;
/**
 * Converted library books kept between requests (each holds its compiled form); the least recently used
 * go first. Above one chat's most (global + chat-bound + the card's world), so one chat never thrashes it.
 */
export const MAX_CACHED_LOREBOOKS = 2 * MAX_BOUND_LOREBOOKS + 28;

/** Smallest context size a user may set: below this not even a card and one exchange fit. */
export const MIN_CONTEXT_SIZE = 1_024;
/** Largest context size a user may set: above any model served today (Gemini's 2M). */
export const MAX_CONTEXT_SIZE = 2_000_000;

/** Largest memory budget, in percent of the context: past half, the recent history the model follows most closely would give way. */
export const MAX_MEMORY_PERCENT = 50;

/** Prompt state (lore timers, variables) is written this long after a build, once the request is on its way. */
export const PROMPT_STATE_WRITE_DELAY_MS = 1_500;

/** Longest text whose exact token count a prompt kit carries (longer ones are estimated on the page, high). */
export const MAX_KIT_TOKEN_TEXT_CHARS = 65_536;

/**
 * The most of a NextChat session's stored chat a request is built from (newest first): far beyond what
 * any context window fits (the assembler fits the history to it), small enough to hand to the
 * background in one message when the page cannot build the prompt itself. ~1 M characters is ~250 k
 * tokens of English.
 */
export const MAX_WHOLE_CHAT_CHARS = 1_000_000;
/** Messages of one session a request is built from (newest first), however short they are. */
export const MAX_WHOLE_CHAT_MESSAGES = 5_000;
/** NextChat's own summary of a session is ~200 words; anything far longer is not one. */
export const MAX_HOST_SUMMARY_CHARS = 20_000;
/** Mask context messages NextChat puts before a chat: masks carry a handful. */
export const MAX_MASK_CONTEXT_MESSAGES = 1_000;
/** NextChat's message ids are nanoids (21 characters); anything much longer is not one. */
export const MAX_MESSAGE_ID = 100;

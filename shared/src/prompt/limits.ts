/** Limits and defaults of prompt assembly, each with the reason it has this value. */

/**
 * Messages from the end at which the author's note and a card's depth prompt go when they give no depth:
 * SillyTavern's default for both (and for lore entries inserted at a depth).
 */
export const DEFAULT_INSERTION_DEPTH = 4;

/**
 * Deepest insertion honoured. SillyTavern caps in-chat injections at the same value; anything deeper
 * lands at the start of the history anyway, and the cap keeps a corrupt card from asking for 1e308.
 */
export const MAX_INSERTION_DEPTH = 10_000;

/**
 * Tokens kept free for the reply when the request names no `max_tokens`. NextChat always sends one
 * (4,000 by default); other callers may not, and 1,024 leaves room for a long role-play reply.
 */
export const DEFAULT_REPLY_RESERVE_TOKENS = 1024;

/**
 * Largest share of the context window the reply reserve may take. A `max_tokens` set for a big model
 * (32k) and reused with a small one (8k) would otherwise leave no room for the prompt at all; half the
 * window still lets the model write a long reply.
 */
export const MAX_REPLY_RESERVE_SHARE = 0.5;

/**
 * Message texts whose token counts are remembered between builds. A chat re-sends the same history and
 * card text every turn; counting 500 messages again costs more than the rest of a build. 8,192 covers a
 * long history several times over.
 */
export const MAX_TOKEN_CACHE_ENTRIES = 8192;

/**
 * Characters of text held by the token-count cache (UTF-16 code units, so about twice this in bytes).
 * Keeps a few pasted books' worth of long messages from pinning memory in a content script.
 */
export const MAX_TOKEN_CACHE_CHARS = 4_000_000;

/** Texts longer than this are counted every time rather than cached: they are rare and would crowd out the rest. */
export const MAX_CACHED_TEXT_CHARS = 200_000;

/**
 * Share of the context window the chat's memory (pinned facts, summaries of left-out messages, recalled
 * messages) may take once the history no longer fits: the default, a setting. 15% of a
 * 16,000-token context is 2,400 tokens, room for the facts, a few merged summaries and a dozen recalled
 * messages, while the recent history, which the model follows most closely, keeps the rest.
 */
export const DEFAULT_MEMORY_SHARE = 0.15;

/**
 * Share of the memory budget (after the facts) the summaries may fill before recall has its turn; each
 * then takes what the other left. Without it the summaries of a long chat not yet merged would fill the
 * budget and leave no room for the exact words the new turn asks about (a name, a promise). A quarter
 * holds two or three merged summaries at the default budget; in `pnpm bench memory` it kept 98% of the
 * planted facts against 94% with half (the summaries' facts were recalled anyway).
 */
export const MEMORY_SUMMARY_SHARE = 0.25;

/**
 * Share of the memory budget (after the pinned facts) that passages recalled from the character's other
 * chats may take (long-term memory): enough for a few exchanges, never crowding out this chat's own.
 */
export const LONG_TERM_SHARE = 0.4;

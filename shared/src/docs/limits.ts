/** Limits of the doc layouts, each with its reason. */

/**
 * Largest part of an asset blob, one part per blob part doc (and relay room). The relay refuses
 * frames over 8 MiB (MAX_FRAME_BYTES in sync-server/src/limits.ts), and a room's first sync sends its
 * whole doc in one frame; 4 MiB of bytes plus Yjs framing fits with room to spare, and keeps one part
 * well under the relay's per-room document limit (64 MiB). Most avatars (0.1-3 MB) travel in one
 * part; a 32 MiB asset (the library's limit) in eight. Part of the blob part layout: readers check a
 * part's length against it, so changing it needs a new BLOB_PART_FORMAT.
 */
export const BLOB_PART_BYTES = 4 * 1024 * 1024;

// ---- a chat's memory (chat-memory-doc.ts) -----------------------------------------------------

/**
 * Most messages kept in one chat's memory doc. The bench's long chat is 500 messages; 5,000 is ten of
 * those, beyond what anyone scrolls through in NextChat, and keeps the order array and the tombstones
 * of deleted messages small.
 */
export const MAX_CHAT_MESSAGES = 5_000;

/**
 * Longest message text kept, in UTF-16 code units. A long model reply (8,000 tokens) is ~32,000
 * characters; a longer one is a pasted document, which the whole-chat history would not fit anyway.
 */
export const MAX_MESSAGE_CHARS = 32_768;

/**
 * Longest summary text. Summaries are asked for a few hundred tokens; 8,000 characters (~2,000 tokens)
 * leaves room for the person's edits and keeps a runaway model reply out of the doc.
 */
export const MAX_SUMMARY_CHARS = 8_000;

/**
 * Most summaries in one chat. At 1,500 tokens per level-0 chunk, 5,000 messages of a few hundred tokens
 * make a few hundred summaries with their merges; 1,000 leaves room for very short chunks.
 */
export const MAX_CHAT_SUMMARIES = 1_000;

/**
 * Most pinned facts per chat. Pinned facts always go in the prompt: 200 short facts (~25 tokens each)
 * already exceed the default memory budget of a 16,000-token context twice over.
 */
export const MAX_PINNED_FACTS = 200;

/** Longest pinned fact: a fact is a sentence or a promoted message, not a document. */
export const MAX_FACT_CHARS = 2_000;

/**
 * All text of one chat's memory (messages, summaries, facts), in UTF-16 code units. A device's first
 * sync sends the whole doc in one frame and the relay refuses frames over 8 MiB (MAX_FRAME_BYTES in
 * sync-server/src/limits.ts); 2,000,000 units are at most 6 MB of UTF-8 (3 bytes per unit, CJK text),
 * which leaves room for ids, Yjs structure and tombstones.
 */
export const MAX_CHAT_MEMORY_CHARS = 2_000_000;

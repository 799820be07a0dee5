/** Limits and weights of memory (retrieval terms, recall, extractive summaries), each with the reason it has this value. */

// ---- text-terms -------------------------------------------------------------------------------

/**
 * Shortest stem a suffix may be stripped down to. Shorter stems conflate unrelated words ("sing",
 * "ring", "king" would all lose "-ing"); three letters keeps those whole and still folds "running".
 */
export const MIN_STEM_LENGTH = 3;

/**
 * Characters of one item's text that are indexed. A pasted chapter in a chat message would otherwise
 * cost as much as the rest of the chat to tokenise; what it is about shows in its first 20,000 characters.
 */
export const MAX_INDEXED_CHARS = 20_000;

// ---- recall (BM25) ----------------------------------------------------------------------------

/**
 * BM25 term-frequency saturation. 1.2 is the usual default (Lucene, Elasticsearch); chat messages are
 * short, so a word said twice means more than once but not twice as much.
 */
export const BM25_K1 = 1.2;

/**
 * BM25 length normalisation. 0.75 is the usual default: a long reply that mentions a name once is less
 * about it than a one-line message that does.
 */
export const BM25_B = 0.75;

/**
 * Distinct query terms scored. A query is the latest turn; someone may paste a page into it. Keeping the
 * rarest 64 terms bounds a query's cost and loses nothing (common terms barely score in BM25).
 */
export const MAX_QUERY_TERMS = 64;

/**
 * How much more the newest item scores than the oldest with the same match (0.1 = 10%, linear in
 * between). Small on purpose: it breaks near-ties toward what happened lately without burying an old,
 * exactly matching fact under recent chatter.
 */
export const RECALL_RECENCY_WEIGHT = 0.1;

/**
 * A message covered by a picked summary is still picked when it scores at least this many times the
 * summary: the summary said the gist, but the message holds the exact words that matched.
 */
export const COVER_OVERRIDE_RATIO = 1.5;

/**
 * Items scoring below this share of the best item are not recalled even when budget is left. They
 * matched on one common word; they cost tokens and change the prompt every turn for no gain.
 */
export const MIN_SCORE_RATIO = 0.1;

// ---- extractive summaries ---------------------------------------------------------------------

/**
 * Weight of a name-like word (capitalised mid-sentence, or at a sentence's start when the chunk never
 * writes it lower-case). Names of people, places and things are what a summary must keep.
 */
export const EXTRACTIVE_ENTITY_WEIGHT = 2;

/** Weight of a number (digits or a number word): counts, dates, prices and ages are facts the story relies on. */
export const EXTRACTIVE_NUMBER_WEIGHT = 2;

/**
 * Score bonus (share) for a sentence with a fact cue: a promise, an injury, a debt, a death, a name
 * given. These are what players ask about later, and a plain term weight does not know them.
 */
export const EXTRACTIVE_CUE_BONUS = 0.5;

/** Score bonus (share) for a message's first sentence: in chat it usually says what the message is about. */
export const EXTRACTIVE_LEAD_BONUS = 0.1;

/**
 * Sentences are ranked by score / tokens^this. At 1 the ranking would pick many tiny fragments, at 0
 * a few long sentences; 0.5 sits between, so a long sentence must carry more than a short one to win.
 */
export const EXTRACTIVE_LENGTH_EXPONENT = 0.5;

/**
 * Factor applied to a term's weight each time a kept sentence contains it (as in SumBasic): the next
 * pick prefers something not yet said over the same fact in other words.
 */
export const EXTRACTIVE_REDUNDANCY_DECAY = 0.5;

/**
 * Term-set overlap (Jaccard) at which a sentence counts as a repeat of one already kept (a regenerated
 * reply, an echoed line) and is skipped outright.
 */
export const EXTRACTIVE_DUPLICATE_OVERLAP = 0.8;

// ---- summary planning (summary-plan.ts) -------------------------------------------------------

/**
 * Tokens of messages summarised in one level-0 summary. About 25 messages of 60 tokens: long enough
 * that a summary holds a scene (SillyTavern's Summarize extension redoes one rolling summary every 10
 * messages and loses facts as it rewrites it), short enough that the chunk plus instructions fits any
 * model's context and an extractive summary of it keeps most of its named facts. A 500-message chat
 * needs ~20 such summaries (plus ~4 merges), about 5 requests per 100 messages.
 */
export const SUMMARY_CHUNK_TOKENS = 1_500;

/**
 * The newest messages never summarised. They are in the prompt word for word (the history is fitted
 * newest first), and the last exchanges are the ones most often edited or regenerated, so summarising
 * them would mostly produce summaries that go stale at once.
 */
export const SUMMARY_KEEP_RECENT = 20;

/**
 * Summaries of one level merged into one of the next level once more than this many are unmerged. Four
 * keeps the memory of a long chat small (a level-n summary stands for 4^n chunks) while a merge still
 * sees each part at a quarter of its length; a higher fan-in loses more detail per merge.
 */
export const SUMMARY_FAN_IN = 4;

/**
 * Length asked of a level-0 summary: about 7:1 against its chunk, roughly two sentences per planted fact
 * in a dense scene. Seven of these with merged ones stay under the default memory budget (15% of a
 * 16,000-token context = 2,400 tokens).
 */
export const SUMMARY_TARGET_TOKENS = 200;

/**
 * Length asked of a merged summary (level 1 and up): four summaries (~800 tokens) merged into 300 keeps
 * the facts and drops the retelling.
 */
export const MERGED_SUMMARY_TARGET_TOKENS = 300;

/**
 * Highest summary level made or read. With a fan-in of 4 over 1,500-token chunks, level 6 stands for
 * ~6 million tokens, beyond the largest chat a chat memory doc can hold; it bounds every loop over levels.
 */
export const MAX_SUMMARY_LEVEL = 6;

// ---- extractive summaries (continued) ---------------------------------------------------------

/**
 * Characters beyond which a sentence is cut at its clauses (after ";", ":", ",", a dash). Role-play
 * prose runs on; one 600-character sentence would otherwise take a small budget whole or be lost whole.
 */
export const EXTRACTIVE_MAX_SENTENCE_CHARS = 300;

/**
 * Content terms a sentence needs to be kept, unless one of them is a name, a number or a fact cue.
 * One plain word ("I know.", "Come here.") is chit-chat even when the word is rare in the chunk.
 */
export const EXTRACTIVE_MIN_TERMS = 2;

// ---- long-term memory (a character's other chats) ----------------------------------------------

/** Other chats a character's long-term memory reads, the most recently changed first. */
export const LONG_TERM_MAX_CHATS = 12;

/** Facts from other chats carried into a chat: they are always sent, so they are few. */
export const LONG_TERM_MAX_FACTS = 40;

/** Newest messages of each other chat that recall may bring back word for word (its summaries stand for the rest). */
export const LONG_TERM_MESSAGES_PER_CHAT = 200;

/**
 * Passages (messages and summaries) of all other chats together: what the prompt kit carries to the
 * page and the page indexes; the oldest chats' go first when there are more.
 */
export const LONG_TERM_MAX_PASSAGES = 1_500;

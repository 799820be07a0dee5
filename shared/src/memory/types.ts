/**
 * The plain data of a chat's memory: its transcript, summaries and pinned facts. The Y.Doc layout that
 * stores and syncs them is docs/chat-memory-doc.ts; the pure work on them (reconciling with NextChat,
 * planning summaries) is in this folder.
 */

export type TranscriptRole = 'user' | 'assistant' | 'system';

/** One message of a chat as NextChat's session store holds it. */
export interface TranscriptMessage {
  /** NextChat's message id (a nanoid): unique, never reused, new for a regenerated or forked message. */
  id: string;
  role: TranscriptRole;
  text: string;
  /** When NextChat made it (ms since the epoch), when known. */
  at?: number;
}

/** A message with its token count, as the summary planner needs it (counted by the caller with the chat's tokenizer). */
export interface CountedMessage extends TranscriptMessage {
  tokens: number;
}

/**
 * One change to a kept transcript, as `reconcileTranscript` makes them. Applied in order, they turn the
 * kept list into NextChat's current one.
 *   insert: `index` is the position in the list as it is when this op is applied; `after` is the id the
 *           message follows (null: first), which a synced doc uses instead, since another device may
 *           have changed the positions.
 *   update: the message keeps its id and place; its role or text changed (an edit in NextChat).
 *   delete: the message is gone. A delete and an insert of the same id in one batch is a move, not a
 *           deletion (NextChat never reorders, but a reorder must not lose the message).
 */
export type TranscriptOp =
  | { kind: 'insert'; index: number; after: string | null; message: TranscriptMessage }
  | { kind: 'update'; id: string; role: TranscriptRole; text: string }
  | { kind: 'delete'; id: string };

/** Who wrote a summary's text: a model, the local extractive summariser, or the person (edited in the panel). */
export type SummarySource = 'model' | 'local' | 'user-edited';

/**
 * A summary of part of a chat. Level 0 covers messages (their ids, oldest first); level n + 1 covers
 * adjacent level-n summaries. `coverHash` is the hash of what it covers when it was made
 * (`messagesHash` for level 0, `summariesHash` above): when it no longer matches, the summary is stale.
 */
export interface Summary {
  id: string;
  level: number;
  covers: string[];
  coverHash: string;
  text: string;
  /** Tokens of `text`, counted with the chat's tokenizer when it was made. */
  tokens: number;
  source: SummarySource;
  at: number;
}

/** A fact the person pinned ("remember that…", or a message promoted): always in the prompt. */
export interface PinnedFact {
  id: string;
  text: string;
  /** The message it was promoted from, when it was. */
  fromMessageId?: string;
  at: number;
}

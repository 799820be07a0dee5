/**
 * The two long-lived ports between a context (panel, options page) and the background: calls with
 * their answers, and the changes the background announces.
 */

/** Port names the background accepts. */
export const CALLS_PORT = 'troupe-calls';
export const EVENTS_PORT = 'troupe-events';

/** One call on the calls port; `id` pairs the answer with it. The envelope inside carries the version. */
export interface PortCall { id: number; envelope: unknown }
/**
 * The background's messages about a call: `ack` as soon as it arrives (so a call cut off later is
 * known to have been read, and is never sent twice), then its `result`.
 */
export type PortAnswer = { id: number; ack: true } | { id: number; result: unknown };

/**
 * What the background announces. `prompt-built` (only the chat's inspector report is new) and
 * `reply-saved` (only the chat's length changed) come with every request, so they are kept narrow.
 */
export type RuntimeEvent =
  | { type: 'characters-changed' }
  | { type: 'personas-changed' }
  | { type: 'chat-changed'; chatKey: string }
  /** The chat's memory (pinned facts, summaries) changed: the panel's memory section reads it again. */
  | { type: 'memory-changed'; chatKey: string }
  | { type: 'prompt-built'; chatKey: string }
  /** The packs this device shares or imported changed (published, revoked, checked, applied). */
  | { type: 'packs-changed' }
  | { type: 'reply-saved'; chatKey: string; logCount: number };

/**
 * Whose write a transaction is, so subscribers can tell the person's edits from sync's, from a stored
 * reply and from the prompt service's own bookkeeping (sync must not echo what it just received; a
 * stored reply or a saved prompt state must not make the prompt service drop the chat it keeps). Marked per transaction, not per id, so a
 * person's edit of a character that commits while sync writes the same character is still heard.
 */
import Dexie from 'dexie';

/**
 * `reply`: the interceptor stored a reply (the chat's log and its size); `prompt-state`: lore timers and
 * variables saved behind a build; `transcript`: a chat's memory took NextChat's messages (nothing a
 * prompt kit holds changed).
 */
export type WriteOrigin = 'person' | 'sync' | 'reply' | 'prompt-state' | 'transcript';

const origins = new WeakMap<object, WriteOrigin>();

/** Call first thing inside a transaction whose writes are not the person's. */
export function markWriteOrigin(origin: Exclude<WriteOrigin, 'person'>): void {
  const tx = Dexie.currentTransaction;
  if (tx) origins.set(tx, origin);
}

/** Whose write `tx` is ('person' unless marked). */
export function currentWriteOrigin(tx: object): WriteOrigin {
  return origins.get(tx) ?? 'person';
}

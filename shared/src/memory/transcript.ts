/**
 * Troupe's kept transcript of a chat, lined up with NextChat's current messages. NextChat's session
 * store is the record of what the person sees: edits, deletions, regenerations (Retry deletes the user
 * message and its reply and sends the text again as new messages with new ids) and forks (a new
 * session of copies with new ids) all show there, and the kept transcript follows it by message id.
 */
import type { TranscriptMessage, TranscriptOp } from './types.ts';

export interface ReconcileOptions {
  /**
   * Ids this device's NextChat has shown before. When given, only those are deleted when missing: a
   * message that reached the transcript from another device and that this NextChat never had is not
   * this device's to delete (its NextChat may simply not have synced it yet).
   */
  localIds?: ReadonlySet<string>;
}

export interface Reconciliation {
  /** Apply in order (see TranscriptOp). Empty when nothing changed. */
  ops: TranscriptOp[];
  /** Ids whose role or text changed (kept order). */
  changed: string[];
  /** Ids gone from NextChat (kept order). */
  deleted: string[];
  /** Ids whose place changed (a reorder: removed and inserted again). */
  moved: string[];
  /** Every id whose summaries are now stale: changed, deleted or moved (kept order, no repeats). */
  invalidated: string[];
}

/** The list without later repeats of an id (NextChat's ids are unique; a repeat is a glitch, not a message). */
function firstById(messages: readonly TranscriptMessage[]): TranscriptMessage[] {
  const seen = new Set<string>();
  return messages.filter((message) => !seen.has(message.id) && seen.add(message.id));
}

/** Indexes (into `values`) of one longest strictly increasing subsequence, O(n log n). */
function longestIncreasing(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (values[tails[mid]!]! < values[i]!) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[i] = tails[low - 1]!;
    tails[low] = i;
  }
  const out = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = previous[i]!) out.add(i);
  return out;
}

/**
 * The ops that turn `kept` into `current` (NextChat's messages, oldest first), keyed by message id, and
 * the ids that invalidate summaries. Messages keep their place when they keep their id; a message whose
 * order changed against the others is deleted and inserted again (NextChat never reorders; this only
 * keeps a glitch from corrupting the transcript). Deletes come first, then updates, then inserts in
 * NextChat's order.
 * @example
 * // Retry on the last exchange: the pair is deleted and sent again with new ids.
 * reconcileTranscript([u1, a1, u2, a2], [u1, a1, u3, a3]).invalidated // ['u2', 'a2']
 */
export function reconcileTranscript(kept: readonly TranscriptMessage[], current: readonly TranscriptMessage[], options: ReconcileOptions = {}): Reconciliation {
  const before = firstById(kept);
  const after = firstById(current);
  const currentAt = new Map(after.map((message, index) => [message.id, index]));
  const { localIds } = options;

  const deleted: string[] = [];
  const common: TranscriptMessage[] = [];
  for (const message of before) {
    if (currentAt.has(message.id)) common.push(message);
    else if (!localIds || localIds.has(message.id)) deleted.push(message.id);
  }
  const inOrder = longestIncreasing(common.map((message) => currentAt.get(message.id)!));
  const stable = new Set<string>();
  const moved: string[] = [];
  common.forEach((message, i) => (inOrder.has(i) ? stable.add(message.id) : moved.push(message.id)));

  const keptById = new Map(before.map((message) => [message.id, message]));
  const ops: TranscriptOp[] = [];
  for (const id of [...deleted, ...moved]) ops.push({ kind: 'delete', id });
  const changed: string[] = [];
  for (const message of common) {
    const now = after[currentAt.get(message.id)!]!;
    if (now.text === message.text && now.role === message.role) continue;
    changed.push(message.id);
    if (stable.has(message.id)) ops.push({ kind: 'update', id: message.id, role: now.role, text: now.text });
  }

  // The list as the ops leave it, to give each insert its position at the time it applies.
  const gone = new Set([...deleted, ...moved]);
  const work = before.filter((message) => !gone.has(message.id)).map((message) => message.id);
  let lastId: string | null = null;
  let lastAt = -1;
  after.forEach((message, i) => {
    if (stable.has(message.id)) return;
    const anchor = i === 0 ? null : after[i - 1]!.id;
    const index = anchor === null ? 0 : anchor === lastId ? lastAt + 1 : work.indexOf(anchor) + 1;
    work.splice(index, 0, message.id);
    lastId = message.id;
    lastAt = index;
    ops.push({ kind: 'insert', index, after: anchor, message: { ...keptById.get(message.id), ...message } });
  });

  const invalid = new Set([...changed, ...deleted, ...moved]);
  const invalidated = before.filter((message) => invalid.has(message.id)).map((message) => message.id);
  return { ops, changed, deleted, moved, invalidated };
}

/**
 * Applies ops to a plain list (what a synced doc does with applyTranscriptOps, for code that keeps a
 * list). An insert of an id already present updates it in place: inserting is idempotent by id.
 */
export function applyTranscriptOpsToList(list: readonly TranscriptMessage[], ops: readonly TranscriptOp[]): TranscriptMessage[] {
  const out = [...list];
  for (const op of ops) {
    if (op.kind === 'delete') {
      const at = out.findIndex((message) => message.id === op.id);
      if (at >= 0) out.splice(at, 1);
    } else if (op.kind === 'update') {
      const at = out.findIndex((message) => message.id === op.id);
      if (at >= 0) out[at] = { ...out[at]!, role: op.role, text: op.text };
    } else {
      const at = out.findIndex((message) => message.id === op.message.id);
      if (at >= 0) out[at] = { ...out[at]!, ...op.message };
      else out.splice(Math.max(0, Math.min(op.index, out.length)), 0, { ...op.message });
    }
  }
  return out;
}

/**
 * A fast, non-cryptographic 53-bit hash of a string (cyrb53, public domain), as 14 hex digits. It tells
 * whether covered text changed, not who wrote it: collisions are astronomically unlikely by accident
 * and nobody gains by forging one.
 * @example contentHash('a') // '1c2ba782c97901' (the same on every device)
 */
export function contentHash(text: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Each part prefixed by its length, so that no two different lists of parts join to the same text. */
export function framed(parts: readonly string[]): string {
  return parts.map((part) => `${part.length}:${part}`).join('');
}

/**
 * The cover hash of a level-0 summary: ids, roles and texts of the messages it covers, in order. A
 * message edited, deleted, replaced or moved changes it.
 */
export function messagesHash(messages: readonly Pick<TranscriptMessage, 'id' | 'role' | 'text'>[]): string {
  return contentHash(framed(messages.flatMap((message) => [message.id, message.role, message.text])));
}

/**
 * A chat's memory doc: one Y.Doc per character chat, synced like a character, holding what memory needs
 * of the chat and nothing else (message texts, summaries, pinned facts: never API keys, endpoints or
 * settings, which stay on their device).
 *
 * Layout (format 1):
 *   meta      Y.Map    { format?, chatKey, characterId }
 *   order     Y.Array  message ids, oldest first
 *   messages  Y.Map    id -> { role, text, at? }
 *   summaries Y.Map    id -> { level, covers, coverHash, text, tokens, source, at }   (see memory/summary-plan.ts)
 *   facts     Y.Map    id -> { text, fromMessageId?, at }
 *   deleted   Y.Map    `message:<id>` | `fact:<id>` -> { at }   only ever grows: what is listed is gone for good
 *
 * Merging: message ids are NextChat's (unique, never reused), so inserting is idempotent by id. Two
 * devices that append the same message at once leave its id twice in `order`; readers keep the first
 * occurrence (the merged array is the same on every device, so every device keeps the same one) and
 * the next write removes the others. Deletions are tombstones apart from the values, because a Y.Map key
 * written by two devices keeps one value: a device that edits a message or fact another device deleted,
 * or that still has it in an older NextChat store, cannot bring it back. Summaries have no tombstones:
 * they are derived data whose validity the planner checks against the messages, and a summary id names
 * its level and covered ids, so a re-made summary must be able to take its key again.
 *
 * Format 1 is a doc whose `meta.format` is absent: no device writes 1 (as with the library index, a fresh
 * device that marked its doc before syncing could otherwise win over a newer device's marker). A doc in
 * a newer format is refused by every reader and writer here with DocError('doc/too-new').
 */
import type * as Y from 'yjs';
import type { PinnedFact, Summary, SummarySource, TranscriptMessage, TranscriptOp, TranscriptRole } from '../memory/types.ts';
import { DocError, type DocErrorCode } from './errors.ts';
import { checkLayoutVersion, isReadableVersion, type LayoutVersion } from './layout-version.ts';
import {
  MAX_CHAT_MEMORY_CHARS, MAX_CHAT_MESSAGES, MAX_CHAT_SUMMARIES, MAX_FACT_CHARS, MAX_MESSAGE_CHARS, MAX_PINNED_FACTS, MAX_SUMMARY_CHARS,
} from './limits.ts';

export const CHAT_MEMORY_DOC_FORMAT = 1;

const CHAT_MEMORY_LAYOUT: LayoutVersion = { name: "A chat's memory", current: CHAT_MEMORY_DOC_FORMAT, unversioned: 1 };

/** Why a write was refused for a limit (docs/limits.ts). */
export type ChatMemoryLimitCode = Extract<DocErrorCode, 'doc/too-many-messages' | 'doc/message-too-long' | 'doc/too-many-summaries' | 'doc/summary-too-long' | 'doc/too-many-facts' | 'doc/fact-too-long' | 'doc/chat-memory-full'>;

function limitError(code: ChatMemoryLimitCode, message: string): DocError {
  return new DocError(code, message);
}

/** Which chat a memory doc belongs to. */
export interface ChatMemoryMeta {
  /** The chat's key (which NextChat session, on which NextChat), as the memory scheduler derives it. */
  chatKey: string;
  /** The character the chat is with. */
  characterId: string;
}

/** A chat's memory as plain data. */
export interface ChatMemory {
  format: number;
  chatKey: string | null;
  characterId: string | null;
  /** The transcript, oldest first, each id once, without deleted messages. */
  messages: TranscriptMessage[];
  /** Every stored summary (valid or stale: the planner tells), by level then id. */
  summaries: Summary[];
  /** Pinned facts, oldest first. */
  facts: PinnedFact[];
}

/** What applyTranscriptOps did, by message id. */
export interface AppliedOps {
  inserted: string[];
  updated: string[];
  deleted: string[];
  /** Ops that changed nothing: the message was deleted on some device (its tombstone wins) or is unknown here. */
  ignored: string[];
}

interface StoredMessage { role: TranscriptRole; text: string; at?: number }
interface StoredSummary { level: number; covers: string[]; coverHash: string; text: string; tokens: number; source: SummarySource; at: number }
interface StoredFact { text: string; fromMessageId?: string; at: number }

const ROLES: ReadonlySet<unknown> = new Set<TranscriptRole>(['user', 'assistant', 'system']);
const SOURCES: ReadonlySet<unknown> = new Set<SummarySource>(['model', 'local', 'user-edited']);

const meta = (doc: Y.Doc) => doc.getMap<unknown>('meta');
const order = (doc: Y.Doc) => doc.getArray<string>('order');
const messageMap = (doc: Y.Doc) => doc.getMap<unknown>('messages');
const summaryMap = (doc: Y.Doc) => doc.getMap<unknown>('summaries');
const factMap = (doc: Y.Doc) => doc.getMap<unknown>('facts');
const deletedMap = (doc: Y.Doc) => doc.getMap<unknown>('deleted');
const messageTombstone = (id: string) => `message:${id}`;
const factTombstone = (id: string) => `fact:${id}`;

/**
 * An own field of a value from the doc. Yjs decodes objects with `obj[key] = value`, so a peer could
 * send a `__proto__` key; reading own fields only keeps such a value from posing as a field.
 */
function own(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function readMessage(value: unknown): StoredMessage | null {
  const role = own(value, 'role');
  const text = own(value, 'text');
  const at = own(value, 'at');
  if (!ROLES.has(role) || typeof text !== 'string' || (at !== undefined && !isTime(at))) return null;
  return at === undefined ? { role: role as TranscriptRole, text } : { role: role as TranscriptRole, text, at };
}

function readSummary(id: string, value: unknown): Summary | null {
  const level = own(value, 'level');
  const covers = own(value, 'covers');
  const coverHash = own(value, 'coverHash');
  const text = own(value, 'text');
  const tokens = own(value, 'tokens');
  const source = own(value, 'source');
  const at = own(value, 'at');
  if (typeof level !== 'number' || !Number.isSafeInteger(level) || level < 0) return null;
  if (!Array.isArray(covers) || covers.length === 0 || !covers.every((cover) => typeof cover === 'string')) return null;
  if (typeof coverHash !== 'string' || typeof text !== 'string' || !isTime(tokens) || tokens < 0 || !SOURCES.has(source) || !isTime(at)) return null;
  return { id, level, covers: [...covers] as string[], coverHash, text, tokens, source: source as SummarySource, at };
}

function readFact(id: string, value: unknown): PinnedFact | null {
  const text = own(value, 'text');
  const fromMessageId = own(value, 'fromMessageId');
  const at = own(value, 'at');
  if (typeof text !== 'string' || !isTime(at) || (fromMessageId !== undefined && typeof fromMessageId !== 'string')) return null;
  return fromMessageId === undefined ? { id, text, at } : { id, text, fromMessageId, at };
}

/**
 * The doc's format; throws DocError('doc/too-new') when a newer Troupe wrote it and
 * DocError('doc/invalid-field') when its format is not a number.
 */
export function checkChatMemoryFormat(doc: Y.Doc): number {
  return checkLayoutVersion(CHAT_MEMORY_LAYOUT, meta(doc).get('format'));
}

/** True when this build can read and write the doc. */
export function isChatMemoryReadable(doc: Y.Doc): boolean {
  return isReadableVersion(CHAT_MEMORY_LAYOUT, meta(doc).get('format'));
}

/** Records which chat and character the doc belongs to (writes only what differs). */
export function initChatMemory(doc: Y.Doc, info: ChatMemoryMeta): void {
  checkChatMemoryFormat(doc);
  if (!info.chatKey || !info.characterId) throw new DocError('doc/invalid-field', "A chat's memory needs a chat key and a character id.");
  doc.transact(() => {
    if (meta(doc).get('chatKey') !== info.chatKey) meta(doc).set('chatKey', info.chatKey);
    if (meta(doc).get('characterId') !== info.characterId) meta(doc).set('characterId', info.characterId);
  });
}

/** The transcript's ids in order: each once (first occurrence), only those with a message and no tombstone. */
function liveIds(doc: Y.Doc): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const id of order(doc).toArray()) {
    if (typeof id !== 'string' || seen.has(id)) continue;
    seen.add(id);
    if (!deletedMap(doc).has(messageTombstone(id)) && readMessage(messageMap(doc).get(id))) out.push(id);
  }
  return out;
}

function textLength(value: unknown): number {
  const text = own(value, 'text');
  return typeof text === 'string' ? text.length : 0;
}

/** Characters of text the doc holds (every stored message, summary and fact), against MAX_CHAT_MEMORY_CHARS. */
function storedChars(doc: Y.Doc): number {
  let total = 0;
  for (const map of [messageMap(doc), summaryMap(doc), factMap(doc)]) for (const value of map.values()) total += textLength(value);
  return total;
}

function checkMemoryChars(before: number, after: number): void {
  if (after > before && after > MAX_CHAT_MEMORY_CHARS) {
    throw limitError('doc/chat-memory-full', `This chat's memory is full (${after} characters of text, at most ${MAX_CHAT_MEMORY_CHARS}).`);
  }
}

function checkMessage(message: { id: string; role: unknown; text: unknown; at?: unknown }): void {
  if (typeof message.id !== 'string' || message.id === '') throw new DocError('doc/invalid-field', 'A message needs an id.');
  if (!ROLES.has(message.role)) throw new DocError('doc/invalid-field', `Message ${message.id} has no valid role.`);
  if (typeof message.text !== 'string') throw new DocError('doc/invalid-field', `Message ${message.id} has no text.`);
  if (message.at !== undefined && !isTime(message.at)) throw new DocError('doc/invalid-field', `Message ${message.id} has an invalid time.`);
  if (message.text.length > MAX_MESSAGE_CHARS) {
    throw limitError('doc/message-too-long', `Message ${message.id} is too long to keep in memory (${message.text.length} characters, at most ${MAX_MESSAGE_CHARS}).`);
  }
}

/**
 * Checks a batch before anything is written (a refused batch writes nothing): every message's shape and
 * length, the count of messages and the doc's text after the batch.
 */
function checkBatch(doc: Y.Doc, ops: readonly TranscriptOp[], moved: ReadonlySet<string>): void {
  const live = new Set(liveIds(doc));
  const lengths = new Map<string, number>();
  const messages = messageMap(doc);
  const before = storedChars(doc);
  let chars = before;
  const countBefore = live.size;
  const lengthOf = (id: string) => lengths.get(id) ?? textLength(messages.get(id));
  for (const op of ops) {
    if (op.kind === 'delete') {
      if (!moved.has(op.id) && messages.has(op.id)) {
        chars -= lengthOf(op.id);
        lengths.set(op.id, 0);
      }
      live.delete(op.id);
      continue;
    }
    const id = op.kind === 'insert' ? op.message.id : op.id;
    checkMessage(op.kind === 'insert' ? op.message : op);
    const text = op.kind === 'insert' ? op.message.text : op.text;
    if (deletedMap(doc).has(messageTombstone(id)) && !moved.has(id)) continue;
    if (op.kind === 'update' && !live.has(id)) continue;
    chars += text.length - lengthOf(id);
    lengths.set(id, text.length);
    live.add(id);
  }
  if (live.size > countBefore && live.size > MAX_CHAT_MESSAGES) {
    throw limitError('doc/too-many-messages', `This chat has too many messages to keep in memory (${live.size}, at most ${MAX_CHAT_MESSAGES}).`);
  }
  checkMemoryChars(before, chars);
}

/**
 * Applies reconcileTranscript's ops in one transaction. Inserts go after their `after` id (where the doc
 * has it; otherwise at `index` of the live transcript), an insert of an id already kept updates it, and
 * nothing brings back a deleted message. A delete and an insert of the same id in one batch move it.
 * Duplicate and dead ids in `order` (left by concurrent appends and deletions) are removed on the way.
 * Throws DocError (a limit code, or 'doc/invalid-field') before writing anything when the batch does not fit.
 */
export function applyTranscriptOps(doc: Y.Doc, ops: readonly TranscriptOp[], options: { now?: number } = {}): AppliedOps {
  checkChatMemoryFormat(doc);
  const insertedIds = new Set(ops.flatMap((op) => (op.kind === 'insert' ? [op.message.id] : [])));
  const moved = new Set(ops.flatMap((op) => (op.kind === 'delete' && insertedIds.has(op.id) ? [op.id] : [])));
  checkBatch(doc, ops, moved);
  const now = options.now ?? Date.now();
  const result: AppliedOps = { inserted: [], updated: [], deleted: [], ignored: [] };
  const ids = order(doc);
  const messages = messageMap(doc);
  const deleted = deletedMap(doc);
  const isGone = (id: string) => deleted.has(messageTombstone(id)) && !moved.has(id);

  doc.transact(() => {
    const mirror = ids.toArray();
    const inOrder = new Set(mirror);
    let lastId: string | null = null;
    let lastAt = -1;
    const removeFromOrder = (id: string) => {
      if (!inOrder.delete(id)) return;
      for (let i = mirror.length - 1; i >= 0; i--) {
        if (mirror[i] !== id) continue;
        ids.delete(i, 1);
        mirror.splice(i, 1);
      }
      lastId = null;
    };
    /** Where the live transcript's `index`th message is in the raw array (the end when past it). */
    const rawIndexOf = (index: number) => {
      const seen = new Set<string>();
      for (let i = 0; i < mirror.length; i++) {
        const id = mirror[i]!;
        if (seen.has(id) || isGone(id) || !messages.has(id)) continue;
        if (seen.size === index) return i;
        seen.add(id);
      }
      return mirror.length;
    };
    const setMessage = (id: string, role: TranscriptRole, text: string, at: number | undefined): boolean => {
      const stored = readMessage(messages.get(id));
      const nextAt = at ?? stored?.at;
      if (stored && stored.role === role && stored.text === text && stored.at === nextAt) return false;
      messages.set(id, nextAt === undefined ? { role, text } : { role, text, at: nextAt });
      return true;
    };

    for (const op of ops) {
      if (op.kind === 'delete') {
        const known = inOrder.has(op.id) || messages.has(op.id);
        removeFromOrder(op.id);
        if (moved.has(op.id)) continue;
        if (!deleted.has(messageTombstone(op.id))) deleted.set(messageTombstone(op.id), { at: now });
        messages.delete(op.id);
        (known ? result.deleted : result.ignored).push(op.id);
      } else if (op.kind === 'update') {
        if (isGone(op.id) || !inOrder.has(op.id) || !messages.has(op.id)) result.ignored.push(op.id);
        else if (setMessage(op.id, op.role, op.text, undefined)) result.updated.push(op.id);
      } else {
        const { id, role, text, at } = op.message;
        if (isGone(id)) { result.ignored.push(id); continue; }
        if (inOrder.has(id) && messages.has(id)) {
          if (setMessage(id, role, text, at)) result.updated.push(id);
          continue;
        }
        // An entry whose message is missing (a damaged or half-synced doc) gives way to this insert.
        removeFromOrder(id);
        let raw: number;
        if (op.after === null) raw = 0;
        else if (op.after === lastId) raw = lastAt + 1;
        else {
          const found = mirror.indexOf(op.after);
          raw = found >= 0 ? found + 1 : rawIndexOf(op.index);
        }
        ids.insert(raw, [id]);
        mirror.splice(raw, 0, id);
        inOrder.add(id);
        lastId = id;
        lastAt = raw;
        setMessage(id, role, text, at);
        result.inserted.push(id);
      }
    }
    repairOrder(ids, mirror, (id) => isGone(id) || !readMessage(messages.get(id)));
  });
  return result;
}

/** Removes later repeats of an id and ids that are gone, from the end so indexes stay right. */
function repairOrder(ids: Y.Array<string>, mirror: string[], gone: (id: string) => boolean): void {
  const first = new Map<string, number>();
  mirror.forEach((id, i) => { if (!first.has(id)) first.set(id, i); });
  for (let i = mirror.length - 1; i >= 0; i--) {
    const id = mirror[i]!;
    if (first.get(id) === i && !gone(id)) continue;
    ids.delete(i, 1);
    mirror.splice(i, 1);
  }
}

/** The whole memory of the chat as plain data (malformed values from a misbehaving peer are skipped). */
export function readChatMemory(doc: Y.Doc): ChatMemory {
  const format = checkChatMemoryFormat(doc);
  const chatKey = meta(doc).get('chatKey');
  const characterId = meta(doc).get('characterId');
  const messages = liveIds(doc).map((id) => ({ id, ...readMessage(messageMap(doc).get(id))! }));
  const summaries: Summary[] = [];
  summaryMap(doc).forEach((value, id) => {
    const summary = readSummary(id, value);
    if (summary) summaries.push(summary);
  });
  summaries.sort((a, b) => a.level - b.level || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const facts: PinnedFact[] = [];
  factMap(doc).forEach((value, id) => {
    const fact = readFact(id, value);
    if (fact && !deletedMap(doc).has(factTombstone(id))) facts.push(fact);
  });
  facts.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    format,
    chatKey: typeof chatKey === 'string' ? chatKey : null,
    characterId: typeof characterId === 'string' ? characterId : null,
    messages,
    summaries,
    facts,
  };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Stores a summary (replacing one with the same id), in one transaction; only its known fields are
 * stored. Throws DocError('doc/summary-too-long' | 'doc/too-many-summaries' | 'doc/chat-memory-full')
 * over the limits, DocError('doc/invalid-field') for a summary this layout cannot hold.
 */
export function putSummary(doc: Y.Doc, summary: Summary): void {
  checkChatMemoryFormat(doc);
  const { id, level, covers, coverHash, text, tokens, source, at } = summary;
  const value: StoredSummary = { level, covers: Array.isArray(covers) ? [...covers] : covers, coverHash, text, tokens, source, at };
  if (typeof id !== 'string' || id === '' || !readSummary(id, value) || covers.some((cover) => cover === '')) {
    throw new DocError('doc/invalid-field', `Summary ${String(id)} is not one a chat's memory can hold.`);
  }
  if (text.length > MAX_SUMMARY_CHARS) {
    throw limitError('doc/summary-too-long', `This summary is too long to keep (${text.length} characters, at most ${MAX_SUMMARY_CHARS}).`);
  }
  const map = summaryMap(doc);
  if (!map.has(id) && map.size >= MAX_CHAT_SUMMARIES) {
    throw limitError('doc/too-many-summaries', `This chat has too many summaries (at most ${MAX_CHAT_SUMMARIES}).`);
  }
  const before = storedChars(doc);
  checkMemoryChars(before, before - textLength(map.get(id)) + text.length);
  if (sameJson(readSummary(id, map.get(id)), { id, ...value })) return;
  doc.transact(() => map.set(id, value));
}

/** Removes a summary (stale, or deleted in the panel); false when there was none. */
export function removeSummary(doc: Y.Doc, id: string): boolean {
  checkChatMemoryFormat(doc);
  const map = summaryMap(doc);
  if (!map.has(id)) return false;
  doc.transact(() => map.delete(id));
  return true;
}

/**
 * Stores a pinned fact (new, or edited), in one transaction. Returns false, storing nothing, when the
 * fact was deleted (on any device): deleted facts stay deleted. Throws DocError('doc/fact-too-long' |
 * 'doc/too-many-facts' | 'doc/chat-memory-full') over the limits.
 */
export function putFact(doc: Y.Doc, fact: PinnedFact): boolean {
  checkChatMemoryFormat(doc);
  const { id, text, fromMessageId, at } = fact;
  const value: StoredFact = fromMessageId === undefined ? { text, at } : { text, fromMessageId, at };
  if (typeof id !== 'string' || id === '' || !readFact(id, value)) throw new DocError('doc/invalid-field', `Fact ${String(id)} is not one a chat's memory can hold.`);
  if (deletedMap(doc).has(factTombstone(id))) return false;
  if (text.length > MAX_FACT_CHARS) throw limitError('doc/fact-too-long', `This fact is too long to pin (${text.length} characters, at most ${MAX_FACT_CHARS}).`);
  const map = factMap(doc);
  const pinned = [...map.keys()].filter((key) => !deletedMap(doc).has(factTombstone(key))).length;
  if (!map.has(id) && pinned >= MAX_PINNED_FACTS) throw limitError('doc/too-many-facts', `This chat has too many pinned facts (at most ${MAX_PINNED_FACTS}).`);
  const before = storedChars(doc);
  checkMemoryChars(before, before - textLength(map.get(id)) + text.length);
  if (sameJson(readFact(id, map.get(id)), { id, ...value })) return true;
  doc.transact(() => map.set(id, value));
  return true;
}

/** Deletes a pinned fact for good (a tombstone keeps an older device from bringing it back); false when it was already deleted. */
export function removeFact(doc: Y.Doc, id: string, options: { now?: number } = {}): boolean {
  checkChatMemoryFormat(doc);
  const deleted = deletedMap(doc);
  if (deleted.has(factTombstone(id))) return false;
  doc.transact(() => {
    deleted.set(factTombstone(id), { at: options.now ?? Date.now() });
    factMap(doc).delete(id);
  });
  return true;
}

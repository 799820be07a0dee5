/**
 * Each chat's memory in the database: a `memories` row (which chat, which character) and the chat's
 * memory doc (shared/src/docs/chat-memory-doc.ts) in y-dexie's update table, changed together in one
 * transaction. The only writer of chats' memory; the change feed tells everyone else.
 */
import type * as Y from 'yjs';
import { applyTranscriptOps, initChatMemory, isChatMemoryReadable, MAX_FACT_CHARS, putFact, putSummary, readChatMemory, removeFact, removeSummary, type AppliedOps, type ChatMemory } from '@troupe/shared/docs';
import { reconcileTranscript, type Summary, type TranscriptMessage } from '@troupe/shared/memory';
import { markWriteOrigin, type WriteOrigin } from '../changes/write-origin.ts';
import type { MemoryRow, TroupeDb } from '../db/database.ts';
import { changeDoc, loadDoc, updatesTable } from '../library/doc-store.ts';
import { MemoryError } from './memory-error.ts';

/** A chat's memory as plain data; an empty one for a chat that has none yet. */
export async function readMemory(db: TroupeDb, chatKey: string): Promise<ChatMemory> {
  const doc = await loadDoc(db, 'memory', chatKey);
  try {
    if (!isChatMemoryReadable(doc)) throw new MemoryError('memory/too-new', "This chat's memory was saved by a newer Troupe; update the extension to read it.");
    return readChatMemory(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Runs `change` on the chat's memory doc (made on first use, for the chat's character) and stores what
 * changed with the row's time, in one transaction. Limits refuse a change before anything is written.
 * `change` also gets the row as it was (undefined: the chat had no memory yet) and may return fields of
 * the row to write with it (`row`).
 */
async function changeMemory<T>(
  db: TroupeDb, chatKey: string, now: number,
  change: (doc: Y.Doc, row: MemoryRow | undefined) => T, origin: WriteOrigin = 'person', rowPatch?: (result: T, row: MemoryRow | undefined) => Partial<MemoryRow>,
): Promise<T> {
  return db.transaction('rw', [db.memories, db.chats, db.tombstones, updatesTable(db, 'memory')], async () => {
    if (origin !== 'person') markWriteOrigin(origin);
    if (await db.tombstones.get(chatKey)) throw new MemoryError('memory/deleted', "This chat's memory was deleted for good on another device.");
    const row = await db.memories.get(chatKey);
    const characterId = row?.characterId ?? (await db.chats.get(chatKey))?.characterId ?? null;
    if (!characterId) throw new MemoryError('memory/no-character', 'Memory belongs to a character chat: give this chat a character first.');
    const result = await changeDoc(db, 'memory', chatKey, (doc) => {
      if (!isChatMemoryReadable(doc)) throw new MemoryError('memory/too-new', "This chat's memory was saved by a newer Troupe; update the extension to change it.");
      if (!row) initChatMemory(doc, { chatKey, characterId });
      return change(doc, row);
    });
    const patch = rowPatch?.(result, row) ?? {};
    // The row mirrors the doc for listing and the change feed; y-dexie keeps the doc itself.
    if (row) await db.memories.update(chatKey, { ...patch, updatedAt: now });
    else await db.memories.add({ chatKey, characterId, seenHere: [], ...patch, updatedAt: now } as Parameters<typeof db.memories.add>[0]);
    return result;
  });
}

/** Pins a fact in the chat's memory; returns its id. */
export async function addFact(db: TroupeDb, chatKey: string, text: string, now = Date.now()): Promise<string> {
  const id = crypto.randomUUID();
  await changeMemory(db, chatKey, now, (doc) => putFact(doc, { id, text, at: now }));
  return id;
}

/**
 * Pins one of the chat's kept messages as a fact, its whole text; returns the fact's id. Refused when the
 * message is gone, longer than a fact may be, or pinned already.
 */
export async function promoteMessage(db: TroupeDb, chatKey: string, messageId: string, now = Date.now()): Promise<string> {
  const id = crypto.randomUUID();
  await changeMemory(db, chatKey, now, (doc) => {
    const memory = readChatMemory(doc);
    const message = memory.messages.find((m) => m.id === messageId);
    if (!message) throw new MemoryError('memory/message-not-found', 'That message is no longer in this chat (it was edited away or deleted).');
    if (memory.facts.some((fact) => fact.fromMessageId === messageId)) throw new MemoryError('memory/already-pinned', 'That message is pinned already.');
    const text = message.text.trim();
    if (text.length > MAX_FACT_CHARS) {
      throw new MemoryError('memory/message-too-long', `That message is too long to pin whole (${text.length} characters; a fact holds ${MAX_FACT_CHARS}). Pin what matters of it with "Remember that…".`);
    }
    putFact(doc, { id, text, fromMessageId: messageId, at: now });
  });
  return id;
}

/** Changes a pinned fact's text; a fact deleted meanwhile (here or on another device) stays deleted. */
export async function updateFact(db: TroupeDb, chatKey: string, id: string, text: string, now = Date.now()): Promise<void> {
  await changeMemory(db, chatKey, now, (doc) => {
    const fact = readChatMemory(doc).facts.find((f) => f.id === id);
    if (!fact) throw new MemoryError('memory/fact-not-found', 'That fact is no longer pinned (it was deleted, maybe on another device).');
    putFact(doc, { ...fact, text });
  });
}

/** Unpins a fact for good: a device that still has it will not bring it back. */
export async function deleteFact(db: TroupeDb, chatKey: string, id: string, now = Date.now()): Promise<void> {
  await changeMemory(db, chatKey, now, (doc) => { removeFact(doc, id, { now }); });
}

/**
 * Brings the chat's kept transcript in step with NextChat's messages as the page read them: new
 * messages added, edits taken, deleted and retried ones dropped for good. Only messages this device's
 * NextChat has shown are deleted when missing: one that came from a paired device and that this
 * NextChat never had may simply not have reached it yet (NextChat syncs its chats on its own, if at
 * all). Returns what changed, and the ids whose summaries are now stale (changed or deleted).
 */
export async function syncTranscript(db: TroupeDb, chatKey: string, messages: readonly TranscriptMessage[], now = Date.now()): Promise<{ applied: AppliedOps; invalidated: string[] }> {
  let seen: Set<string> = new Set();
  return changeMemory(db, chatKey, now, (doc, row) => {
    const kept = readChatMemory(doc).messages;
    // A row from before memory synced has no list: everything it kept came from this device's NextChat.
    seen = new Set(row?.seenHere ?? kept.map((message) => message.id));
    const { ops, invalidated } = reconcileTranscript(kept, messages, { localIds: seen });
    return { applied: applyTranscriptOps(doc, ops, { now }), invalidated };
  }, 'transcript', ({ applied }) => {
    for (const message of messages) seen.add(message.id);
    for (const id of applied.deleted) seen.delete(id);
    return { seenHere: [...seen] };
  });
}

/** Stores a summary the scheduler made (a newer one of the same part replaces it). */
export async function storeSummary(db: TroupeDb, chatKey: string, summary: Summary, now = Date.now()): Promise<void> {
  await changeMemory(db, chatKey, now, (doc) => putSummary(doc, summary));
}

/** Removes summaries that no longer describe the chat (they covered an edited or deleted message). */
export async function dropSummaries(db: TroupeDb, chatKey: string, ids: readonly string[], now = Date.now()): Promise<void> {
  if (ids.length === 0) return;
  await changeMemory(db, chatKey, now, (doc) => { for (const id of ids) removeSummary(doc, id); });
}

/** The person's own text for a summary (kept as theirs; merges built on it are made again). */
export async function editSummary(db: TroupeDb, chatKey: string, id: string, text: string, tokens: number, now = Date.now()): Promise<void> {
  await changeMemory(db, chatKey, now, (doc) => {
    const summary = readChatMemory(doc).summaries.find((s) => s.id === id);
    if (!summary) throw new MemoryError('memory/summary-not-found', 'That summary is no longer there (the chat changed and it is being made again).');
    putSummary(doc, { ...summary, text, tokens, source: 'user-edited', at: now });
  });
}

/** Drops one summary (or all of the chat's) so the scheduler makes it again. */
export async function forgetSummaries(db: TroupeDb, chatKey: string, id?: string, now = Date.now()): Promise<void> {
  const ids = id === undefined ? (await readMemory(db, chatKey)).summaries.map((s) => s.id) : [id];
  await dropSummaries(db, chatKey, ids, now);
}

import type { TroupeDb } from '../db/database.ts';
import { addFact, deleteFact, editSummary, forgetSummaries, promoteMessage, readMemory, syncTranscript, updateFact } from '../memory/memory-store.ts';
import { MemoryError } from '../memory/memory-error.ts';
import { libraryFor } from '../library/library.ts';
import { MEMORY_PREVIEW_CHARS, MEMORY_RECENT_MESSAGES } from '../../messaging/limits/memory.ts';
import { memoryContext } from '@troupe/shared/memory';
import type { SummaryScheduler } from '../memory/summary-scheduler.ts';
import type { ChatSummaryWriter } from '../memory/chat-summary-writer.ts';
import { MEMORY_VIEW_FORMAT, type MemoryApi, type MemoryView } from '../../messaging/protocols/memory-protocol.ts';
import type { Handlers } from './types.ts';

/** A message's start as the panel lists it: whitespace collapsed, cut at MEMORY_PREVIEW_CHARS. */
function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MEMORY_PREVIEW_CHARS ? `${flat.slice(0, MEMORY_PREVIEW_CHARS - 1)}…` : flat;
}

/** Token counts for the chat's model (the prompt service's tokenizer for the chat's last request). */
export type ChatTokenCounter = (chatKey: string, texts: string[]) => Promise<number[]>;

/**
 * The memory section's answers. The panel hears of changes through the change feed (see runtime-handlers).
 * `writers` says who writes each chat's summaries and keeps the chat's own endpoint; what it keeps of a
 * chat's credential is never part of an answer (the panel gets words without it; a report gets null).
 */
export function memoryHandlers(db: TroupeDb, countTokens: ChatTokenCounter, summaries: Pick<SummaryScheduler, 'schedule'>, writers: Pick<ChatSummaryWriter, 'view' | 'remember'>): Handlers<MemoryApi> {
  const view = async (chatKey: string): Promise<MemoryView> => {
    const memory = await readMemory(db, chatKey);
    const [tokens, summariser, longTerm] = await Promise.all([
      countTokens(chatKey, memory.facts.map((f) => f.text)).catch(() => null),
      // Words for the panel only: without them the rest of the view still answers.
      writers.view(chatKey).catch(() => undefined),
      longTermOf(chatKey),
    ]);
    const pinned = new Set(memory.facts.flatMap((f) => (f.fromMessageId ? [f.fromMessageId] : [])));
    return {
      format: MEMORY_VIEW_FORMAT,
      chatKey,
      facts: memory.facts.map((f, i) => ({ id: f.id, text: f.text, at: f.at, tokens: tokens?.[i] ?? null })),
      summaries: memoryContext(memory.messages, memory.summaries).map(({ summary, messages }) => ({
        id: summary.id, level: summary.level, text: summary.text, tokens: summary.tokens, source: summary.source, messages, at: summary.at,
      })),
      messages: memory.messages.length,
      ...(summariser ? { summariser } : {}),
      longTerm,
      recent: memory.messages.slice(-MEMORY_RECENT_MESSAGES).map(({ id, role, text }) => ({ id, role, preview: preview(text), pinned: pinned.has(id) })),
    };
  };
  /** The chat's character's long-term switch, and how many of its other chats this device holds memory of. */
  const longTermOf = async (chatKey: string): Promise<MemoryView['longTerm']> => {
    const characterId = (await db.chats.get(chatKey))?.characterId;
    if (!characterId) return { on: false, otherChats: 0 };
    const [options, chats] = await Promise.all([
      libraryFor(db).characterOptions(characterId),
      db.memories.where('characterId').equals(characterId).primaryKeys(),
    ]);
    return { on: options?.longTermMemory ?? false, otherChats: chats.filter((key) => key !== chatKey).length };
  };
  return {
    'memory.get': ({ chatKey }) => view(chatKey),
    'memory.facts.add': async ({ chatKey, text }) => {
      await addFact(db, chatKey, text);
      return view(chatKey);
    },
    'memory.facts.update': async ({ chatKey, id, text }) => {
      await updateFact(db, chatKey, id, text);
      return view(chatKey);
    },
    'memory.facts.remove': async ({ chatKey, id }) => {
      await deleteFact(db, chatKey, id);
      return view(chatKey);
    },
    'memory.facts.promote': async ({ chatKey, messageId }) => {
      await promoteMessage(db, chatKey, messageId);
      return view(chatKey);
    },
    'memory.longTerm.set': async ({ chatKey, on }) => {
      const characterId = (await db.chats.get(chatKey))?.characterId;
      if (!characterId) throw new MemoryError('memory/no-character', 'Long-term memory belongs to a character: give this chat a character first.');
      await libraryFor(db).setCharacterOptions(characterId, { longTermMemory: on });
      return view(chatKey);
    },
    'memory.summaries.update': async ({ chatKey, id, text }) => {
      const [tokens] = await countTokens(chatKey, [text]).catch(() => [Math.ceil(text.length / 4)]);
      await editSummary(db, chatKey, id, text, tokens ?? Math.ceil(text.length / 4));
      summaries.schedule(chatKey);
      return view(chatKey);
    },
    'memory.summaries.redo': async ({ chatKey, id }) => {
      await forgetSummaries(db, chatKey, id);
      summaries.schedule(chatKey);
      return view(chatKey);
    },
    'memory.chatEndpoint': async (report) => {
      await writers.remember(report);
      return null;
    },
    'memory.transcript': async ({ chatKey, messages }) => {
      const { applied } = await syncTranscript(db, chatKey, messages);
      if (applied.inserted.length + applied.updated.length + applied.deleted.length > 0) summaries.schedule(chatKey);
      return null;
    },
  };
}

/**
 * A character's long-term memory: what it kept from its other chats, gathered for a chat with it when
 * the character's switch is on. Their pinned facts (newest first, each once, none this chat already has)
 * and, as passages recall may bring back, their current summaries and newest messages. Pure: the caller
 * reads the chats' memory docs.
 */
import { currentSummaries } from './current-summaries.ts';
import { LONG_TERM_MAX_CHATS, LONG_TERM_MAX_FACTS, LONG_TERM_MAX_PASSAGES, LONG_TERM_MESSAGES_PER_CHAT } from './limits.ts';
import { contentHash } from './transcript.ts';
import type { PinnedFact, Summary, TranscriptMessage } from './types.ts';

/** One other chat's memory. */
export interface LongTermSource {
  chatKey: string;
  messages: readonly TranscriptMessage[];
  summaries: readonly Summary[];
  facts: readonly PinnedFact[];
}

export interface LongTermMemory {
  /** Facts pinned in the other chats, as they read. */
  facts: string[];
  /**
   * Their summaries (role 'system') and newest messages, oldest chat first and in order within each;
   * ids are `<hash of the chat key>:<id>`, so two chats' ids never meet.
   */
  passages: TranscriptMessage[];
}

/** Case and spacing do not make two facts different. */
const factKey = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** `sources`: the character's other chats, the most recently changed first; `ownFacts`: this chat's facts. */
export function gatherLongTerm(sources: readonly LongTermSource[], ownFacts: readonly string[]): LongTermMemory {
  const chats = sources.slice(0, LONG_TERM_MAX_CHATS);
  const seen = new Set(ownFacts.map(factKey));
  const facts: string[] = [];
  for (const chat of chats) {
    for (const fact of [...chat.facts].sort((a, b) => b.at - a.at)) {
      const key = factKey(fact.text);
      if (key.length === 0 || seen.has(key)) continue;
      seen.add(key);
      if (facts.length < LONG_TERM_MAX_FACTS) facts.push(fact.text.trim());
    }
  }

  // Newest chats first while there is room; then put back in reading order (oldest chat first).
  const perChat: TranscriptMessage[][] = [];
  let room = LONG_TERM_MAX_PASSAGES;
  for (const chat of chats) {
    if (room <= 0) break;
    const prefix = contentHash(chat.chatKey);
    const filled = (p: TranscriptMessage) => p.text.trim().length > 0;
    const summaries = currentSummaries(chat.messages, chat.summaries).map((s) => ({ id: `${prefix}:${s.id}`, role: 'system' as const, text: s.text })).filter(filled);
    const messages = chat.messages.slice(-LONG_TERM_MESSAGES_PER_CHAT).map((m) => ({ id: `${prefix}:${m.id}`, role: m.role, text: m.text })).filter(filled);
    // The summaries first (they stand for the whole chat, the messages only for its end), then the newest messages.
    const taken = summaries.slice(0, room);
    const left = room - taken.length;
    const kept = [...taken, ...(left > 0 ? messages.slice(Math.max(0, messages.length - left)) : [])];
    perChat.push(kept);
    room -= kept.length;
  }
  return { facts, passages: perChat.reverse().flat() };
}

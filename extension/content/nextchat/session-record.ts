/**
 * One NextChat session's chat as its store holds it (FACTS.md: `chat-next-web-store`, sessions with
 * `messages[{id, role, content, isError?, streaming?}]`, `memoryPrompt`, `clearContextIndex`, and a copy
 * of the mask with its `context`): the record of what the person sees, for the prompt's whole-chat
 * history (see withWholeChat).
 */
import type { ChatRole, SessionRecord } from '@troupe/shared/prompt';
import type { TranscriptMessage } from '@troupe/shared/memory';
import { MAX_HOST_SUMMARY_CHARS, MAX_MESSAGE_ID, MAX_MASK_CONTEXT_MESSAGES, MAX_WHOLE_CHAT_CHARS, MAX_WHOLE_CHAT_MESSAGES } from '../../messaging/limits/prompt.ts';

/** NextChat's chat store, parsed once per read. */
export interface ChatStoreRead {
  /** The current session's id, null when unreadable. */
  currentSessionId: string | null;
  /** That session's record (null when none can be read). */
  record(sessionId: string): SessionRecord | null;
  /**
   * That session's whole transcript for memory (null when none can be read): every message with an id,
   * before NextChat's clear-context mark too (memory decides what a prompt may use), without failed
   * ones and without a reply still streaming.
   */
  transcript(sessionId: string): TranscriptMessage[] | null;
}

const ROLES: ReadonlySet<string> = new Set<ChatRole>(['user', 'assistant', 'system']);

/** A stored message's text: string content as is, the text parts of a multimodal one. */
function textOf(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return null;
  return content.flatMap((part: unknown) => {
    const { type, text } = (part ?? {}) as { type?: unknown; text?: unknown };
    return type === 'text' && typeof text === 'string' ? [text] : [];
  }).join('\n');
}

interface StoredMessage { id?: unknown; role?: unknown; content?: unknown; isError?: unknown; streaming?: unknown }

/** NextChat's ids are nanoids; MAX_MESSAGE_ID bounds what is taken for one. */
const validId = (id: unknown): id is string => typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID;

/** See ChatStoreRead.transcript: newest MAX_WHOLE_CHAT_* at most. */
function transcriptOf(session: Record<string, unknown>): TranscriptMessage[] {
  const stored = Array.isArray(session.messages) ? session.messages as unknown[] : [];
  const messages: TranscriptMessage[] = [];
  let chars = 0;
  for (let i = stored.length - 1; i >= 0 && messages.length < MAX_WHOLE_CHAT_MESSAGES; i--) {
    const message = (stored[i] ?? {}) as StoredMessage;
    const text = textOf(message.content);
    if (message.isError === true || message.streaming === true || !validId(message.id) || typeof message.role !== 'string' || !ROLES.has(message.role) || text === null) continue;
    chars += text.length;
    if (chars > MAX_WHOLE_CHAT_CHARS) break;
    messages.push({ id: message.id, role: message.role as ChatRole, text });
  }
  return messages.reverse();
}

/**
 * The messages NextChat would let the model see, newest MAX_WHOLE_CHAT_* at most: from its
 * clear-context mark on, the failed ones left out (NextChat leaves them out of requests too).
 */
function recordOf(session: Record<string, unknown>): SessionRecord {
  const stored = Array.isArray(session.messages) ? session.messages as unknown[] : [];
  const clearAt = typeof session.clearContextIndex === 'number' && session.clearContextIndex > 0 ? session.clearContextIndex : 0;
  const messages: SessionRecord['messages'][number][] = [];
  let chars = 0;
  for (let i = stored.length - 1; i >= clearAt && messages.length < MAX_WHOLE_CHAT_MESSAGES; i--) {
    const message = (stored[i] ?? {}) as StoredMessage;
    const text = textOf(message.content);
    if (message.isError === true || typeof message.role !== 'string' || !ROLES.has(message.role) || text === null) continue;
    chars += text.length;
    if (chars > MAX_WHOLE_CHAT_CHARS) break;
    messages.push({ ...(validId(message.id) ? { id: message.id } : {}), role: message.role as ChatRole, text });
  }
  messages.reverse();
  const memory = typeof session.memoryPrompt === 'string' ? session.memoryPrompt.slice(0, MAX_HOST_SUMMARY_CHARS) : '';
  const context = (session.mask as { context?: unknown } | undefined)?.context;
  return { messages, memoryPrompt: memory, contextCount: Array.isArray(context) ? Math.min(context.length, MAX_MASK_CONTEXT_MESSAGES) : 0 };
}

/** Reads NextChat's chat store value (a JSON string `{"state":{sessions, currentSessionIndex},"version":N}`); null when unreadable. */
export function readChatStore(json: unknown): ChatStoreRead | null {
  if (typeof json !== 'string') return null;
  let parsed: unknown;
  try { parsed = JSON.parse(json); } catch { return null; }
  const state = (parsed as { state?: { sessions?: unknown; currentSessionIndex?: unknown } } | null)?.state;
  if (!state || !Array.isArray(state.sessions)) return null;
  const sessions = state.sessions as unknown[];
  const idOf = (session: unknown) => {
    const id = (session as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.length > 0 ? id : null;
  };
  const current = typeof state.currentSessionIndex === 'number' ? idOf(sessions[state.currentSessionIndex]) : null;
  return {
    currentSessionId: current,
    record(sessionId) {
      const session = sessions.find((s) => idOf(s) === sessionId);
      return session && typeof session === 'object' ? recordOf(session as Record<string, unknown>) : null;
    },
    transcript(sessionId) {
      const session = sessions.find((s) => idOf(s) === sessionId);
      return session && typeof session === 'object' ? transcriptOf(session as Record<string, unknown>) : null;
    },
  };
}

/**
 * The whole chat instead of NextChat's window. NextChat sends only its last `historyMessageCount`
 * messages (default 4) plus its own rolling summary; its session store holds every message the person
 * sees. This puts the stored chat in front of the window, lined up so that no message goes twice, and
 * leaves the body as NextChat made it whenever the two cannot be lined up (never a guess).
 */
import type { HistorySource, ReportHistory } from './report.ts';
import { messageText, type ChatCompletionBody, type ChatMessage, type ChatRole } from './types.ts';

/** One NextChat session as last read from its store: the record of what the person sees. */
export interface SessionRecord {
  /**
   * The messages the model may see, oldest first: from NextChat's clear-context mark on, without the
   * failed ones (NextChat never sends those either). May end with the turn being sent and its empty
   * reply placeholder, when NextChat wrote its store before the read.
   */
  messages: readonly { id?: string; role: ChatRole; text: string }[];
  /** NextChat's own rolling summary of the session, '' when it has none. */
  memoryPrompt: string;
  /** How many mask context messages NextChat puts before the chat (after its system prompt and summary). */
  contextCount: number;
}

export interface WholeChat {
  body: ChatCompletionBody;
  /**
   * The stored id of each message of the body's chat (after NextChat's system prompt and context, the
   * new turn last), null where the record has none: what memory needs to tell which messages the prompt holds.
   */
  ids: (string | null)[];
  source: HistorySource;
  /** Older messages put in front of NextChat's window. */
  added: number;
  /** Why NextChat's window was kept, when it was. */
  reason?: string;
}

const trimmed = (text: string) => text.trim();
/**
 * An assistant message as NextChat may send it: some models' replies are stored with their reasoning
 * as a quoted block, which NextChat leaves out of later requests.
 */
const withoutQuotedLines = (text: string) => text.split('\n').filter((line) => !line.startsWith('>')).join('\n').trim();

/** `sent`: a message of the request, its text trimmed. */
function sameText(sent: { role: ChatRole; text: string }, kept: { role: ChatRole; text: string }): boolean {
  if (sent.role !== kept.role) return false;
  if (sent.text === trimmed(kept.text)) return true;
  return sent.role === 'assistant' && sent.text === withoutQuotedLines(kept.text);
}

const sameMessage = (sent: ChatMessage, kept: { role: ChatRole; text: string }) => sameText({ role: sent.role, text: trimmed(messageText(sent)) }, kept);

/**
 * Where NextChat's window starts in the kept messages: the last place the whole window matches, so a
 * stale read that still holds a retried pair or a just-deleted reply past it lines up all the same.
 * -1 when it matches nowhere.
 */
function windowStart(kept: SessionRecord['messages'], window: readonly ChatMessage[]): number {
  const sent = window.map((message) => ({ role: message.role, text: trimmed(messageText(message)) }));
  for (let start = kept.length - sent.length; start >= 0; start--) {
    let all = true;
    for (let i = 0; i < sent.length && all; i++) all = sameText(sent[i]!, kept[start + i]!);
    if (all) return start;
  }
  return -1;
}

/**
 * Without a window (NextChat set to send no history) the kept chat ends where the new turn starts: a
 * read made after NextChat stored the turn ends with it and its empty reply placeholder.
 */
function endBeforeTurn(kept: SessionRecord['messages'], turn: ChatMessage): number {
  let end = kept.length;
  if (end > 0 && kept[end - 1]!.role === 'assistant' && kept[end - 1]!.text.trim() === '') end -= 1;
  if (end > 0 && sameMessage(turn, kept[end - 1]!)) end -= 1;
  return end;
}

/** Whether `message` is NextChat's summary message for this session. */
function isHostSummary(message: ChatMessage | undefined, memoryPrompt: string): boolean {
  const summary = memoryPrompt.trim();
  return message?.role === 'system' && summary.length > 0 && trimmed(messageText(message)).endsWith(summary);
}

/**
 * `body` with the session's whole chat as its history: NextChat's system prompt (its first
 * `hostSystemPrefix` messages) and mask context stay, its summary goes (the messages it summarised are
 * there themselves), the stored messages before NextChat's window come first, then the window and the
 * new turn exactly as NextChat sent them. The assembler then fits the history to the context, newest
 * first. Older messages are sent as text (images stay only in NextChat's window).
 */
export function withWholeChat(body: ChatCompletionBody, hostSystemPrefix: number, record: SessionRecord): WholeChat {
  const keep = (reason: string): WholeChat => ({ body, ids: [], source: 'nextchat-window', added: 0, reason });
  const messages = body.messages;
  const turn = messages[messages.length - 1];
  if (!turn || turn.role !== 'user') return keep('the request does not end with your message');
  const prefix = Math.max(0, Math.min(hostSystemPrefix, messages.length - 1));
  let at = prefix;
  const summary = isHostSummary(messages[at], record.memoryPrompt);
  if (summary) at += 1;
  const contextEnd = at + Math.max(0, Math.min(record.contextCount, messages.length - 1 - at));
  const window = messages.slice(contextEnd, messages.length - 1);
  const end = window.length === 0 ? endBeforeTurn(record.messages, turn) : windowStart(record.messages, window);
  if (end < 0) return keep("NextChat's recent messages do not match its saved chat (it may have changed just now)");
  const earlier: ChatMessage[] = record.messages.slice(0, end).map(({ role, text }) => ({ role, content: text }));
  const history = [...messages.slice(0, prefix), ...messages.slice(summary ? prefix + 1 : prefix, contextEnd), ...earlier, ...window, turn];
  // The window matched the record from `end` on, message for message.
  const ids = [...record.messages.slice(0, end + window.length).map((m) => m.id ?? null), null];
  return { body: { ...body, messages: history }, ids, source: 'whole-chat', added: earlier.length };
}

/** What the prompt inspector says about a build's history. */
export function historyOf(whole: WholeChat): ReportHistory {
  return { source: whole.source, added: whole.added, ...(whole.reason ? { reason: whole.reason } : {}) };
}

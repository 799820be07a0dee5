/**
 * Hands the open character chat's transcript (as NextChat stored it) to the background, which keeps it
 * in the chat's memory and summarises it there. Sent only when it changed since the last hand-over of
 * that chat, and only when the page is idle: never while a request or its reply has the thread.
 */
import { messagesHash, type TranscriptMessage } from '@troupe/shared/memory';
import type { BackgroundCall, OverlayState } from './overlay-state.ts';
import type { Store } from './store.ts';
import { whenIdle } from './when-idle.ts';

export function transcriptKeeper(state: Store<OverlayState>, call: BackgroundCall, report: (error: unknown) => void, signal: AbortSignal) {
  /** Per chat, the hash of the transcript the background last took. */
  const sent = new Map<string, string>();
  /** Per chat, the newest transcript waiting for an idle moment (a burst of reads sends once). */
  const waiting = new Map<string, TranscriptMessage[]>();
  const flush = (chatKey: string) => {
    const messages = waiting.get(chatKey);
    waiting.delete(chatKey);
    if (!messages) return;
    const hash = messagesHash(messages);
    if (sent.get(chatKey) === hash) return;
    call('memory.transcript', { chatKey, messages }).then(() => { sent.set(chatKey, hash); }, report);
  };
  return (chatKey: string, messages: TranscriptMessage[]) => {
    // Memory belongs to character chats: a chat without one keeps nothing of NextChat's.
    const { chat } = state.get();
    if (chat?.chatKey !== chatKey || !chat.character) return;
    const scheduled = waiting.has(chatKey);
    waiting.set(chatKey, messages);
    if (!scheduled) whenIdle(() => flush(chatKey), signal);
  };
}

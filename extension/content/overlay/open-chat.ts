/**
 * The open NextChat chat, as both halves of the content script need it: the request bridge (which
 * character speaks in it) and the panel (what to show). Which chat is open comes from NextChat's page
 * (content/nextchat); what Troupe knows about it comes from the background, read again when the
 * background announces a change.
 */
import type { SessionRecord } from '@troupe/shared/prompt';
import type { TranscriptMessage } from '@troupe/shared/memory';
import { followOpenSession } from '../nextchat/open-session.ts';
import type { BackgroundCall, BackgroundSubscribe, OverlayState } from './overlay-state.ts';
import type { Store } from './store.ts';
import { whenIdle } from './when-idle.ts';

/** The open chat's key for a request (see OpenSession, whose answers these are, as chat keys). */
export interface ChatKeys {
  forRequest(): Promise<string | null>;
  agreedNow(): string | null | undefined;
  /** The chat's messages as NextChat stored them, as last read (undefined: not read, or another chat). */
  recordNow(chatKey: string): SessionRecord | undefined;
  /** The same, read from NextChat's store now (null: unreadable). */
  readRecord(chatKey: string): Promise<SessionRecord | null>;
  /** Reads NextChat's store again soon, so recordNow is current when the next request comes. */
  refreshRecord(): void;
}

export interface OpenChatDeps {
  doc: Document;
  idb: IDBFactory;
  /** The page's origin: a chat key is `origin#sessionId`, so two NextChat sites never share a chat. */
  origin: string;
  state: Store<OverlayState>;
  call: BackgroundCall;
  subscribe: BackgroundSubscribe;
  report(error: unknown): void;
  signal: AbortSignal;
  /** Hears the open chat's whole transcript after every read of NextChat's store (memory keeps it). */
  onTranscript?: (chatKey: string, transcript: TranscriptMessage[]) => void;
}

/**
 * Keeps `chatKey`, `chat` and `missingLandmarks` of `state` in step with the page and the background
 * until `signal` aborts.
 */
export function followOpenChat({ doc, idb, origin, state, call, subscribe, report, signal, onTranscript }: OpenChatDeps): ChatKeys {
  const keyOf = (sessionId: string | null) => (sessionId ? `${origin}#${sessionId}` : null);
  const sessionOf = (chatKey: string) => (chatKey.startsWith(`${origin}#`) ? chatKey.slice(origin.length + 1) : null);
  const load = async (chatKey: string) => {
    const chat = await call('chat.get', { chatKey });
    // A chat switch while this was in flight makes it stale.
    if (state.get().chatKey === chatKey && !signal.aborted) state.set({ chat });
  };
  const reload = () => {
    const { chatKey } = state.get();
    if (chatKey) load(chatKey).catch(report);
  };

  const session = followOpenSession(doc, idb, (view) => {
    const chatKey = keyOf(view.sessionId);
    const now = state.get();
    const patch: Partial<OverlayState> = {};
    if (view.missingLandmarks.join() !== now.missingLandmarks.join()) patch.missingLandmarks = view.missingLandmarks;
    if (chatKey !== now.chatKey) Object.assign(patch, { chatKey, chat: null });
    if (Object.keys(patch).length > 0) state.set(patch);
    if (chatKey && chatKey !== now.chatKey) load(chatKey).catch(report);
  }, signal, onTranscript && ((sessionId, transcript) => onTranscript(keyOf(sessionId)!, transcript)));

  subscribe((event) => {
    // The background stopped while idle and woke again: anything may have changed meanwhile.
    if (event.type === 'reconnected') return whenIdle(reload, signal);
    if (!('chatKey' in event) || event.chatKey !== state.get().chatKey) return;
    if (event.type === 'chat-changed') return reload();
    // Comes with every request, whose rewrite shares this page's thread: caught up with when idle.
    if (event.type === 'reply-saved') {
      whenIdle(() => {
        const { chat } = state.get();
        // Two replies saved at once may be announced out of order: the count only grows.
        if (chat?.chatKey === event.chatKey) state.set({ chat: { ...chat, logCount: Math.max(chat.logCount, event.logCount) } });
      }, signal);
    }
  }, signal);

  return {
    forRequest: async () => keyOf(await session.forRequest()),
    agreedNow: () => {
      const id = session.agreedNow();
      return id === undefined ? undefined : keyOf(id);
    },
    recordNow: (chatKey) => {
      const sessionId = sessionOf(chatKey);
      return sessionId ? session.recordNow(sessionId) : undefined;
    },
    readRecord: async (chatKey) => {
      const sessionId = sessionOf(chatKey);
      return sessionId ? session.readRecord(sessionId) : null;
    },
    refreshRecord: () => session.refresh(),
  };
}

/**
 * Gives the open chat `characterId` (null: none) and shows the answer at once; rejects with the reason
 * when it could not, for the feature that asked to show.
 */
export async function activateCharacter(state: Store<OverlayState>, call: BackgroundCall, characterId: string | null): Promise<void> {
  const { chatKey } = state.get();
  if (!chatKey) throw new Error('Troupe cannot tell which NextChat chat is open. Select a chat in the sidebar.');
  const chat = await call('chat.activate', { chatKey, characterId });
  if (state.get().chatKey === chatKey) state.set({ chat });
}

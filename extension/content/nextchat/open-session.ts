/**
 * The NextChat session the page has open, followed as the person moves between chats. Two records say
 * which one it is: the sidebar's selected row (there at once, but a page script can relabel it) and
 * NextChat's own persisted store (the truth, written a moment after NextChat shows a new chat, and the
 * only record in the narrow layout, which has no sidebar). This module reconciles them.
 */
import { SESSION_RECORD_REFRESH_MS, SESSION_STORE_RETRIES, SESSION_STORE_RETRY_MS } from '../../messaging/limits/general.ts';
import { followChatView, readChatView, type ChatViewSnapshot } from './chat-view.ts';
import { missingLandmarks } from './detect.ts';
import { readStoreJson, sessionIdFromDom } from './session.ts';
import { readChatStore } from './session-record.ts';
import type { SessionRecord } from '@troupe/shared/prompt';
import type { TranscriptMessage } from '@troupe/shared/memory';

/** What the page shows, as far as Troupe follows it. */
export interface SessionView {
  /** NextChat's message list and input are on the page. */
  chatShown: boolean;
  /** The open session's id; null while no chat is shown, or while neither record can tell yet. */
  sessionId: string | null;
  /** Chat-view landmarks this page lacks while a chat is shown (Troupe degrades and the panel says why). */
  missingLandmarks: string[];
}

/** Hears the open session's whole transcript after every read of NextChat's store (see ChatStoreRead.transcript). */
export type TranscriptListener = (sessionId: string, transcript: TranscriptMessage[]) => void;

/** The sidebar and NextChat's store name different chats: a request then gets no character. */
export class SessionMismatchError extends Error {
  readonly code = 'nextchat/session-mismatch';
  constructor() {
    super('the chat the sidebar shows is not the one NextChat has open, so Troupe left this message alone. Click the chat in the sidebar and send again.');
    this.name = 'SessionMismatchError';
  }
}

export interface OpenSession {
  /**
   * The session a chat request belongs to, read at request time: the sidebar's selected row, checked
   * against NextChat's store (read again when it disagrees); the store alone when there is no sidebar.
   * Throws SessionMismatchError when the two disagree.
   */
  forRequest(): Promise<string | null>;
  /**
   * The same answer without waiting: the sidebar's row when NextChat's store, as last read, agrees;
   * undefined when only a read of the store could tell.
   */
  agreedNow(): string | undefined;
  /**
   * The chat of session `sessionId` as NextChat's store held it at the last read (each look at the
   * page, each `refresh`), without waiting; undefined when that read was of another session or failed.
   */
  recordNow(sessionId: string): SessionRecord | undefined;
  /** The same, read from the store now. */
  readRecord(sessionId: string): Promise<SessionRecord | null>;
  /**
   * The open chat may be changing (the person types, clicks in its messages, a reply came): the store
   * is read again SESSION_RECORD_REFRESH_MS after the last such call, so recordNow is current.
   */
  refresh(): void;
}

/**
 * Calls `onView` with the open session now and whenever it may have changed (see followChatView),
 * until `signal` aborts. A chat shown with no readable session (NextChat has not written its store
 * yet) is looked at again a few times. Only the newest look is reported.
 */
export function followOpenSession(doc: Document, idb: IDBFactory, onView: (view: SessionView) => void, signal: AbortSignal, onTranscript?: TranscriptListener): OpenSession {
  let storeSessionId: string | null = null;
  /** The open session's chat as of the last read; only that one is kept (the store holds every session). */
  let lastRecord: { sessionId: string; record: SessionRecord | null } | null = null;
  /** `forMemory`: also hand the transcript to onTranscript (not on a request's path: a refresh after it does). */
  const readStoreSession = async (forMemory = false) => {
    const read = readChatStore(await readStoreJson(idb));
    storeSessionId = read?.currentSessionId ?? null;
    const open = sessionIdFromDom(doc) ?? storeSessionId;
    lastRecord = read && open ? { sessionId: open, record: read.record(open) } : null;
    const transcript = forMemory && read && open && onTranscript ? read.transcript(open) : null;
    if (open && transcript) onTranscript!(open, transcript);
    return storeSessionId;
  };
  let generation = 0;
  let retries = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let refreshing: ReturnType<typeof setTimeout> | undefined;
  signal.addEventListener('abort', () => { clearTimeout(retry); clearTimeout(refreshing); }, { once: true });

  const look = async (view: ChatViewSnapshot) => {
    const mine = ++generation;
    clearTimeout(retry);
    if (view.chatShown) await readStoreSession(true);
    if (mine !== generation || signal.aborted) return;
    const sessionId = view.chatShown ? sessionIdFromDom(doc) ?? storeSessionId : null;
    if (sessionId || !view.chatShown) retries = 0;
    else if (retries < SESSION_STORE_RETRIES) {
      retries += 1;
      retry = setTimeout(() => void look(readChatView(doc)), SESSION_STORE_RETRY_MS);
    }
    onView({ chatShown: view.chatShown, sessionId, missingLandmarks: view.chatShown ? missingLandmarks(doc) : [] });
  };
  followChatView(doc, (view) => void look(view), signal);

  return {
    async forRequest() {
      const shown = sessionIdFromDom(doc);
      if (!shown) return readStoreSession();
      if (shown !== storeSessionId && shown !== (await readStoreSession())) throw new SessionMismatchError();
      return shown;
    },
    agreedNow() {
      const shown = sessionIdFromDom(doc);
      return shown && shown === storeSessionId ? shown : undefined;
    },
    recordNow(sessionId) {
      return lastRecord?.sessionId === sessionId ? lastRecord.record ?? undefined : undefined;
    },
    async readRecord(sessionId) {
      await readStoreSession();
      return lastRecord?.sessionId === sessionId ? lastRecord.record : null;
    },
    refresh() {
      if (signal.aborted) return;
      clearTimeout(refreshing);
      refreshing = setTimeout(() => void readStoreSession(true).catch(() => { /* the next look or request reads again */ }), SESSION_RECORD_REFRESH_MS);
    },
  };
}

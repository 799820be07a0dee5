/**
 * What the overlay knows and hands the panel: the site's confirmation, the open NextChat chat with its
 * character (which the request bridge needs too), and the interceptor's state. Everything else the
 * panel shows, each feature loads for itself (content/panel/features).
 */
import type { ChatState } from '../../messaging/chat-types.ts';
import type { RuntimeEvent } from '../../messaging/ports.ts';
import type { RuntimeRequest, RuntimeResponse, RuntimeType } from '../../messaging/runtime-protocol.ts';
import type { LinkEvent } from '../../client/background-link.ts';
import type { ReadableStore } from './store.ts';
import type { SpokenOutcome } from '../nextchat/voice-typing.ts';

export interface OverlayState {
  /** Whether the person confirmed Troupe on this site (scheme, host and port); null until known. */
  site: 'confirmed' | 'unconfirmed' | null;
  /** The open NextChat chat (`origin#sessionId`); null while NextChat shows none or Troupe cannot tell which. */
  chatKey: string | null;
  /** That chat as the background knows it (its character, replies kept); null until read. */
  chat: ChatState | null;
  /** Whether the MAIN-world interceptor is paired with this content script. */
  interceptor: 'connected' | 'missing';
  /** NextChat landmarks this page lacks (Troupe degrades instead of breaking the page). */
  missingLandmarks: string[];
  /** The last thing that went wrong with a request, in words for the person; null when all is well. */
  lastError: string | null;
  lastRequest: { characterName: string; at: number } | null;
}

export const INITIAL_OVERLAY_STATE: OverlayState = {
  site: null,
  chatKey: null,
  chat: null,
  interceptor: 'missing',
  missingLandmarks: [],
  lastError: null,
  lastRequest: null,
};

/** A typed call to the background (`callBackground`'s shape, so tests can hand in a fake). */
export type BackgroundCall = <T extends RuntimeType>(type: T, payload: RuntimeRequest<T>) => Promise<RuntimeResponse<T>>;
/** What the background announces, with `reconnected` after it was stopped and started again. */
export type BackgroundEvent = LinkEvent<RuntimeEvent>;
/** Hears every announcement until `signal` aborts (`subscribeToBackground`'s shape). */
export type BackgroundSubscribe = (onEvent: (event: BackgroundEvent) => void, signal: AbortSignal) => void;

/** The overlay as the panel sees it. */
export interface OverlayHandle {
  state: ReadableStore<OverlayState>;
  /** Calls the background; a call that changes what prompts are built from drops this page's prompt kit first. */
  call: BackgroundCall;
  subscribe: BackgroundSubscribe;
  /** The person's click on "Use Troupe here": remembered for this site; Troupe starts at once. */
  confirmSite(): Promise<void>;
  /** Gives the open chat a character (null: none); rejects with the reason when it could not. */
  activate(characterId: string | null): Promise<void>;
  dismissError(): void;
  /** Push-to-talk's transcript into NextChat's input, sent at once when `send` (as the person's own turn). */
  typeSpoken(text: string, send: boolean): SpokenOutcome;
}

/**
 * Wires the request bridge (isolated-bridge.ts) to what it asks about: the open chat and its character,
 * the person's own turns in NextChat's input, where NextChat sends chats, the page's prompt kit and the
 * background. Only on a site the person confirmed: until then the MAIN world is never told "ready" and
 * every request passes untouched.
 */
import { breakInterceptorSetting } from '../../messaging/storage/debug.ts';
import { isNextChatDestination, readConfiguredEndpoints } from '../nextchat/endpoints.ts';
import { followComposing, type UserTurns } from '../nextchat/user-turns.ts';
import { chatEndpointReporter } from './chat-endpoint.ts';
import { startBridge } from './isolated-bridge.ts';
import { createVoiceReader } from './voice-reader.ts';
import type { ChatKeys } from './open-chat.ts';
import type { BackgroundCall, OverlayState } from './overlay-state.ts';
import type { PageKit } from './page-kit.ts';
import type { Store } from './store.ts';
import { whenIdle } from './when-idle.ts';

/** The MAIN world's end of the private channel, handed over at document_start. */
export interface MainWorld { port: MessagePort; node: Element | null }

export interface BridgeWiring {
  main: MainWorld;
  doc: Document;
  idb: IDBFactory;
  state: Store<OverlayState>;
  chats: ChatKeys;
  kit: PageKit;
  call: BackgroundCall;
  /** The person's own submissions (made by the overlay: push-to-talk records its sends there too). */
  userTurns: UserTurns;
  signal: AbortSignal;
}

/** Starts answering the MAIN world's rewrite requests, until `signal` aborts. */
export async function connectBridge({ main, doc, idb, state, chats, kit, call, userTurns, signal }: BridgeWiring): Promise<void> {
  // NextChat's custom endpoints, as last read: a request to one can then be answered at once.
  let endpoints: string[] = [];
  const refreshEndpoints = () => { readConfiguredEndpoints(idb).then((read) => { endpoints = read; }, () => {}); };
  followComposing(doc, () => {
    const { chatKey, chat } = state.get();
    if (!chatKey || !chat?.character) return;
    chats.refreshRecord();
    if (kit.warm(chatKey)) refreshEndpoints();
  }, signal);
  // Edit (confirmed in a modal outside the chat), Delete, Retry and the like change NextChat's stored
  // chat: read it again once they have.
  doc.addEventListener('click', (event) => {
    if (event.isTrusted && state.get().chat?.character) chats.refreshRecord();
  }, { capture: true, passive: true, signal });

  let breakRewrites = await breakInterceptorSetting.getValue();
  const unwatch = breakInterceptorSetting.watch((value) => { breakRewrites = value; });
  signal.addEventListener('abort', unwatch, { once: true });

  /** The character of `chatKey` when it is the open chat and Troupe has read it; undefined otherwise. */
  const knownCharacter = (chatKey: string) => {
    const { chat } = state.get();
    return chat && chat.chatKey === chatKey ? chat.character : undefined;
  };
  const voice = createVoiceReader(call, (error) => console.warn('Troupe: a sentence could not be read aloud', error));
  const bridge = startBridge(main.port, main.node, {
    currentChatKey: chats.forRequest,
    claimUserTurn: userTurns.claim,
    isUserTurn: userTurns.vouchesFor,
    // The proxy needs no look-up; a custom endpoint is checked against NextChat's own settings.
    nextChatDestination: async (url) => isNextChatDestination(url, location.href, [])
      || isNextChatDestination(url, location.href, await readConfiguredEndpoints(idb)),
    activeCharacter: async (chatKey) => knownCharacter(chatKey) ?? (await call('chat.get', { chatKey })).character,
    readRecord: chats.readRecord,
    buildPrompt: (chatKey, request) => call('prompt.build', { chatKey, ...request }),
    saveReply: async (reply) => {
      chats.refreshRecord();
      await call('chat.appendReply', reply);
      kit.builder.replySaved(reply.chatKey);
    },
    onFailure: (message) => state.set({ lastError: message }),
    onRewritten: (_chatKey, character) => {
      const at = Date.now();
      whenIdle(() => state.set({ lastRequest: { characterName: character.name, at } }), signal);
    },
    // Memory's summaries may be written by the chat's own model: where its requests go, checked, when idle.
    onChatRequest: chatEndpointReporter(call, () => location.href, signal),
    onReplyDelta: (chatKey, replyId, text) => voice.delta(chatKey, replyId, text),
    // Hands-free keeps the microphone closed until the reply ends, and its last sentence is queued to speak.
    onReplyEnd: (_chatKey, replyId) => {
      void voice.end(replyId).then(() => call('voice.handsFree.replyDone', {})).catch(() => {});
    },
    // The person speaks again: the previous reply stops being read.
    onUserTurn: () => voice.stop(),
    breakRewrites: () => breakRewrites,
    now: {
      // Only when the sidebar and NextChat's store (as last read) agree; otherwise the port path reads the store.
      chatKey: chats.agreedNow,
      character: knownCharacter,
      destination: (url) => (isNextChatDestination(url, location.href, endpoints) ? true : undefined),
      canBuild: (chatKey, model) => {
        kit.sawModel(chatKey, model);
        return kit.builder.canBuild(chatKey, model);
      },
      record: chats.recordNow,
      build: (chatKey, request, session) => kit.builder.build(chatKey, request, session),
    },
  }, signal);

  // A chat Troupe knows has no character needs no asking; one still loading may have one.
  const speaking = ({ chatKey, chat }: OverlayState) => chatKey !== null && (chat === null || chat.character !== null);
  bridge.setSpeaking(speaking(state.get()));
  let openChat = state.get().chatKey;
  state.subscribe((next) => {
    bridge.setSpeaking(speaking(next));
    // Another chat opened: this one's reply is not read on over it.
    if (next.chatKey !== openChat) {
      if (openChat !== null) voice.stop();
      openChat = next.chatKey;
    }
  }, signal);
  state.set({ interceptor: 'connected' });
}

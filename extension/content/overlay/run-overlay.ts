import type { ContentScriptContext } from '#imports';
import { DETECT_TIMEOUT_MS, INSPECTOR_REFRESH_DELAY_MS, PANEL_IDLE_TIMEOUT_MS, SESSION_STORE_RETRIES, SESSION_STORE_RETRY_MS, WARM_INTERVAL_MS } from '../../messaging/limits/general.ts';
import { acceptPagePort } from '../../messaging/page-protocol.ts';
import { callBackground, subscribeToBackground } from '../../client/runtime-client.ts';
import { missingLandmarks, waitForNextChat } from '../nextchat/detect.ts';
import { followChatView, readChatView, type ChatViewSnapshot } from '../nextchat/chat-view.ts';
import { followComposing, followUserTurns } from '../nextchat/user-turns.ts';
import { currentSessionId, NEXTCHAT_IDB, readStoreJson, sessionIdFromDom, sessionIdFromStoreJson } from '../nextchat/session.ts';
import { configuredEndpoints, isNextChatDestination } from '../nextchat/endpoints.ts';
import { nextChatTheme } from '../nextchat/theme.ts';
import { startBridge } from './isolated-bridge.ts';
import { PageBuilder } from './page-build.ts';
import { kitRevisionItem } from '../../messaging/storage/kit-revision.ts';
import { breakInterceptorSetting, detectTimeoutSetting } from '../../messaging/storage/debug.ts';
import { followAttribution } from '../nextchat/attribution.ts';
import { followGreetingRow } from '../nextchat/greeting-row.ts';
import { chosenGreeting } from './greeting-view.ts';
import { createStore, type Store } from './store.ts';
import { INITIAL_OVERLAY_STATE, type OverlayActions, type OverlayState } from './overlay-state.ts';

/** Logged when Troupe decides a page is not NextChat (tests wait for it). */
export const NOT_NEXTCHAT_NOTICE = 'Troupe: no NextChat landmarks on this page; staying out of the way.';

export interface OverlayHandle { store: Store<OverlayState>; actions: OverlayActions }

/** The model a kit is first asked for, before any request of the chat named one (its tokenizer's counts). */
const DEFAULT_KIT_MODEL = 'gpt-4o-mini';

/**
 * The isolated content script's whole job, in order: pair with the MAIN-world interceptor during
 * document_start, decide whether the page is NextChat (landmarks, not URL), then keep the panel's
 * state in step with the page and the background. Resolves null, having touched nothing, elsewhere.
 */
export async function runOverlay(ctx: ContentScriptContext): Promise<OverlayHandle | null> {
  let port: MessagePort | null = null;
  let node: Element | null = null;
  const handshake = new AbortController();
  acceptPagePort(window, (p, n) => { port = p; node = n; }, handshake.signal);
  await domContentLoaded();
  handshake.abort();

  const detectTimeout = (await detectTimeoutSetting.getValue()) ?? DETECT_TIMEOUT_MS;
  if (!(await waitForNextChat(document, ctx.signal, detectTimeout))) {
    (port as MessagePort | null)?.postMessage({ v: 1, t: 'bye' });
    console.info(NOT_NEXTCHAT_NOTICE);
    return null;
  }

  const store = createStore<OverlayState>(INITIAL_OVERLAY_STATE);
  const report = (error: unknown) => store.set({ lastError: error instanceof Error ? error.message : String(error) });

  // Troupe acts on a site only once the person said so: one trusted click in the panel (or the site
  // enabled in the options page). Until then the MAIN world is never told "ready": every request
  // passes untouched, and the panel shows only the question.
  const origin = location.origin;
  const confirmed = await callBackground('origins.isConfirmed', { origin }).catch(() => false);
  store.set({ site: confirmed ? 'confirmed' : 'unconfirmed' });

  // The open chat per NextChat's own store, as last read; the sidebar must agree with it at request time.
  let storeSessionId: string | null = null;
  const readStoreSession = async () => (storeSessionId = sessionIdFromStoreJson(await readStoreJson(indexedDB)));
  const chatKeyNow = async () => {
    const id = await currentSessionId(document, indexedDB);
    return id ? `${location.origin}#${id}` : null;
  };
  /**
   * The chat a request belongs to: the sidebar's selected chat, checked against NextChat's store (a page
   * script can relabel a sidebar row, not NextChat's state). When the two disagree, even after reading
   * the store again, the request gets no character and the panel says why.
   */
  const requestChatKey = async () => {
    const shown = sessionIdFromDom(document);
    if (!shown) return chatKeyNow();
    if (shown !== storeSessionId && shown !== (await readStoreSession())) {
      throw new Error('the chat the sidebar shows is not the one NextChat has open, so Troupe left this message alone. Click the chat in the sidebar and send again.');
    }
    return `${location.origin}#${shown}`;
  };
  // NextChat writes its store a moment after it shows a new chat; with no sidebar (narrow layout) that
  // store is the only record of which chat is open, so an unreadable one is asked again a few times.
  let storeRetries = 0;
  const refreshChat = async (view: ChatViewSnapshot) => {
    store.set({ missingLandmarks: view.chatShown ? missingLandmarks(document) : [] });
    if (view.chatShown) await readStoreSession();
    const chatKey = view.chatShown ? await chatKeyNow() : null;
    if (chatKey || !view.chatShown) storeRetries = 0;
    else if (storeRetries < SESSION_STORE_RETRIES) {
      storeRetries += 1;
      ctx.setTimeout(() => safely(() => refreshChat(readChatView(document)))(), SESSION_STORE_RETRY_MS);
    }
    if (chatKey !== store.get().chatKey) store.set({ chatKey, chat: null, settings: null, report: null });
    if (!chatKey) return;
    const [chat, settings, report] = await Promise.all([
      callBackground('chat.get', { chatKey }), callBackground('chat.settings.get', { chatKey }), callBackground('prompt.report', { chatKey }),
    ]);
    // A chat switch while these were in flight makes them stale.
    if (store.get().chatKey === chatKey) store.set({ chat, settings, report });
    if (chat.character) warm();
  };
  const refreshChatNow = () => refreshChat(readChatView(document));
  // The open chat's prompt kit: with it, this page builds the chat's prompts itself, in the request's own
  // task, whether or not Chrome has stopped the background since (it stops an idle one after ~30 s).
  const builder = new PageBuilder({
    fetchKit: (chatKey, model) => callBackground('prompt.kit', { chatKey, model }),
    countTokens: (model, texts) => callBackground('prompt.count', { model, texts }),
    used: (chatKey, state, built) => { callBackground('prompt.used', { chatKey, state, report: built }).catch(report); },
    now: () => new Date(),
  });
  ctx.onInvalidated(kitRevisionItem.watch(() => builder.drop()));
  // NextChat's custom endpoints, as last read: a request to one can then be answered at once.
  let endpoints: string[] = [];
  let kitFailedAt = -Infinity;
  /** The person starts on a message: get the chat's kit now, while they type, unless it is held. */
  function warm() {
    const { chatKey, chat, report: last } = store.get();
    // The model of the chat's last request (NextChat's current one, as far as Troupe saw), for its tokenizer.
    const model = last?.model || (chatKey && builder.modelFor(chatKey)) || DEFAULT_KIT_MODEL;
    // Every key press lands here: held already, nothing to do.
    if (!chatKey || !chat?.character || builder.canBuild(chatKey, model) || Date.now() - kitFailedAt < WARM_INTERVAL_MS) return;
    void readStoreJson(indexedDB, NEXTCHAT_IDB.accessKey).then((json) => { endpoints = configuredEndpoints(json); }, () => {});
    builder.prepare(chatKey, model).catch(() => { kitFailedAt = Date.now(); });
  }
  const refreshReport = async () => {
    const { chatKey } = store.get();
    if (!chatKey) return;
    const report = await callBackground('prompt.report', { chatKey });
    if (store.get().chatKey === chatKey) store.set({ report });
  };
  const refreshCharacters = async () => store.set({ characters: await callBackground('characters.list', {}) });
  const refreshPersonas = async () => store.set({ personas: await callBackground('personas.list', {}) });
  const safely = (task: () => Promise<unknown>) => () => { task().catch(report); };
  /** An action's result, or `failed` once its error is shown in the panel. */
  const orReport = async <T>(task: () => Promise<T>, failed: T): Promise<T> => {
    try {
      return await task();
    } catch (error) {
      report(error);
      return failed;
    }
  };

  // The swipe buttons in NextChat's list call the action defined below.
  let swipeGreeting: (index: number) => void = () => {};
  /** Everything that watches the page and answers the MAIN world: only on a site the person confirmed. */
  const start = async () => {
    followTheme(ctx, store);
    // Replies in a character chat carry the character's name; deactivating (chat: no character) removes it.
    const attribution = followAttribution(document, () => store.get().chat?.character ?? null, ctx.signal);
    // The character's greeting opens the conversation in NextChat's own list (swipeable until the first answer).
    const greetingRow = followGreetingRow(document, () => {
      const state = store.get();
      const greeting = chosenGreeting(state);
      const character = state.chat?.character;
      if (!greeting || !character) return null;
      return { character, text: greeting.text, index: greeting.index, count: greeting.count, canSwipe: greeting.beforeFirstReply, onSwipe: (next) => swipeGreeting(next) };
    }, ctx.signal);
    ctx.onInvalidated(store.subscribe(() => greetingRow.refresh()));
    let attributed = store.get().chat?.character ?? null;
    const unsubscribe = store.subscribe((value) => {
      const character = value.chat?.character ?? null;
      if (character?.id !== attributed?.id || character?.name !== attributed?.name || character?.avatar !== attributed?.avatar) attribution.refresh();
      attributed = character;
    });
    ctx.onInvalidated(unsubscribe);
    followChatView(document, (view) => { refreshChat(view).catch(report); }, ctx.signal);
    const userTurns = followUserTurns(document, ctx.signal);
    followComposing(document, warm, ctx.signal);
    subscribeToBackground((event) => {
      if (event.type === 'characters-changed') return safely(refreshCharacters)();
      if (event.type === 'personas-changed') return safely(refreshPersonas)();
      // The background stopped while idle and woke again: anything may have changed meanwhile.
      if (event.type === 'reconnected') return whenIdle(() => void Promise.all([refreshChatNow(), refreshCharacters(), refreshPersonas()]).catch(report), ctx.signal);
      if (event.chatKey !== store.get().chatKey) return;
      // Builds and replies happen on every request: refresh only what they change, not the whole chat.
      // These come with every request, whose rewrite shares this page's thread: the panel catches up when idle.
      if (event.type === 'reply-saved') {
        return whenIdle(() => {
          const { chat } = store.get();
          // Two replies saved at once may be announced out of order: the count only grows.
          if (chat?.chatKey === event.chatKey) store.set({ chat: { ...chat, logCount: Math.max(chat.logCount, event.logCount) } });
        }, ctx.signal);
      }
      // The report crosses from the background; not while the request it describes is still in flight.
      if (event.type === 'prompt-built') return void ctx.setTimeout(() => whenIdle(safely(refreshReport), ctx.signal), INSPECTOR_REFRESH_DELAY_MS);
      safely(refreshChatNow)();
    }, ctx.signal);
    await Promise.all([refreshCharacters(), refreshPersonas()]).catch(report);

    let breakRewrites = await breakInterceptorSetting.getValue();
    const unwatch = breakInterceptorSetting.watch((value) => { breakRewrites = value; });
    ctx.onInvalidated(unwatch);

    const mainPort = port as MessagePort | null;
    if (mainPort) {
      const bridge = startBridge(mainPort, node as Element | null, {
        currentChatKey: requestChatKey,
        claimUserTurn: userTurns.claim,
        isUserTurn: userTurns.vouchesFor,
        // The proxy needs no look-up; a custom endpoint is checked against NextChat's own settings.
        nextChatDestination: async (url) => isNextChatDestination(url, location.href, [])
          || isNextChatDestination(url, location.href, configuredEndpoints(await readStoreJson(indexedDB, NEXTCHAT_IDB.accessKey))),
        activeCharacter: async (chatKey) => {
          const { chat } = store.get();
          return chat && chat.chatKey === chatKey ? chat.character : (await callBackground('chat.get', { chatKey })).character;
        },
        buildPrompt: (chatKey, request) => callBackground('prompt.build', { chatKey, ...request }),
        saveReply: async (reply) => {
          await callBackground('chat.appendReply', reply);
          builder.replySaved(reply.chatKey);
        },
        onFailure: (message) => store.set({ lastError: message }),
        onRewritten: (_chatKey, character) => {
          const at = Date.now();
          whenIdle(() => store.set({ lastRequest: { characterName: character.name, at } }), ctx.signal);
        },
        breakRewrites: () => breakRewrites,
        now: {
          // Only when the sidebar and NextChat's store (as last read) agree; otherwise the port path reads the store.
          chatKey: () => {
            const shown = sessionIdFromDom(document);
            return shown && shown === storeSessionId ? `${location.origin}#${shown}` : undefined;
          },
          character: (chatKey) => {
            const { chat } = store.get();
            return chat && chat.chatKey === chatKey ? chat.character : undefined;
          },
          destination: (url) => (isNextChatDestination(url, location.href, endpoints) ? true : undefined),
          canBuild: (chatKey, model) => builder.canBuild(chatKey, model),
          build: (chatKey, request) => builder.build(chatKey, request),
        },
      }, ctx.signal);
      // A chat Troupe knows has no character needs no asking; one still loading may have one.
      const speaking = (state: OverlayState) => state.chatKey !== null && (state.chat === null || state.chat.character !== null);
      bridge.setSpeaking(speaking(store.get()));
      ctx.onInvalidated(store.subscribe((state) => bridge.setSpeaking(speaking(state))));
      store.set({ interceptor: 'connected' });
    } else {
      store.set({ lastError: 'Troupe\'s request interceptor did not start on this page, so characters cannot be added to requests. Reload the page.' });
    }
  };

  const actions: OverlayActions = {
    // Set below, once start() can be called.
    confirmSite: async () => {},
    async activate(characterId) {
      builder.drop();
      const { chatKey } = store.get();
      if (!chatKey) return report(new Error('Troupe cannot tell which NextChat chat is open. Select a chat in the sidebar.'));
      try {
        store.set({ chat: await callBackground('chat.activate', { chatKey, characterId }) });
      } catch (error) { report(error); }
    },
    createCharacter: (input) => orReport(async () => {
      await callBackground('characters.create', input);
      await refreshCharacters();
      return true;
    }, false),
    dismissError: () => store.set({ lastError: null }),
    async updateSettings(patch) {
      builder.drop();
      const { chatKey } = store.get();
      if (!chatKey) { report(new Error('Troupe cannot tell which NextChat chat is open. Select a chat in the sidebar.')); return false; }
      return orReport(async () => {
        const settings = await callBackground('chat.settings.update', { chatKey, ...patch });
        if (store.get().chatKey === chatKey) store.set({ settings });
        return true;
      }, false);
    },
    savePersona: (input) => orReport(async () => {
      builder.drop();
      const saved = await callBackground('personas.save', input);
      await refreshPersonas();
      return saved;
    }, null),
    deletePersona: (id) => orReport(async () => {
      builder.drop();
      await callBackground('personas.delete', { id });
      await refreshPersonas();
      return true;
    }, false),
  };
  swipeGreeting = (greetingIndex) => { void actions.updateSettings({ greetingIndex }); };
  let started = false;
  const startOnce = () => {
    if (started) return;
    started = true;
    start().catch(report);
  };
  actions.confirmSite = async () => {
    try {
      await callBackground('origins.confirm', { origin });
      store.set({ site: 'confirmed' });
      startOnce();
    } catch (error) {
      report(error);
    }
  };
  if (confirmed) startOnce();
  return { store, actions };
}

function domContentLoaded(): Promise<void> {
  if (document.readyState !== 'loading') return Promise.resolve();
  return new Promise((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
}

/** Keeps `theme` equal to NextChat's: its class on <body>, else the system colour scheme. */
function followTheme(ctx: ContentScriptContext, store: Store<OverlayState>): void {
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const update = () => store.set({ theme: nextChatTheme(document, media.matches) });
  update();
  const observer = new MutationObserver(update);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  ctx.addEventListener(media, 'change', update);
  ctx.onInvalidated(() => observer.disconnect());
}

/** Runs `task` when the page's thread is idle (or after PANEL_IDLE_TIMEOUT_MS at the latest). */
function whenIdle(task: () => void, signal: AbortSignal): void {
  const cancel = () => cancelIdleCallback(handle);
  const handle = requestIdleCallback(() => {
    signal.removeEventListener('abort', cancel);
    if (!signal.aborted) task();
  }, { timeout: PANEL_IDLE_TIMEOUT_MS });
  signal.addEventListener('abort', cancel, { once: true });
}

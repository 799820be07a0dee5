/**
 * The isolated content script's own job, in order: pair with the MAIN-world interceptor during
 * document_start, decide whether the page is NextChat (landmarks, not URL), ask the person once per
 * site, then follow the open chat and answer the interceptor. What the panel shows is its features'
 * business (content/panel); this hands them the open chat and a way to reach the background.
 */
import type { ContentScriptContext } from '#imports';
import { DETECT_TIMEOUT_MS } from '../../messaging/limits/general.ts';
import { RECALL_WARM_SLICE } from '../../messaging/limits/memory.ts';
import { acceptPagePort } from '../../messaging/page-protocol.ts';
import { detectTimeoutSetting } from '../../messaging/storage/debug.ts';
import { callBackground, subscribeToBackground } from '../../client/runtime-client.ts';
import { waitForNextChat } from '../nextchat/detect.ts';
import { followUserTurns, type UserTurns } from '../nextchat/user-turns.ts';
import { typeSpoken } from '../nextchat/voice-typing.ts';
import { connectBridge, type MainWorld } from './connect-bridge.ts';
import { activateCharacter, followOpenChat } from './open-chat.ts';
import { INITIAL_OVERLAY_STATE, type OverlayHandle, type OverlayState } from './overlay-state.ts';
import { createPageKit } from './page-kit.ts';
import { createStore } from './store.ts';
import { transcriptKeeper } from './transcript-sync.ts';
import { whenIdle } from './when-idle.ts';

/** Logged when Troupe decides a page is not NextChat (tests wait for it). */
export const NOT_NEXTCHAT_NOTICE = 'Troupe: no NextChat landmarks on this page; staying out of the way.';

const NO_INTERCEPTOR = 'Troupe\'s request interceptor did not start on this page, so characters cannot be added to requests. Reload the page.';

/** Resolves null, having touched nothing, on a page that is not NextChat. */
export async function runOverlay(ctx: ContentScriptContext): Promise<OverlayHandle | null> {
  const main = await pairWithMainWorld();
  const detectTimeout = (await detectTimeoutSetting.getValue()) ?? DETECT_TIMEOUT_MS;
  if (!(await waitForNextChat(document, ctx.signal, detectTimeout))) {
    main?.port.postMessage({ v: 1, t: 'bye' });
    console.info(NOT_NEXTCHAT_NOTICE);
    return null;
  }

  const state = createStore<OverlayState>(INITIAL_OVERLAY_STATE);
  const report = (error: unknown) => state.set({ lastError: error instanceof Error ? error.message : String(error) });
  const kit = createPageKit(callBackground, report, ctx.signal);

  // Troupe acts on a site only once the person said so: one trusted click in the panel (or the site
  // enabled in the options page). Until then the MAIN world is never told "ready": every request
  // passes untouched, and the panel shows only the question.
  const origin = location.origin;
  const confirmed = await callBackground('origins.isConfirmed', { origin }).catch(() => false);
  state.set({ site: confirmed ? 'confirmed' : 'unconfirmed' });

  // Made once, when first needed: the bridge and push-to-talk share the person's submissions.
  let userTurns: UserTurns | null = null;
  const turns = () => (userTurns ??= followUserTurns(document, ctx.signal));

  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    const deps = { doc: document, idb: indexedDB, state, call: callBackground, signal: ctx.signal };
    const keepTranscript = transcriptKeeper(state, callBackground, report, ctx.signal);
    const chats = followOpenChat({
      ...deps, origin, subscribe: subscribeToBackground, report,
      onTranscript: (chatKey, transcript) => {
        keepTranscript(chatKey, transcript);
        // Recall indexes the chat now, a slice each time the page is idle, not during the next request.
        if (state.get().chat?.character) {
          const warm = () => {
            const record = chats.recordNow(chatKey);
            if (record && !kit.builder.warmRecall(chatKey, record.messages, RECALL_WARM_SLICE)) whenIdle(warm, ctx.signal);
          };
          whenIdle(warm, ctx.signal);
        }
      },
    });
    // A chat that just got its character (one older than Troupe, say): its transcript is read for memory now.
    let characterChat: string | null = null;
    state.subscribe(({ chat }) => {
      const key = chat?.character ? chat.chatKey : null;
      if (key && key !== characterChat) chats.refreshRecord();
      characterChat = key;
    }, ctx.signal);
    if (main) connectBridge({ ...deps, main, chats, kit, userTurns: turns() }).catch(report);
    else state.set({ lastError: NO_INTERCEPTOR });
  };
  if (confirmed) start();

  return {
    state,
    call: kit.call,
    subscribe: subscribeToBackground,
    async confirmSite() {
      try {
        await callBackground('origins.confirm', { origin });
        state.set({ site: 'confirmed' });
        start();
      } catch (error) {
        report(error);
      }
    },
    activate: (characterId) => activateCharacter(state, kit.call, characterId),
    dismissError: () => state.set({ lastError: null }),
    typeSpoken: (text, send) => typeSpoken(document, text, send, turns().said),
  };
}

/**
 * Takes the private channel the MAIN world offers during document_start (never later: after that, an
 * offer could come from a page script), then waits for the DOM. Null when none came.
 */
async function pairWithMainWorld(): Promise<MainWorld | null> {
  let main: MainWorld | null = null;
  const handshake = new AbortController();
  acceptPagePort(window, (port, node) => { main = { port, node }; }, handshake.signal);
  if (document.readyState === 'loading') {
    await new Promise<void>((resolve) => document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }));
  }
  handshake.abort();
  return main;
}

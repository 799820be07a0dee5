/**
 * Hands-free as the panel runs it (issue #12): switched on, the offscreen document listens with the VAD;
 * the panel follows the session by long polling and types each turn into NextChat's input (sent at once
 * unless auto-send is off), as push-to-talk does. When a turn could not be sent, the session is told at
 * once, so it does not keep the microphone closed for a reply that will not come.
 */
import type { HandsFreePhase } from '../../messaging/protocols/hands-free.ts';
import { HANDS_FREE_RETRY_MS } from '../../messaging/limits/voice.ts';
import type { SpokenOutcome } from '../nextchat/voice-typing.ts';
import type { BackgroundCall } from '../overlay/overlay-state.ts';
import { createStore, type ReadableStore } from '../overlay/store.ts';
import type { TalkOutcome } from './talk-controller.ts';

export interface HandsFreeState {
  on: boolean;
  phase: HandsFreePhase;
  /** The last turn (sent or typed) or what went wrong, in words. */
  outcome: TalkOutcome | null;
}

export interface HandsFreeController {
  state: ReadableStore<HandsFreeState>;
  start(): void;
  stop(): void;
}

const NO_INPUT = 'NextChat\'s message box is not on this page, so the words could not be typed.';
const ENDED = 'Hands-free stopped: Troupe\'s audio document closed. Switch it on again to go on.';

export function createHandsFreeController(
  call: BackgroundCall,
  typeSpoken: (text: string, send: boolean) => SpokenOutcome,
  signal: AbortSignal,
  wait: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): HandsFreeController {
  const state = createStore<HandsFreeState>({ on: false, phase: 'off', outcome: null });
  /** Bumped by each start and stop: a poll loop of an earlier run ends by itself. */
  let run = 0;
  const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

  async function follow(mine: number): Promise<void> {
    let session = '';
    let after = 0;
    let phase: HandsFreePhase = 'starting';
    while (run === mine && !signal.aborted) {
      let answer;
      try {
        answer = await call('voice.handsFree.poll', { session, after, phase });
      } catch {
        await wait(HANDS_FREE_RETRY_MS);
        continue;
      }
      if (run !== mine || signal.aborted) return;
      if (answer.session !== session) after = 0;
      session = answer.session;
      for (const event of answer.events) {
        if (event.n <= after) continue;
        after = event.n;
        if (event.kind === 'error') state.set({ outcome: { kind: 'error', message: event.message, canRetry: event.canRetry } });
        if (event.kind === 'turn') {
          const typed = typeSpoken(event.text, event.autoSend);
          state.set({ outcome: typed === 'no-input' ? { kind: 'error', message: NO_INPUT, canRetry: false } : { kind: typed, text: event.text } });
          // Nothing went to the model: no reply will end, so the microphone re-opens now.
          if (typed !== 'sent' && event.autoSend) call('voice.handsFree.replyDone', {}).catch(() => {});
        }
      }
      phase = answer.phase;
      if (phase === 'off') {
        run++;
        state.set({ on: false, phase, ...(state.get().outcome?.kind === 'error' ? {} : { outcome: { kind: 'error', message: ENDED, canRetry: false } }) });
        return;
      }
      state.set({ phase });
    }
  }

  const stop = () => {
    if (!state.get().on) return;
    run++;
    state.set({ on: false, phase: 'off' });
    call('voice.handsFree.stop', {}).catch(() => {});
  };
  signal.addEventListener('abort', stop, { once: true });

  return {
    state,
    start() {
      if (state.get().on || signal.aborted) return;
      const mine = ++run;
      state.set({ on: true, phase: 'starting', outcome: null });
      call('voice.handsFree.start', {}).then(
        (answer) => {
          if (run !== mine) return;
          if (!answer.ok) {
            run++;
            state.set({ on: false, phase: 'off', outcome: { kind: 'error', message: answer.message, canRetry: false } });
            return;
          }
          void follow(mine);
        },
        (error: unknown) => {
          if (run !== mine) return;
          run++;
          state.set({ on: false, phase: 'off', outcome: { kind: 'error', message: words(error), canRetry: false } });
        },
      );
    },
    stop,
  };
}

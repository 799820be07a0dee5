/**
 * Push-to-talk as the panel runs it: press starts recording (offscreen, through the background),
 * release transcribes, and the text goes into NextChat's input (sent at once when the options page
 * says so). One hold at a time; a failure keeps its words and whether Retry can re-send the clip.
 */
import type { ListenResult } from '../../messaging/protocols/voice-in.ts';
import type { SpokenOutcome } from '../nextchat/voice-typing.ts';
import type { BackgroundCall } from '../overlay/overlay-state.ts';
import { createStore, type ReadableStore } from '../overlay/store.ts';

export type TalkOutcome =
  | { kind: 'sent' | 'typed'; text: string }
  | { kind: 'error'; message: string; canRetry: boolean };

export interface TalkState { phase: 'idle' | 'recording' | 'transcribing'; outcome: TalkOutcome | null }

export interface TalkController {
  state: ReadableStore<TalkState>;
  press(): void;
  release(): void;
  retry(): void;
}

const NO_INPUT = 'NextChat\'s message box is not on this page, so the words could not be typed.';

export function createTalkController(call: BackgroundCall, typeSpoken: (text: string, send: boolean) => SpokenOutcome): TalkController {
  const state = createStore<TalkState>({ phase: 'idle', outcome: null });
  /** The microphone is open (the start answered ok); the release waits for it. */
  let open = false;
  let released = false;

  const fail = (message: string, canRetry = false) => state.set({ phase: 'idle', outcome: { kind: 'error', message, canRetry } });
  const words = (error: unknown) => (error instanceof Error ? error.message : String(error));

  const finish = (result: ListenResult) => {
    if (!result.ok) return fail(result.message, result.canRetry);
    const typed = typeSpoken(result.text, result.autoSend);
    if (typed === 'no-input') return fail(NO_INPUT);
    state.set({ phase: 'idle', outcome: { kind: typed, text: result.text } });
  };

  const transcribe = (type: 'voice.listen.stop' | 'voice.listen.retry') => {
    state.set({ phase: 'transcribing' });
    call(type, {}).then(finish, (error: unknown) => fail(words(error)));
  };

  return {
    state,
    press() {
      if (state.get().phase !== 'idle') return;
      released = false;
      open = false;
      state.set({ phase: 'recording', outcome: null });
      call('voice.listen.start', {}).then(
        (answer) => {
          if (!answer.ok) return fail(answer.message, answer.canRetry);
          open = true;
          // Released before the microphone opened: the release is acted on now.
          if (released) transcribe('voice.listen.stop');
        },
        (error: unknown) => fail(words(error)),
      );
    },
    release() {
      if (state.get().phase !== 'recording' || released) return;
      released = true;
      if (open) transcribe('voice.listen.stop');
    },
    retry() {
      if (state.get().phase !== 'idle') return;
      transcribe('voice.listen.retry');
    },
  };
}

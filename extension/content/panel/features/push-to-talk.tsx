/**
 * Voice in, push-to-talk (issue #12): hold the Talk button (pointer, or Space/Enter while it has focus),
 * or hold Alt+T anywhere on NextChat's page, and speak; on release the clip is transcribed by the
 * endpoint set in Troupe's options and typed into NextChat's input, sent at once unless auto-send is off.
 * What went wrong is said in words, with Retry when the clip can be sent again. Hands-free: switched on,
 * Troupe listens and sends each turn when the person stops speaking, and speaking over the character
 * stops it (hands-free-controller.ts; the session itself runs in the offscreen document).
 */
import type { JSX } from 'preact';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { createTalkController, type TalkController } from '../talk-controller.ts';
import { createHandsFreeController, type HandsFreeController } from '../hands-free-controller.ts';
import type { HandsFreePhase } from '../../../messaging/protocols/hands-free.ts';
import { useStore } from '../use-store.ts';
import { createStore, type ReadableStore } from '../../overlay/store.ts';
import { describeMicrophoneInPanel, type MicrophoneState } from '../../../ui/microphone-text.ts';

/** The section's two ways in, hold to talk and hands-free, and the microphone's permission (null until asked). */
export interface Talking { talk: TalkController; handsFree: HandsFreeController; microphone: ReadableStore<{ state: MicrophoneState | null }> }

/** What hands-free is doing, in words (`name`: the chat's character). */
export function handsFreeWords(phase: HandsFreePhase, name: string): string {
  switch (phase) {
    case 'off': return 'Off. Switch it on to talk without holding a button.';
    case 'starting': return 'Opening the microphone…';
    case 'listening': return 'Listening: just speak.';
    case 'hearing': return 'Hearing you…';
    case 'transcribing': return 'Transcribing…';
    case 'waiting': return `Sent. Waiting for ${name}…`;
    case 'speaking': return `${name} is speaking: speak to interrupt.`;
  }
}

/** The page-wide shortcut: Alt+T (T for talk); NextChat binds no Alt+letter shortcut. */
export function isTalkShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'code' | 'isTrusted'>): boolean {
  return event.isTrusted && event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyT';
}

const HOLD_KEYS = new Set(['Space', 'Enter']);

function HandsFree({ handsFree, talk, name }: { handsFree: HandsFreeController; talk: TalkController; name: string }) {
  const { on, phase, outcome } = useStore(handsFree.state);
  return (
    <div aria-label="Hands-free">
      <label class="switch"><input type="checkbox" checked={on} onChange={(e) => (e.currentTarget.checked ? handsFree.start() : handsFree.stop())} />Hands-free</label>
      <p class="muted small" role="status" aria-label="Hands-free status">{handsFreeWords(phase, name)}</p>
      {outcome && outcome.kind !== 'error' && <p class="muted small">{outcome.kind === 'sent' ? `Sent: “${outcome.text}”` : `In NextChat's input for you to review: “${outcome.text}”`}</p>}
      {outcome?.kind === 'error' && (
        <p role="alert" class="error">
          <span>{outcome.message}</span>
          {/* The clip that failed is kept by the same transcriber push-to-talk uses: its Retry sends it again. */}
          {outcome.canRetry && <> <button type="button" class="link" onClick={() => talk.retry()}>Retry</button></>}
        </p>
      )}
    </div>
  );
}

function Talk({ data: { talk, handsFree, microphone }, overlay }: FeatureProps<Talking, 'character'>) {
  const { phase, outcome } = useStore(talk.state);
  const { state: permission } = useStore(microphone);
  const blocked = permission ? describeMicrophoneInPanel(permission) : null;
  const keyDown = (event: JSX.TargetedKeyboardEvent<HTMLButtonElement>) => {
    if (!HOLD_KEYS.has(event.code)) return;
    event.preventDefault();
    if (!event.repeat) talk.press();
  };
  const keyUp = (event: JSX.TargetedKeyboardEvent<HTMLButtonElement>) => {
    if (!HOLD_KEYS.has(event.code)) return;
    event.preventDefault();
    talk.release();
  };
  return (
    <div aria-label="Push to talk">
      {blocked && <p class="muted small" aria-label="Microphone">{blocked}</p>}
      <button type="button" class="primary" aria-pressed={phase === 'recording'} disabled={phase === 'transcribing'}
        onPointerDown={(e) => { e.currentTarget.setPointerCapture?.(e.pointerId); talk.press(); }}
        onPointerUp={() => talk.release()} onPointerCancel={() => talk.release()}
        onKeyDown={keyDown} onKeyUp={keyUp} onClick={(e) => e.preventDefault()}
        title="Or hold Alt+T on the page">
        {phase === 'recording' ? 'Listening… release to send' : 'Hold to talk'}
      </button>
      <p class="muted small" role="status" aria-label="Talk status">
        {phase === 'recording' ? 'Recording.' : phase === 'transcribing' ? 'Transcribing…'
          : outcome?.kind === 'sent' ? `Sent: “${outcome.text}”` : outcome?.kind === 'typed' ? `In NextChat's input for you to review: “${outcome.text}”`
          : 'Hold the button (or Alt+T) while you speak.'}
      </p>
      {outcome?.kind === 'error' && (
        <p role="alert" class="error">
          <span>{outcome.message}</span>
          {outcome.canRetry && <> <button type="button" class="link" onClick={() => talk.retry()}>Retry</button></>}
        </p>
      )}
      <HandsFree handsFree={handsFree} talk={talk} name={overlay.chat?.character?.name ?? 'The character'} />
    </div>
  );
}

export const pushToTalk = defineFeature({
  id: 'push-to-talk',
  title: 'Talk',
  needs: 'character',
  defaultOpen: true,
  start: ({ call, signal }, run) => {
    const talk = createTalkController(call, run.actions.typeSpoken);
    const microphone = createStore<{ state: MicrophoneState | null }>({ state: null });
    run.set({ talk, handsFree: createHandsFreeController(call, run.actions.typeSpoken, signal), microphone });
    call('voice.microphone', {}).then(({ state }) => microphone.set({ state }), () => {});
    let holding = false;
    document.addEventListener('keydown', (event) => {
      if (!isTalkShortcut(event)) return;
      event.preventDefault();
      if (!holding) {
        holding = true;
        talk.press();
      }
    }, { capture: true, signal });
    document.addEventListener('keyup', (event) => {
      if (!holding || (event.code !== 'KeyT' && event.key !== 'Alt')) return;
      holding = false;
      talk.release();
    }, { capture: true, signal });
  },
  Component: Talk,
});

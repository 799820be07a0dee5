/**
 * Voice in, push-to-talk (issue #12): hold the Talk button (pointer, or Space/Enter while it has focus),
 * or hold Alt+T anywhere on NextChat's page, and speak; on release the clip is transcribed by the
 * endpoint set in Troupe's options and typed into NextChat's input, sent at once unless auto-send is off.
 * What went wrong is said in words, with Retry when the clip can be sent again.
 */
import type { JSX } from 'preact';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { createTalkController, type TalkController } from '../talk-controller.ts';
import { useStore } from '../use-store.ts';

/** The page-wide shortcut: Alt+T (T for talk); NextChat binds no Alt+letter shortcut. */
export function isTalkShortcut(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'code' | 'isTrusted'>): boolean {
  return event.isTrusted && event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyT';
}

const HOLD_KEYS = new Set(['Space', 'Enter']);

function Talk({ data: talk }: FeatureProps<TalkController, 'character'>) {
  const { phase, outcome } = useStore(talk.state);
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
    run.set(talk);
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

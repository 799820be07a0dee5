import { describe, expect, it } from 'vitest';
import { createCallTurns, type CallAction, type CallTurns } from './call-turns.ts';
import type { VadReading } from './echo-gate.ts';
import { BARGE_IN_CONFIRM_MS, BARGE_IN_SUSTAIN_MS, ECHO_TAIL_MS, MAX_REPLY_WAIT_MS } from './limits.ts';

const FRAME_MS = 32;
const STRONG: VadReading = { probability: 0.95, energy: 0.1 };
const ECHO: VadReading = { probability: 0.6, energy: 0.008 };

/** Frames every FRAME_MS in [from, to); the actions they caused, with their times. */
function frames(turns: CallTurns, from: number, to: number, reading: VadReading): [number, CallAction][] {
  const out: [number, CallAction][] = [];
  for (let at = from; at < to; at += FRAME_MS) for (const action of turns.frame(at, reading)) out.push([at, action]);
  return out;
}

describe('hands-free turns', () => {
  it('hears the person, transcribes at the end of speech and delivers the text as a turn', () => {
    const turns = createCallTurns({ autoSend: true });
    expect(turns.phase(0)).toBe('listening');
    const { clip } = turns.speechStart(100, STRONG);
    expect(turns.phase(200)).toBe('hearing');
    expect(turns.speechEnd(1_500)).toEqual([{ kind: 'transcribe', clip }]);
    expect(turns.phase(1_500)).toBe('transcribing');
    expect(turns.transcribed(clip, 'Hello Mira.', 1_900)).toEqual([{ kind: 'deliver', text: 'Hello Mira.' }]);
    // Sent: the microphone waits for the reply.
    expect(turns.phase(2_000)).toBe('waiting');
  });

  it('closes the microphone while the reply is awaited and re-opens it when the reply and its audio end', () => {
    const turns = createCallTurns({ autoSend: true });
    const first = turns.speechStart(0);
    turns.speechEnd(800);
    turns.transcribed(first.clip, 'Tell me a story.', 1_000);
    const spoken = turns.speechStart(1_200, STRONG);
    expect(turns.speechEnd(1_900)).toEqual([{ kind: 'drop', clip: spoken.clip, reason: 'closed' }]);
    turns.playbackStarted(2_000);
    expect(turns.phase(2_100)).toBe('speaking');
    turns.replyDone(3_000);
    expect(turns.phase(3_100)).toBe('speaking');
    turns.playbackStopped(4_000);
    expect(turns.phase(4_000)).toBe('listening');
  });

  it('re-opens the microphone when a sent turn\'s reply never ends', () => {
    const turns = createCallTurns({ autoSend: true });
    const { clip } = turns.speechStart(0);
    turns.speechEnd(500);
    turns.transcribed(clip, 'Hi.', 600);
    expect(turns.phase(600 + MAX_REPLY_WAIT_MS - 1)).toBe('waiting');
    expect(turns.phase(600 + MAX_REPLY_WAIT_MS)).toBe('listening');
  });

  it('does not wait for a reply when turns are only typed for review', () => {
    const turns = createCallTurns({ autoSend: false });
    const { clip } = turns.speechStart(0);
    turns.speechEnd(500);
    expect(turns.transcribed(clip, 'Draft this.', 600)).toEqual([{ kind: 'deliver', text: 'Draft this.' }]);
    expect(turns.phase(700)).toBe('listening');
  });

  it(`stops the character for the person's strong speech within ${BARGE_IN_SUSTAIN_MS + 2 * FRAME_MS} ms, and takes it as the next turn`, () => {
    const turns = createCallTurns({ autoSend: true });
    const first = turns.speechStart(0);
    turns.speechEnd(500);
    turns.transcribed(first.clip, 'Go on.', 600);
    turns.playbackStarted(1_000);
    const barge = turns.speechStart(2_000, STRONG);
    const actions = frames(turns, 2_000, 2_400, STRONG);
    expect(actions.map(([, a]) => a)).toEqual([{ kind: 'stop-playback' }]);
    expect(actions[0]![0] - 2_000).toBeLessThanOrEqual(150);
    turns.playbackStopped(actions[0]![0]);
    expect(turns.phase(2_400)).toBe('hearing');
    expect(turns.speechEnd(3_000)).toEqual([{ kind: 'transcribe', clip: barge.clip }]);
    expect(turns.transcribed(barge.clip, 'Wait, stop.', 3_300)).toEqual([{ kind: 'deliver', text: 'Wait, stop.' }]);
  });

  it('drops Troupe hearing itself while it speaks, and keeps speaking', () => {
    const turns = createCallTurns({ autoSend: true });
    turns.playbackStarted(0);
    const echo = turns.speechStart(300, ECHO);
    expect(frames(turns, 300, 1_500, ECHO)).toEqual([]);
    expect(turns.phase(1_000)).toBe('speaking');
    expect(turns.speechEnd(1_500)).toEqual([{ kind: 'drop', clip: echo.clip, reason: 'echo' }]);
    // Its echo tail: a weak onset right after the audio stops is still dropped.
    turns.playbackStopped(2_000);
    const tail = turns.speechStart(2_000 + ECHO_TAIL_MS / 2, ECHO);
    expect(turns.speechEnd(2_000 + ECHO_TAIL_MS)).toEqual([{ kind: 'drop', clip: tail.clip, reason: 'echo' }]);
    expect(turns.phase(3_000)).toBe('listening');
  });

  it('joins speech that resumes while earlier clips are transcribed into one turn, in order', () => {
    const turns = createCallTurns({ autoSend: true });
    const a = turns.speechStart(0);
    turns.speechEnd(1_000);
    const b = turns.speechStart(1_200);
    turns.speechEnd(2_000);
    // The second clip's text comes back first; nothing goes until both are in.
    expect(turns.transcribed(b.clip, 'and a cat.', 2_300)).toEqual([]);
    expect(turns.transcribed(a.clip, 'I have a dog', 2_500)).toEqual([{ kind: 'deliver', text: 'I have a dog and a cat.' }]);
  });

  it('waits for the person to finish before delivering, and sends nothing for clips without text', () => {
    const turns = createCallTurns({ autoSend: true });
    const a = turns.speechStart(0);
    turns.speechEnd(900);
    turns.speechStart(1_000);
    expect(turns.transcribed(a.clip, 'One', 1_100)).toEqual([]);
    const end = turns.speechEnd(2_000);
    const clip = (end[0] as { clip: number }).clip;
    expect(turns.transcribed(clip, 'two.', 2_200)).toEqual([{ kind: 'deliver', text: 'One two.' }]);
    const c = turns.speechStart(3_000);
    turns.replyDone(3_000);
    turns.speechEnd(3_500);
    expect(turns.transcribed(c.clip, null, 3_700)).toEqual([]);
    expect(turns.phase(3_800)).toBe('listening');
  });

  it('forgets an utterance the VAD took back', () => {
    const turns = createCallTurns({ autoSend: true });
    const { clip } = turns.speechStart(0);
    turns.misfire(100);
    expect(turns.phase(200)).toBe('listening');
    expect(turns.transcribed(clip, 'ghost', 300)).toEqual([]);
  });

  it('pauses Troupe\'s voice at a loud suspect start, stops it on proof, resumes it without', () => {
    const turns = createCallTurns({ autoSend: true });
    turns.playbackStarted(0);
    expect(turns.speechStart(1_000, STRONG).actions).toEqual([{ kind: 'pause-playback' }]);
    expect(frames(turns, 1_032, 1_200, STRONG).map(([, a]) => a)).toEqual([{ kind: 'stop-playback' }]);

    const again = createCallTurns({ autoSend: true });
    again.playbackStarted(0);
    expect(again.speechStart(1_000, STRONG).actions).toEqual([{ kind: 'pause-playback' }]);
    const weak = frames(again, 1_032, 1_600, ECHO);
    expect(weak.map(([, a]) => a)).toEqual([{ kind: 'resume-playback' }]);
    expect(weak[0]![0] - 1_000).toBeGreaterThanOrEqual(BARGE_IN_CONFIRM_MS);
    expect(weak[0]![0] - 1_000).toBeLessThan(BARGE_IN_CONFIRM_MS + FRAME_MS);
    expect(again.phase(1_600)).toBe('speaking');
  });

  it('does not pause for a quiet suspect start, and resumes a paused voice when the VAD takes the start back', () => {
    const turns = createCallTurns({ autoSend: true });
    turns.playbackStarted(0);
    expect(turns.speechStart(1_000, ECHO).actions).toEqual([]);
    turns.speechEnd(1_500);
    expect(turns.speechStart(2_000, STRONG).actions).toEqual([{ kind: 'pause-playback' }]);
    expect(turns.misfire(2_100)).toEqual([{ kind: 'resume-playback' }]);
    expect(turns.speechStart(3_000, STRONG).actions).toEqual([{ kind: 'pause-playback' }]);
    expect(turns.speechEnd(3_100)).toEqual([{ kind: 'resume-playback' }, { kind: 'drop', clip: 2, reason: 'echo' }]);
  });

  it('lets a paused voice play on when the session ends before the gate judged the start', () => {
    const turns = createCallTurns({ autoSend: true });
    turns.playbackStarted(0);
    expect(turns.speechStart(1_000, STRONG).actions).toEqual([{ kind: 'pause-playback' }]);
    expect(turns.end()).toEqual([{ kind: 'resume-playback' }]);
    expect(turns.end()).toEqual([]);
  });
});

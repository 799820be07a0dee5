import { describe, expect, it } from 'vitest';
import { createEchoGate, type EchoGate, type EchoVerdict, type VadReading } from './echo-gate.ts';
import { BARGE_IN_MIN_ENERGY, BARGE_IN_PROBABILITY, BARGE_IN_SUSTAIN_MS, ECHO_TAIL_MS } from './limits.ts';

/** Silero v5's frame: 512 samples at 16 kHz. */
const FRAME_MS = 32;
const STRONG: VadReading = { probability: 0.95, energy: 0.1 };
const ECHO: VadReading = { probability: 0.6, energy: 0.008 };

/** Feeds frames every FRAME_MS from `from` (inclusive) to `to` (exclusive); returns [time, verdict] of non-null verdicts. */
function frames(gate: EchoGate, from: number, to: number, reading: VadReading): [number, EchoVerdict][] {
  const out: [number, EchoVerdict][] = [];
  for (let at = from; at < to; at += FRAME_MS) {
    const verdict = gate.frame(at, reading);
    if (verdict !== null) out.push([at, verdict]);
  }
  return out;
}

describe('echo gate', () => {
  it('takes any speech as the user when nothing is playing', () => {
    const gate = createEchoGate();
    expect(gate.speechStart(1_000, { probability: 0.4 })).toBe('user');
    expect(frames(gate, 1_000, 1_300, ECHO)).toEqual([]);
    expect(gate.speechEnd(1_300)).toBe('user');
  });

  it('drops an utterance during playback that never turns strong (echo)', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    expect(gate.speechStart(500, ECHO)).toBe('pending');
    expect(frames(gate, 500, 2_000, ECHO)).toEqual([]);
    expect(gate.snapshot().utterance).toBe('pending');
    expect(gate.speechEnd(2_000)).toBe('echo');
    expect(gate.snapshot().utterance).toBe('none');
  });

  it(`calls barge-in after ${BARGE_IN_SUSTAIN_MS} ms of strong frames, within 150 ms of the first`, () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    expect(gate.speechStart(1_000, STRONG)).toBe('pending');
    const verdicts = frames(gate, 1_000, 1_500, STRONG);
    expect(verdicts).toHaveLength(1);
    const [at, verdict] = verdicts[0]!;
    expect(verdict).toBe('barge-in');
    expect(at - 1_000).toBeGreaterThanOrEqual(BARGE_IN_SUSTAIN_MS);
    // One 32 ms frame of VAD delay plus the decision stays inside the 150 ms.
    expect(at - 1_000 + FRAME_MS).toBeLessThan(150);
    gate.playbackStopped(at);
    expect(gate.speechEnd(1_500)).toBe('user');
  });

  it('needs the strong frames unbroken: one weak frame starts the count again', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.speechStart(1_000);
    expect(gate.frame(1_000, STRONG)).toBeNull();
    expect(gate.frame(1_032, STRONG)).toBeNull();
    expect(gate.frame(1_064, ECHO)).toBeNull();
    expect(gate.frame(1_096, STRONG)).toBeNull();
    expect(gate.snapshot().strongSince).toBe(1_096);
    expect(gate.frame(1_128, STRONG)).toBeNull();
    expect(gate.frame(1_160, STRONG)).toBeNull();
    expect(gate.frame(1_192, STRONG)).toBe('barge-in');
  });

  it('needs both the probability and, when measured, the energy', () => {
    const loudEcho = { probability: BARGE_IN_PROBABILITY - 0.01, energy: 0.5 };
    const quietSpeech = { probability: 0.99, energy: BARGE_IN_MIN_ENERGY / 2 };
    for (const reading of [loudEcho, quietSpeech]) {
      const gate = createEchoGate();
      gate.playbackStarted(0);
      gate.speechStart(100);
      expect(frames(gate, 100, 1_000, reading), JSON.stringify(reading)).toEqual([]);
      expect(gate.speechEnd(1_000)).toBe('echo');
    }
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.speechStart(100);
    expect(frames(gate, 100, 400, { probability: 0.9 })[0]?.[1]).toBe('barge-in');
  });

  it(`treats onsets within ${ECHO_TAIL_MS} ms after playback as suspect, and proves them as user, not barge-in`, () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.playbackStopped(1_000);
    expect(gate.isGuarded(1_000 + ECHO_TAIL_MS - 1)).toBe(true);
    expect(gate.isGuarded(1_000 + ECHO_TAIL_MS)).toBe(false);
    expect(gate.speechStart(1_050, STRONG)).toBe('pending');
    expect(frames(gate, 1_050, 1_200, STRONG)[0]?.[1]).toBe('user');
    expect(gate.speechEnd(1_300)).toBe('user');
    expect(gate.speechStart(1_000 + ECHO_TAIL_MS)).toBe('user');
  });

  it('drops an echo onset in the tail that fades out', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.playbackStopped(1_000);
    expect(gate.speechStart(1_020, ECHO)).toBe('pending');
    expect(frames(gate, 1_020, 1_200, ECHO)).toEqual([]);
    expect(frames(gate, 1_200, 1_400, { probability: 0.1 })).toEqual([]);
    expect(gate.speechEnd(1_400)).toBe('echo');
  });

  it('takes a suspect utterance that goes on speaking after the tail as the user', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.speechStart(900, ECHO);
    gate.playbackStopped(1_000);
    expect(frames(gate, 900, 1_000 + ECHO_TAIL_MS, ECHO)).toEqual([]);
    const verdicts = frames(gate, 1_000 + ECHO_TAIL_MS, 1_600, ECHO);
    expect(verdicts[0]).toEqual([1_000 + ECHO_TAIL_MS, 'user']);
    expect(gate.speechEnd(1_600)).toBe('user');
  });

  it('keeps the gate closed across back-to-back clips and ignores extra stops', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    gate.playbackStarted(990);
    gate.playbackStopped(1_000);
    expect(gate.snapshot().playing).toBe(true);
    expect(gate.isGuarded(5_000)).toBe(true);
    gate.playbackStopped(6_000);
    gate.playbackStopped(6_001);
    expect(gate.snapshot()).toMatchObject({ playing: false, stoppedAt: 6_000 });
    expect(gate.isGuarded(6_000 + ECHO_TAIL_MS)).toBe(false);
    // The next sentence starts inside the tail: still one guarded stretch.
    gate.playbackStarted(6_100);
    gate.playbackStopped(7_000);
    expect(gate.isGuarded(6_050)).toBe(true);
  });

  it('keeps a user verdict when playback starts during the utterance', () => {
    const gate = createEchoGate();
    expect(gate.speechStart(100)).toBe('user');
    gate.playbackStarted(200);
    expect(gate.speechStart(250)).toBe('user');
    expect(frames(gate, 250, 600, ECHO)).toEqual([]);
    expect(gate.speechEnd(600)).toBe('user');
    expect(gate.speechStart(700)).toBe('pending');
  });

  it('takes speech that began before playback as the user, whatever order the events arrive in', () => {
    const gate = createEchoGate();
    gate.playbackStarted(1_000);
    expect(gate.speechStart(980)).toBe('user');
  });

  it('uses the injected clock for events without a time', () => {
    let now = 10_000;
    const gate = createEchoGate({ clock: () => now });
    gate.playbackStarted();
    now += 500;
    gate.playbackStopped();
    expect(gate.snapshot().stoppedAt).toBe(10_500);
    now += ECHO_TAIL_MS - 1;
    expect(gate.speechStart()).toBe('pending');
    expect(gate.frame(undefined, STRONG)).toBeNull();
    now += BARGE_IN_SUSTAIN_MS;
    // The tail is over by now, and the frame is speech: the user.
    expect(gate.frame(undefined, STRONG)).toBe('user');
  });

  it('takes its thresholds from options', () => {
    const gate = createEchoGate({ tailMs: 0, bargeInSustainMs: 0, bargeInProbability: 0.5, bargeInMinEnergy: 0 });
    gate.playbackStarted(0);
    gate.speechStart(10);
    expect(gate.frame(10, { probability: 0.5, energy: 0 })).toBe('barge-in');
    gate.speechEnd(20);
    gate.playbackStopped(30);
    expect(gate.speechStart(30)).toBe('user');
  });

  it('ignores frames outside a pending utterance', () => {
    const gate = createEchoGate();
    gate.playbackStarted(0);
    expect(frames(gate, 0, 500, STRONG)).toEqual([]);
    expect(gate.snapshot()).toEqual({ playing: true, stoppedAt: null, utterance: 'none', strongSince: null });
  });
});

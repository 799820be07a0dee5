/**
 * Is this speech the user, or Troupe hearing itself? The browser's echo cancellation removes most of
 * Troupe's own voice from the microphone, but not all of it, and a VAD happily calls the residue
 * speech. Troupe knows when it is playing, so it gates on that.
 *
 * Policy (times in ms, from the caller's clock; thresholds in limits.ts):
 * - Idle (nothing playing, and playback stopped at least ECHO_TAIL_MS ago): every VAD speech start is
 *   the user. The VAD already decided it is speech; nothing of ours can be sounding.
 * - Playing, or within ECHO_TAIL_MS after playback stopped (output latency, reverberation): a speech
 *   start is suspect ('pending'). It becomes the user when VAD frames are strong — probability at least
 *   BARGE_IN_PROBABILITY and, when the caller measures it, RMS energy at least BARGE_IN_MIN_ENERGY —
 *   without a break for BARGE_IN_SUSTAIN_MS. If that happens while playing, the verdict is 'barge-in':
 *   the caller stops playback at once (the 150 ms). In the tail it is plain 'user'.
 * - A suspect utterance that still has speech frames (probability >= SPEECH_PROBABILITY) after playback
 *   and its tail are over is the user too: echo cannot outlast the sound that makes it.
 * - A suspect utterance that ends without either proof was echo: the caller drops its audio (no STT).
 * - A verdict of 'user' is final for its utterance: starting playback later does not take it back.
 *
 * Events carry their own times, which may arrive out of order (VAD frames come from an audio worklet,
 * playback events from the page): speech that started before playback began is the user's.
 * Playback is counted, not flagged: call `playbackStarted` and `playbackStopped` once per clip, and
 * back-to-back clips (one sentence after another) keep the gate closed across the gap between them.
 * Nothing here touches audio or timers: the caller feeds events with their times, and the clock
 * injected at creation only fills in times the caller leaves out.
 */
import {
  BARGE_IN_MIN_ENERGY,
  BARGE_IN_PROBABILITY,
  BARGE_IN_SUSTAIN_MS,
  ECHO_TAIL_MS,
  SPEECH_PROBABILITY,
} from './limits.ts';

/** One VAD reading: Silero-style speech probability in [0, 1]; optional RMS of the frame's float samples. */
export interface VadReading {
  probability?: number;
  energy?: number;
}

/**
 * What the gate makes of an utterance so far:
 * - 'user': the user is speaking; keep the audio (send it to STT when it ends).
 * - 'barge-in': the user is speaking over Troupe; stop playback now, then treat as 'user'.
 * - 'pending': suspected echo; wait for more frames.
 * - 'echo': Troupe heard itself; drop the utterance.
 */
export type EchoVerdict = 'user' | 'barge-in' | 'pending' | 'echo';

export interface EchoGateOptions {
  /** Milliseconds; defaults to `Date.now`. Used only when an event comes without a time. */
  clock?: () => number;
  tailMs?: number;
  bargeInProbability?: number;
  bargeInMinEnergy?: number;
  bargeInSustainMs?: number;
  speechProbability?: number;
}

/** The gate's state, for tests, logs and a debug panel. */
export interface EchoGateSnapshot {
  playing: boolean;
  /** When the last clip stopped (null before any did). */
  stoppedAt: number | null;
  utterance: 'none' | 'pending' | 'user';
  /** Start of the current unbroken run of strong frames in a pending utterance, or null. */
  strongSince: number | null;
}

export interface EchoGate {
  /** A clip starts playing. */
  playbackStarted(at?: number): void;
  /** A clip stops (ended, paused, or stopped for barge-in). Extra calls are ignored. */
  playbackStopped(at?: number): void;
  /** The VAD's speech start, with its reading when it has one. Returns 'user' or 'pending'. */
  speechStart(at?: number, reading?: VadReading): EchoVerdict;
  /**
   * One VAD frame while speech may be going on. Returns 'barge-in' or 'user' on the frame that proves
   * a pending utterance is the user, null otherwise (including every frame outside a pending utterance).
   */
  frame(at: number | undefined, reading: VadReading): EchoVerdict | null;
  /** The VAD's speech end (or misfire): the utterance's final verdict, 'user' or 'echo'. */
  speechEnd(at?: number): EchoVerdict;
  /** Whether a speech start now would be suspect (playing, or within the tail). */
  isGuarded(at?: number): boolean;
  snapshot(): EchoGateSnapshot;
}

/**
 * Creates the gate for one microphone session.
 * @example
 *   const gate = createEchoGate();
 *   player.onplay = () => gate.playbackStarted(); player.onended = () => gate.playbackStopped();
 *   vad.onSpeechStart = () => gate.speechStart();
 *   vad.onFrameProcessed = (p, frame) => { if (gate.frame(undefined, { probability: p.isSpeech, energy: rms(frame) }) === 'barge-in') player.stop(); };
 *   vad.onSpeechEnd = (audio) => { if (gate.speechEnd() === 'user') transcribe(audio); };
 */
export function createEchoGate(options: EchoGateOptions = {}): EchoGate {
  const clock = options.clock ?? Date.now;
  const tailMs = options.tailMs ?? ECHO_TAIL_MS;
  const strongProbability = options.bargeInProbability ?? BARGE_IN_PROBABILITY;
  const strongEnergy = options.bargeInMinEnergy ?? BARGE_IN_MIN_ENERGY;
  const sustainMs = options.bargeInSustainMs ?? BARGE_IN_SUSTAIN_MS;
  const speechProbability = options.speechProbability ?? SPEECH_PROBABILITY;

  let clips = 0;
  /** When the current (or last) stretch of playback began: speech that started before it is not its echo. */
  let startedAt = Number.NEGATIVE_INFINITY;
  let stoppedAt: number | null = null;
  let utterance: 'none' | 'pending' | 'user' = 'none';
  let strongSince: number | null = null;

  const time = (at: number | undefined): number => at ?? clock();
  const guarded = (at: number): boolean => {
    if (at < startedAt) return false;
    return clips > 0 || (stoppedAt !== null && at < stoppedAt + tailMs);
  };
  const isStrong = (reading: VadReading): boolean =>
    (reading.probability ?? 0) >= strongProbability && (reading.energy === undefined || reading.energy >= strongEnergy);

  /** Feeds one reading to a pending utterance; returns the verdict when it proves the user. */
  const weigh = (at: number, reading: VadReading): EchoVerdict | null => {
    if (!guarded(at)) {
      if ((reading.probability ?? 0) < speechProbability) return null;
      utterance = 'user';
      strongSince = null;
      return 'user';
    }
    if (!isStrong(reading)) {
      strongSince = null;
      return null;
    }
    strongSince ??= at;
    if (at - strongSince < sustainMs) return null;
    utterance = 'user';
    strongSince = null;
    return clips > 0 ? 'barge-in' : 'user';
  };

  return {
    playbackStarted(at) {
      if (clips === 0 && !guarded(time(at))) startedAt = time(at);
      clips++;
    },
    playbackStopped(at) {
      if (clips === 0) return;
      clips--;
      if (clips === 0) stoppedAt = time(at);
    },
    speechStart(at, reading) {
      const now = time(at);
      if (utterance === 'user') return 'user';
      if (!guarded(now)) {
        utterance = 'user';
        return 'user';
      }
      utterance = 'pending';
      strongSince = null;
      if (reading && isStrong(reading)) strongSince = now;
      return 'pending';
    },
    frame(at, reading) {
      if (utterance !== 'pending') return null;
      return weigh(time(at), reading);
    },
    speechEnd() {
      const verdict: EchoVerdict = utterance === 'user' ? 'user' : 'echo';
      utterance = 'none';
      strongSince = null;
      return verdict;
    },
    isGuarded(at) {
      return guarded(time(at));
    },
    snapshot() {
      return { playing: clips > 0, stoppedAt, utterance, strongSince };
    },
  };
}

/**
 * Hands-free turn-taking ("call mode", issue #12): who has the floor, decided from the VAD's events, Troupe's
 * own playback and the replies' ends. Pure: the offscreen document feeds it events with their times and
 * carries out the actions it returns (stop the audio, transcribe a clip, hand a turn to NextChat).
 *
 * - listening: the microphone takes a new turn. Speech (the echo gate says it is the person) → hearing.
 * - hearing: the person is speaking. The VAD's end of speech (after the end-of-turn silence) → the clip is
 *   transcribed. Speech that starts again while earlier clips are still being transcribed joins the same
 *   turn: the turn goes to NextChat only when every clip of it has its text, as one message.
 * - waiting: a turn was sent; the character has not started speaking. The microphone is closed for new
 *   turns (what is said now would land in the middle of the reply), until the reply ends, or speaks.
 * - speaking: Troupe plays the character. Speech is suspect (it may be Troupe heard through the speakers);
 *   the echo gate passes only the person's strong, sustained voice: that is barge-in, the audio stops
 *   and what the person says is their next turn. A suspect start that is already loud pauses the audio
 *   at once (pause-playback) while the gate decides, so the person is not talked over while it does; not
 *   proven within BARGE_IN_CONFIRM_MS, the audio resumes (resume-playback). When the reply has ended and its audio too, the
 *   microphone re-opens (listening).
 * A reply that never ends re-opens the microphone after MAX_REPLY_WAIT_MS.
 */
import { createEchoGate, type EchoGate, type EchoGateOptions, type VadReading } from './echo-gate.ts';
import { BARGE_IN_CONFIRM_MS, BARGE_IN_MIN_ENERGY, MAX_REPLY_WAIT_MS } from './limits.ts';

export type CallPhase = 'listening' | 'hearing' | 'transcribing' | 'waiting' | 'speaking';

/** What the caller does now, in order. `clip` numbers the utterance whose audio the caller holds. */
export type CallAction =
  | { kind: 'pause-playback' }
  | { kind: 'resume-playback' }
  | { kind: 'stop-playback' }
  | { kind: 'transcribe'; clip: number }
  | { kind: 'drop'; clip: number; reason: 'echo' | 'closed' }
  | { kind: 'deliver'; text: string };

export interface CallTurnsOptions {
  /** A delivered turn is sent at once (a reply follows) or only typed for review (no reply to wait for). */
  autoSend: boolean;
  gate?: EchoGateOptions;
  maxReplyWaitMs?: number;
  confirmMs?: number;
}

export interface CallTurns {
  /** The VAD's speech start; returns the utterance's clip number. */
  speechStart(at: number, reading?: VadReading): { clip: number; actions: CallAction[] };
  /** One VAD frame (probability, energy) at `at`. */
  frame(at: number, reading: VadReading): CallAction[];
  /** The VAD's end of speech for the current utterance, its audio held by the caller as `clip`. */
  speechEnd(at: number): CallAction[];
  /** The VAD took back its speech start (too short to be speech). */
  misfire(at: number): CallAction[];
  /** A clip's transcription came back: its text, or null (empty, or failed: the caller reports why). */
  transcribed(clip: number, text: string | null, at: number): CallAction[];
  playbackStarted(at: number): void;
  playbackStopped(at: number): void;
  /** The reply to the sent turn has ended (all of its text; its audio may still play). */
  replyDone(at: number): void;
  /** The session ends: a voice paused for a start nothing proved plays on. */
  end(): CallAction[];
  phase(at: number): CallPhase;
}

export function createCallTurns(options: CallTurnsOptions): CallTurns {
  const gate: EchoGate = createEchoGate(options.gate);
  const maxWait = options.maxReplyWaitMs ?? MAX_REPLY_WAIT_MS;
  const confirmMs = options.confirmMs ?? BARGE_IN_CONFIRM_MS;
  const loudEnough = options.gate?.bargeInMinEnergy ?? BARGE_IN_MIN_ENERGY;
  /** When Troupe's voice was paused for a suspect start the gate has not decided yet (null: not paused). */
  let pausedAt: number | null = null;
  let nextClip = 0;
  /** The utterance going on: its clip, and whether it is the person's (hearing) or still suspect. */
  let utterance: { clip: number; state: 'user' | 'suspect' | 'closed' } | null = null;
  /** Clips of the current turn, in order: their text once transcribed (undefined: not yet). */
  let turn: { clip: number; text: string | null | undefined }[] = [];
  /** Until when the microphone stays closed for the reply to a sent turn (null: no reply awaited). */
  let replyUntil: number | null = null;
  /** Troupe's voice sounds now: the gate counts the clips. */
  const playing = () => gate.snapshot().playing;

  const awaitingReply = (at: number) => {
    if (replyUntil !== null && at >= replyUntil) replyUntil = null;
    return replyUntil !== null;
  };

  /** The turn, once every clip has its text and the person is not speaking: delivered as one message. */
  function deliverIfComplete(at: number): CallAction[] {
    if (utterance?.state === 'user' || turn.length === 0 || turn.some((c) => c.text === undefined)) return [];
    const text = turn.map((c) => c.text).filter((t): t is string => !!t).join(' ').trim();
    turn = [];
    if (!text) return [];
    if (options.autoSend) replyUntil = at + maxWait;
    return [{ kind: 'deliver', text }];
  }

  /** The pause ends without proof: the voice goes on. */
  const resume = (): CallAction[] => {
    if (pausedAt === null) return [];
    pausedAt = null;
    return [{ kind: 'resume-playback' }];
  };

  const hear = (clip: number) => {
    utterance = { clip, state: 'user' };
    turn.push({ clip, text: undefined });
  };

  return {
    speechStart(at, reading) {
      const clip = nextClip++;
      // The model is still thinking and nothing plays: the floor is the character's.
      if (awaitingReply(at) && !playing()) {
        utterance = { clip, state: 'closed' };
        return { clip, actions: [] };
      }
      if (gate.speechStart(at, reading) === 'user') {
        hear(clip);
        return { clip, actions: [] };
      }
      utterance = { clip, state: 'suspect' };
      if (playing() && (reading?.energy ?? 0) >= loudEnough && pausedAt === null) {
        pausedAt = at;
        return { clip, actions: [{ kind: 'pause-playback' }] };
      }
      return { clip, actions: [] };
    },
    frame(at, reading) {
      if (utterance?.state !== 'suspect') return [];
      const verdict = gate.frame(at, reading);
      if (verdict === null || verdict === 'pending' || verdict === 'echo') {
        return pausedAt !== null && at - pausedAt >= confirmMs ? resume() : [];
      }
      hear(utterance.clip);
      pausedAt = null;
      if (verdict !== 'barge-in') return [];
      // The person took the floor: the reply being spoken is no longer awaited.
      replyUntil = null;
      return [{ kind: 'stop-playback' }];
    },
    speechEnd(at) {
      const ending = utterance;
      utterance = null;
      if (!ending) return [];
      if (ending.state === 'closed') return [{ kind: 'drop', clip: ending.clip, reason: 'closed' }];
      const verdict = gate.speechEnd(at);
      if (ending.state === 'suspect' && verdict !== 'user') return [...resume(), { kind: 'drop', clip: ending.clip, reason: 'echo' }];
      if (ending.state === 'suspect') turn.push({ clip: ending.clip, text: undefined });
      return [{ kind: 'transcribe', clip: ending.clip }];
    },
    misfire(at) {
      if (!utterance) return [];
      if (utterance.state !== 'closed') gate.speechEnd(at);
      if (utterance.state === 'user') turn = turn.filter((c) => c.clip !== utterance!.clip);
      utterance = null;
      return resume();
    },
    transcribed(clip, text, at) {
      const entry = turn.find((c) => c.clip === clip);
      if (!entry) return [];
      entry.text = text;
      return deliverIfComplete(at);
    },
    playbackStarted(at) {
      gate.playbackStarted(at);
    },
    playbackStopped(at) {
      gate.playbackStopped(at);
      // The voice ended (or was stopped) while paused: nothing to resume.
      if (!playing()) pausedAt = null;
    },
    replyDone() {
      replyUntil = null;
    },
    end() {
      utterance = null;
      turn = [];
      return resume();
    },
    phase(at) {
      if (utterance?.state === 'user') return 'hearing';
      if (turn.length > 0) return 'transcribing';
      if (playing()) return 'speaking';
      return awaitingReply(at) ? 'waiting' : 'listening';
    },
  };
}

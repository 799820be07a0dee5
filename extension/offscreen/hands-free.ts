/**
 * Hands-free voice in, in the offscreen document (issue #12): the VAD listens, the turns (shared
 * call-turns.ts, with the echo gate) decide who has the floor, a finished utterance is sent to the
 * transcription endpoint as 16 kHz WAV, and a whole turn becomes an event the panel types into NextChat.
 * Troupe's own playback is fed in (playbackStarted/Stopped) so its voice does not take the floor, and the
 * person's voice over it stops it at once (barge-in).
 *
 * The panel follows by long polling (`poll`): events are numbered and kept (HANDS_FREE_EVENT_LOG), so a
 * poll that was lost with a restarted service worker is answered by the next one.
 */
import { createCallTurns, encodeWav16, rms, type CallAction, type CallTurns } from '@troupe/shared/voice';
import { HANDS_FREE_EVENT_LOG, HANDS_FREE_ORPHAN_MS } from '../messaging/limits/voice.ts';
import type { HandsFreeAnswer, HandsFreeEvent, HandsFreeMeasures, HandsFreePhase, HandsFreePoll } from '../messaging/protocols/hands-free.ts';
import { microphoneProblem, type ListenEndpoint, type ListenStart } from '../messaging/protocols/voice-in.ts';
import { fail, type ClipTranscriber } from './clip-transcriber.ts';
import { MICROPHONE_WORDS } from './voice-recorder.ts';

/** The VAD's sample rate: what its clips are and what transcription gets. */
const VAD_SAMPLE_RATE = 16_000;
/** Silero v5's frame: 512 samples at 16 kHz. */
const FRAME_MS = 32;
/**
 * RMS over which a frame is sound at all (about -46 dBFS): where the person's speech starts and ends
 * acoustically, for the measured delays (onset → stop, end of speech → request), not for any decision.
 */
const SOUND_ENERGY = 0.005;
/** A sound that began longer ago than this before the VAD's speech start is background, not the onset. */
const ONSET_LOOKBACK_MS = 500;

export interface VadCallbacks {
  /** Every frame: Silero's speech probability and the frame's samples. */
  frame(probability: number, samples: Float32Array): void;
  speechStart(): void;
  /** End of speech after the end-of-turn silence: the utterance with its pre-roll, 16 kHz floats. */
  speechEnd(audio: Float32Array): void;
  misfire(): void;
}

export interface VadHandle { destroy(): Promise<void> }

/** Options of one session, from the device's settings (the endpoint's key travels only to here). */
export interface HandsFreeStart { endpoint: ListenEndpoint | null; autoSend: boolean; endOfTurnMs: number }

export interface HandsFreeDeps {
  /** Loads the VAD and opens the microphone; rejects with getUserMedia's DOMException or the model's failure. */
  openVad(options: { endOfTurnMs: number; callbacks: VadCallbacks }): Promise<VadHandle>;
  transcriber: ClipTranscriber;
  /** Stops Troupe's playback now (barge-in). */
  stopPlayback(): void;
  /** Pauses it where it is, and plays on from there (a suspect start the gate has not decided yet). */
  pausePlayback(): void;
  resumePlayback(): void;
  now(): number;
  setTimeout?: (run: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
  /** A new session's id (random in the document). */
  sessionId?: () => string;
}

interface Waiter { after: number; phase: HandsFreePhase; resolve: () => void; timer: unknown }

export function createHandsFree(deps: HandsFreeDeps) {
  const later = deps.setTimeout ?? ((run, ms) => setTimeout(run, ms));
  const cancel = deps.clearTimeout ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  const newSession = deps.sessionId ?? (() => crypto.randomUUID());
  let session = '';
  let starting = false;
  let vad: VadHandle | null = null;
  let turns: CallTurns | null = null;
  let options: HandsFreeStart | null = null;
  /** Clips held until transcribed (or dropped). */
  const clips = new Map<number, Float32Array>();
  let current: number | null = null;
  const events: HandsFreeEvent[] = [];
  let n = 0;
  const waiters = new Set<Waiter>();
  /** Playback going on now, so a session started mid-reply knows Troupe is speaking. */
  let playing = 0;
  let onsetAt: number | null = null;
  /** The frame just processed (Silero's probability, its RMS), and where the current sound began and last was. */
  let reading = { probability: 0, energy: 0 };
  let soundSince: number | null = null;
  let soundLast: number | null = null;
  /** When the sound of each clip last was (its acoustic end), for the endpointing delay. */
  const clipEnds = new Map<number, number | null>();
  const measures: HandsFreeMeasures = { speechEndToRequestMs: null, endpointingMs: null, onsetToStopMs: null };
  /** Polls held open now; with none for HANDS_FREE_ORPHAN_MS the session stops (its tab is gone). */
  let polling = 0;
  let orphanTimer: unknown = null;

  function watchForOrphan(): void {
    cancel(orphanTimer);
    orphanTimer = polling === 0 && (vad || starting) ? later(() => { if (polling === 0) void stop(); }, HANDS_FREE_ORPHAN_MS) : null;
  }

  const phase = (): HandsFreePhase => (starting ? 'starting' : turns ? turns.phase(deps.now()) : 'off');

  function wake(): void {
    const now = phase();
    for (const waiter of [...waiters]) {
      if (waiter.phase !== now || events.some((e) => e.n > waiter.after)) waiter.resolve();
    }
  }

  function emit(event: HandsFreeEvent extends infer E ? (E extends HandsFreeEvent ? Omit<E, 'n'> : never) : never): void {
    events.push({ ...event, n: ++n } as HandsFreeEvent);
    if (events.length > HANDS_FREE_EVENT_LOG) events.splice(0, events.length - HANDS_FREE_EVENT_LOG);
  }

  function act(actions: CallAction[]): void {
    for (const action of actions) {
      if (action.kind === 'pause-playback') {
        deps.pausePlayback();
        // Silent from here: what the person hears is the voice stopping now.
        if (onsetAt !== null) measures.onsetToStopMs = deps.now() - onsetAt;
        onsetAt = null;
      } else if (action.kind === 'resume-playback') {
        deps.resumePlayback();
      } else if (action.kind === 'stop-playback') {
        deps.stopPlayback();
        if (onsetAt !== null) measures.onsetToStopMs = deps.now() - onsetAt;
        onsetAt = null;
        emit({ kind: 'barge-in' });
      } else if (action.kind === 'drop') {
        clips.delete(action.clip);
        clipEnds.delete(action.clip);
      } else if (action.kind === 'transcribe') {
        void transcribe(action.clip);
      } else {
        emit({ kind: 'turn', text: action.text, autoSend: options?.autoSend ?? true });
      }
    }
    wake();
  }

  async function transcribe(clip: number): Promise<void> {
    const audio = clips.get(clip);
    const soundEnd = clipEnds.get(clip) ?? null;
    clips.delete(clip);
    clipEnds.delete(clip);
    const running = turns;
    if (!audio || !options || !running) return;
    const endedAt = deps.now();
    const wav = new Blob([encodeWav16(audio, VAD_SAMPLE_RATE)], { type: 'audio/wav' });
    const result = await deps.transcriber.transcribe(wav, options.endpoint, options.autoSend, () => {
      measures.speechEndToRequestMs = deps.now() - endedAt;
      measures.endpointingMs = soundEnd === null ? null : deps.now() - soundEnd;
    });
    if (turns !== running) return; // the session ended meanwhile
    // An empty transcript is a cough or a door, not a failure worth a message in hands-free.
    if (!result.ok && result.code !== 'empty-transcript') emit({ kind: 'error', code: result.code, message: result.message, canRetry: result.canRetry });
    act(running.transcribed(clip, result.ok ? result.text : null, deps.now()));
  }

  const callbacks: VadCallbacks = {
    frame(probability, samples) {
      if (!turns) return;
      const at = deps.now();
      reading = { probability, energy: rms(samples) };
      if (reading.energy >= SOUND_ENERGY) {
        // A frame is delivered whole: its first sample is one frame older than its arrival.
        if (soundLast === null || soundLast < at - FRAME_MS * 1.5) soundSince = at - FRAME_MS;
        soundLast = at;
      }
      act(turns.frame(at, reading));
    },
    speechStart() {
      if (!turns) return;
      const at = deps.now();
      // The onset: where the sound the VAD calls speech began (Silero scores a soft onset late), else this frame's start.
      onsetAt = soundSince !== null && soundLast === at && at - soundSince <= ONSET_LOOKBACK_MS ? soundSince : at - FRAME_MS;
      const started = turns.speechStart(at, reading);
      current = started.clip;
      act(started.actions);
    },
    speechEnd(audio) {
      if (!turns || current === null) return;
      clips.set(current, audio);
      clipEnds.set(current, soundLast);
      current = null;
      act(turns.speechEnd(deps.now()));
    },
    misfire() {
      if (!turns) return;
      current = null;
      act(turns.misfire(deps.now()));
    },
  };

  async function stop(): Promise<void> {
    cancel(orphanTimer);
    const closing = vad;
    vad = null;
    // Troupe's voice held for a start the gate never judged must not stay silent (and keep the document busy).
    for (const action of turns?.end() ?? []) if (action.kind === 'resume-playback') deps.resumePlayback();
    turns = null;
    options = null;
    starting = false;
    clips.clear();
    clipEnds.clear();
    current = null;
    wake();
    await closing?.destroy().catch(() => {});
  }

  return {
    /** Starts a session (a running one is restarted with the new options). */
    async start(start: HandsFreeStart): Promise<ListenStart> {
      await stop();
      session = newSession();
      events.length = 0;
      n = 0;
      starting = true;
      wake();
      try {
        const opened = await deps.openVad({ endOfTurnMs: start.endOfTurnMs, callbacks });
        if (!starting) {
          await opened.destroy().catch(() => {});
          return fail('failed', 'Hands-free was turned off while the microphone opened.');
        }
        vad = opened;
      } catch (error) {
        starting = false;
        const problem = microphoneProblem(error);
        const failure = problem === 'failed' && !(error instanceof DOMException)
          ? fail('failed', `The voice detector could not start: ${error instanceof Error ? error.message : String(error)}.`)
          : fail(problem, MICROPHONE_WORDS[problem]);
        emit({ kind: 'error', code: failure.code, message: failure.message, canRetry: false });
        wake();
        return failure;
      }
      starting = false;
      options = start;
      turns = createCallTurns({ autoSend: start.autoSend });
      for (let i = 0; i < playing; i++) turns.playbackStarted(deps.now());
      watchForOrphan();
      wake();
      return { ok: true };
    },
    stop,
    /**
     * Answers at once when the session changed, the phase is not `phase` or events came after `after`;
     * otherwise when one of those happens, or after `waitMs`.
     */
    async poll(request: HandsFreePoll, waitMs: number): Promise<HandsFreeAnswer> {
      const after = request.session === session ? request.after : 0;
      watchForOrphan(); // any poll shows the panel is there
      if (request.session === session && request.phase === phase() && !events.some((e) => e.n > after)) {
        polling++;
        watchForOrphan();
        try {
          await new Promise<void>((resolve) => {
            const waiter: Waiter = { after, phase: request.phase, resolve: () => { waiters.delete(waiter); cancel(waiter.timer); resolve(); }, timer: null };
            waiter.timer = later(() => waiter.resolve(), waitMs);
            waiters.add(waiter);
          });
        } finally {
          polling--;
          watchForOrphan();
        }
      }
      return { session, phase: phase(), events: events.filter((e) => e.n > after), measures: { ...measures } };
    },
    /** The reply to the last turn ended (the panel says so): the microphone re-opens once its audio is done. */
    replyDone(): void {
      turns?.replyDone(deps.now());
      wake();
    },
    playbackStarted(): void {
      playing++;
      turns?.playbackStarted(deps.now());
      wake();
    },
    playbackStopped(): void {
      if (playing === 0) return;
      playing--;
      turns?.playbackStopped(deps.now());
      wake();
    },
    /** A session runs (the document must not close itself). */
    busy: () => vad !== null || starting,
  };
}

export type HandsFree = ReturnType<typeof createHandsFree>;

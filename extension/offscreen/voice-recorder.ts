/**
 * Push-to-talk in the offscreen document: records while the person holds and, on release, hands the clip
 * to the transcriber (clip-transcriber.ts), which keeps a clip that failed for Retry.
 */
import { MAX_HOLD_MS } from '../messaging/limits/voice.ts';
import { microphoneProblem, type ListenEndpoint, type ListenResult, type ListenStart } from '../messaging/protocols/voice-in.ts';
import { createClipTranscriber, fail, type ClipTranscriber } from './clip-transcriber.ts';

/** A running capture: stop() ends it and gives the recorded clip. */
export interface Capture { stop(): Promise<Blob> }

export interface RecorderDeps {
  /** Opens the microphone and starts recording; rejects with getUserMedia's DOMException. */
  capture(): Promise<Capture>;
  /** Where clips go; one made with `fetch` when absent. */
  transcriber?: ClipTranscriber;
  fetch?: typeof fetch;
  /** Timers (tests pass fakes). */
  setTimeout?: (run: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** getUserMedia's failures in words (hands-free says the same). */
export const MICROPHONE_WORDS = {
  'permission-denied': 'Troupe may not use the microphone. Open Troupe\'s options → Voice and press Allow microphone; if it stays blocked, allow Troupe in chrome://settings/content/microphone.',
  'no-microphone': 'No microphone found: plug one in (or pick one in the system\'s sound settings) and try again.',
  'microphone-busy': 'The microphone is in use by another program or could not be opened: close the other program and try again.',
  failed: 'The microphone could not be opened.',
} as const;

export function createVoiceRecorder(deps: RecorderDeps) {
  const later = deps.setTimeout ?? ((run, ms) => setTimeout(run, ms));
  const cancelLater = deps.clearTimeout ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  let capture: Promise<Capture> | null = null;
  let holdTimer: unknown = null;
  let autoStopped: Promise<Blob> | null = null;

  const transcriber = deps.transcriber ?? createClipTranscriber({ fetch: deps.fetch ?? ((input, init) => fetch(input, init)) });

  return {
    /** Starts recording (a second start while recording is ignored). */
    async start(): Promise<ListenStart> {
      if (capture) return { ok: true };
      const opening = deps.capture();
      capture = opening;
      try {
        await opening;
      } catch (error) {
        capture = null;
        const code = microphoneProblem(error);
        return fail(code, MICROPHONE_WORDS[code]);
      }
      holdTimer = later(() => { autoStopped = stopCapture(); }, MAX_HOLD_MS);
      return { ok: true };
    },
    /** Stops recording and transcribes the clip. */
    async stop(endpoint: ListenEndpoint | null, autoSend: boolean): Promise<ListenResult> {
      const clip = capture ? await stopCapture() : autoStopped ? await autoStopped : null;
      autoStopped = null;
      if (!clip) return fail('not-recording', 'Nothing was recorded: hold the button while you speak.');
      return transcriber.transcribe(clip, endpoint, autoSend);
    },
    /** Sends the last failed clip again (after the key or the endpoint was fixed). */
    retry: (endpoint: ListenEndpoint | null, autoSend: boolean): Promise<ListenResult> => transcriber.retry(endpoint, autoSend),
    /** Recording now (the document must not close itself meanwhile). */
    busy: () => capture !== null,
    /** Stops the microphone without transcribing (the document is closing). */
    dispose(): void {
      if (capture) void stopCapture().catch(() => {});
    },
  };

  async function stopCapture(): Promise<Blob> {
    const running = capture!;
    capture = null;
    cancelLater(holdTimer);
    return (await running).stop();
  }
}

export type VoiceRecorder = ReturnType<typeof createVoiceRecorder>;

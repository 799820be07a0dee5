/**
 * Push-to-talk in the offscreen document: records while the person holds, posts the clip to the
 * transcription endpoint on release, and keeps the last clip that failed (memory only, at most
 * MAX_RETRY_CLIP_BYTES) so Retry re-sends exactly what was said.
 */
import { clipFileName, readTranscription, transcriptionTarget, withoutKeys } from '@troupe/shared/voice';
import { MAX_HOLD_MS, MAX_RETRY_CLIP_BYTES, TRANSCRIPTION_TIMEOUT_MS } from '../messaging/limits/voice.ts';
import { microphoneProblem, type ListenEndpoint, type ListenResult, type ListenStart, type VoiceInFailure } from '../messaging/protocols/voice-in.ts';

/** A running capture: stop() ends it and gives the recorded clip. */
export interface Capture { stop(): Promise<Blob> }

export interface RecorderDeps {
  /** Opens the microphone and starts recording; rejects with getUserMedia's DOMException. */
  capture(): Promise<Capture>;
  fetch: typeof fetch;
  /** Timers (tests pass fakes). */
  setTimeout?: (run: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

const MICROPHONE_WORDS = {
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
  let failedClip: Blob | null = null;

  const fail = (code: VoiceInFailure['code'], message: string, canRetry = false): VoiceInFailure => ({ ok: false, code, message, canRetry });

  async function transcribe(clip: Blob, endpoint: ListenEndpoint | null, autoSend: boolean): Promise<ListenResult> {
    // Kept before sending: whatever happens next, what the person said can be sent again.
    failedClip = clip.size <= MAX_RETRY_CLIP_BYTES ? clip : null;
    const keep = failedClip !== null;
    if (!endpoint) return fail('no-endpoint', 'No transcription endpoint is set: open Troupe\'s options → Voice and set one.', keep);
    const target = transcriptionTarget(endpoint);
    const body = new FormData();
    body.append('file', clip, clipFileName(clip.type));
    body.append('model', endpoint.model);
    body.append('response_format', 'json');
    let response: Response;
    try {
      response = await deps.fetch(target.url, { method: 'POST', headers: target.headers, body, signal: AbortSignal.timeout(TRANSCRIPTION_TIMEOUT_MS) });
    } catch (error) {
      return fail('endpoint-unreachable', `Could not reach the transcription endpoint ${hostOf(target.url)}: ${withoutKeys(error instanceof Error ? error.message : String(error), [endpoint.apiKey])}.`, keep);
    }
    const read = await readTranscription(response);
    if (!read.ok) return fail(read.code, withoutKeys(read.message, [endpoint.apiKey]), keep && read.code !== 'empty-transcript');
    failedClip = null;
    return { ok: true, text: read.text, autoSend };
  }

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
      return transcribe(clip, endpoint, autoSend);
    },
    /** Sends the last failed clip again (after the key or the endpoint was fixed). */
    async retry(endpoint: ListenEndpoint | null, autoSend: boolean): Promise<ListenResult> {
      if (!failedClip) return fail('nothing-to-retry', 'There is no clip to send again: hold the button and say it once more.');
      return transcribe(failedClip, endpoint, autoSend);
    },
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

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

export type VoiceRecorder = ReturnType<typeof createVoiceRecorder>;

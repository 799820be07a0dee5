/**
 * Sends a clip of speech to the device's transcription endpoint (OpenAI-compatible multipart POST) and
 * keeps the last clip that failed (memory only, at most MAX_RETRY_CLIP_BYTES) so Retry re-sends exactly
 * what was said. Push-to-talk and hands-free share one, so Retry works for whichever failed last.
 */
import { clipFileName, readTranscription, transcriptionTarget, withoutKeys } from '@troupe/shared/voice';
import { MAX_RETRY_CLIP_BYTES, TRANSCRIPTION_TIMEOUT_MS } from '../messaging/limits/voice.ts';
import type { ListenEndpoint, ListenResult, VoiceInFailure } from '../messaging/protocols/voice-in.ts';

export interface ClipTranscriber {
  /** Posts `clip`; `sent` runs the moment the request leaves (the bench measures from the end of speech to it). */
  transcribe(clip: Blob, endpoint: ListenEndpoint | null, autoSend: boolean, sent?: () => void): Promise<ListenResult>;
  /** Sends the last failed clip again. */
  retry(endpoint: ListenEndpoint | null, autoSend: boolean): Promise<ListenResult>;
}

export const fail = (code: VoiceInFailure['code'], message: string, canRetry = false): VoiceInFailure => ({ ok: false, code, message, canRetry });

export function createClipTranscriber(deps: { fetch: typeof fetch }): ClipTranscriber {
  let failedClip: Blob | null = null;

  async function transcribe(clip: Blob, endpoint: ListenEndpoint | null, autoSend: boolean, sent?: () => void): Promise<ListenResult> {
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
      const request = deps.fetch(target.url, { method: 'POST', headers: target.headers, body, signal: AbortSignal.timeout(TRANSCRIPTION_TIMEOUT_MS) });
      sent?.();
      response = await request;
    } catch (error) {
      return fail('endpoint-unreachable', `Could not reach the transcription endpoint ${hostOf(target.url)}: ${withoutKeys(error instanceof Error ? error.message : String(error), [endpoint.apiKey])}.`, keep);
    }
    const read = await readTranscription(response);
    if (!read.ok) return fail(read.code, withoutKeys(read.message, [endpoint.apiKey]), keep && read.code !== 'empty-transcript');
    failedClip = null;
    return { ok: true, text: read.text, autoSend };
  }

  return {
    transcribe,
    async retry(endpoint, autoSend) {
      if (!failedClip) return fail('nothing-to-retry', 'There is no clip to send again: hold the button and say it once more.');
      return transcribe(failedClip, endpoint, autoSend);
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

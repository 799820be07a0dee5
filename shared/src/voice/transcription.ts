/**
 * Voice in: the OpenAI-compatible `POST …/audio/transcriptions` request for one clip, and its answer
 * read into a transcript or a failure code the panel words. Pure: the offscreen recorder builds the
 * multipart body and does the fetch.
 */
import { MAX_TRANSCRIPT_CHARS } from './limits.ts';
import { speechFailure } from './speech-failure.ts';
import type { SpeechEndpoint } from './speech-request.ts';

/** Why a clip did not become text. The panel words each; all but no-endpoint keep the clip for Retry. */
export type TranscriptionErrorCode = 'no-endpoint' | 'endpoint-unreachable' | 'unauthorized' | 'endpoint-failed' | 'empty-transcript';

export type TranscriptionResult = { ok: true; text: string } | { ok: false; code: TranscriptionErrorCode; message: string };

/**
 * `…/v1` → `…/v1/audio/transcriptions`; a URL already ending in `/audio/transcriptions` is kept; a bare origin gets `/v1`.
 * @example transcriptionUrl('https://api.openai.com/v1') // 'https://api.openai.com/v1/audio/transcriptions'
 */
export function transcriptionUrl(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  if (/\/audio\/transcriptions$/.test(trimmed)) return trimmed;
  if (/\/v\d+$/.test(trimmed)) return `${trimmed}/audio/transcriptions`;
  return `${trimmed}/v1/audio/transcriptions`;
}

/** The file name the clip is posted as: servers pick the decoder by its extension. */
export function clipFileName(type: string): string {
  return /wav/i.test(type) ? 'speech.wav' : /ogg/i.test(type) ? 'speech.ogg' : /mp4|m4a/i.test(type) ? 'speech.m4a' : 'speech.webm';
}

/** Where and with which headers a clip goes (the offscreen recorder builds the multipart body: shared/ has no DOM). */
export function transcriptionTarget(endpoint: SpeechEndpoint): { url: string; headers: Record<string, string> } {
  return { url: transcriptionUrl(endpoint.url), headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {} };
}

/** The endpoint's answer as a transcript (JSON `{text}` or plain text) or the failure, in words. */
export async function readTranscription(response: { ok: boolean; status: number; headers: { get(name: string): string | null }; text(): Promise<string> }): Promise<TranscriptionResult> {
  if (!response.ok) {
    const words = (await speechFailure(response)).replace(/^Speech failed/, 'Transcription failed').replace('no speech API', 'no transcription API');
    return { ok: false, code: response.status === 401 || response.status === 403 ? 'unauthorized' : 'endpoint-failed', message: words };
  }
  const raw = await response.text();
  let text = raw;
  if (/json/i.test(response.headers.get('content-type') ?? '') || /^\s*\{/.test(raw)) {
    try {
      const json = JSON.parse(raw) as { text?: unknown };
      text = typeof json.text === 'string' ? json.text : '';
    } catch {
      text = '';
    }
  }
  text = text.trim().slice(0, MAX_TRANSCRIPT_CHARS);
  if (!text) return { ok: false, code: 'empty-transcript', message: 'Nothing was heard: the transcript is empty. Hold the button while you speak, a little closer to the microphone.' };
  return { ok: true, text };
}

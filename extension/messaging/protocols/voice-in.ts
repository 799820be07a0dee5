/**
 * Voice in (issue #12, push-to-talk): what the panel asks the background and the background asks the
 * offscreen recorder, and what comes back. A result is a union the panel renders: the transcript (and
 * whether to send it at once) or a failure code with words and whether Retry can re-send the clip.
 */
import type { TranscriptionErrorCode } from '@troupe/shared/voice';
import { MAX_TRANSCRIPT_CHARS } from '@troupe/shared/voice';
import { MessageError, object, oneOf, string } from '../validate.ts';

/** getUserMedia's failures (no-microphone: none plugged in; microphone-busy: another program holds it). */
export type MicrophoneProblem = 'permission-denied' | 'no-microphone' | 'microphone-busy' | 'failed';

/** Every reason a hold did not give text. */
export type VoiceInErrorCode = MicrophoneProblem | TranscriptionErrorCode | 'not-recording' | 'nothing-to-retry';

export const VOICE_IN_ERROR_CODES: readonly VoiceInErrorCode[] = [
  'permission-denied', 'no-microphone', 'microphone-busy', 'failed',
  'no-endpoint', 'endpoint-unreachable', 'unauthorized', 'endpoint-failed', 'empty-transcript',
  'not-recording', 'nothing-to-retry',
];

export type VoiceInFailure = { ok: false; code: VoiceInErrorCode; message: string; canRetry: boolean };
/** The start of a hold: recording, or why not. */
export type ListenStart = { ok: true } | VoiceInFailure;
/** The end of a hold (or a Retry): the transcript or why not. `autoSend` comes from the options page. */
export type ListenResult = { ok: true; text: string; autoSend: boolean } | VoiceInFailure;

/** The transcription endpoint, keys opened (travels background → offscreen only). */
export interface ListenEndpoint { url: string; model: string; apiKey?: string }

/** getUserMedia's failure as a problem code (DOMException names of the Media Capture spec). */
export function microphoneProblem(error: unknown): MicrophoneProblem {
  const name = typeof error === 'object' && error !== null && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'permission-denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-microphone';
  if (name === 'NotReadableError' || name === 'AbortError') return 'microphone-busy';
  return 'failed';
}

function failure(o: Record<string, unknown>): VoiceInFailure {
  if (typeof o.canRetry !== 'boolean') throw new MessageError('canRetry must be true or false');
  return { ok: false, code: oneOf(o.code, 'code', VOICE_IN_ERROR_CODES), message: string(o.message, 'message', 2_000), canRetry: o.canRetry };
}

/** Checks a start answer (offscreen → background → panel). */
export function validateListenStart(value: unknown): ListenStart {
  const o = object(value, 'answer');
  return o.ok === true ? { ok: true } : failure(o);
}

/** Checks a result (offscreen → background → panel). */
export function validateListenResult(value: unknown): ListenResult {
  const o = object(value, 'answer');
  if (o.ok !== true) return failure(o);
  if (typeof o.autoSend !== 'boolean') throw new MessageError('autoSend must be true or false');
  return { ok: true, text: string(o.text, 'text', MAX_TRANSCRIPT_CHARS, { min: 1 }), autoSend: o.autoSend };
}

/**
 * Hands-free voice in (issue #12): what the panel, the background and the offscreen document say about a
 * hands-free session. The offscreen document owns the session (the VAD, the echo gate, the turns); the
 * panel follows it by long polling (`poll` answers at once when something happened after `after`, or
 * after HANDS_FREE_POLL_WAIT_MS with nothing new), so no channel from the document to a tab is needed
 * and a restarted service worker loses nothing: the next poll picks up what the document kept.
 */
import { MAX_TRANSCRIPT_CHARS, MAX_END_OF_TURN_MS, MIN_END_OF_TURN_MS, type CallPhase } from '@troupe/shared/voice';
import { HANDS_FREE_EVENT_LOG } from '../limits/voice.ts';
import { MessageError, object, oneOf, string } from '../validate.ts';
import { VOICE_IN_ERROR_CODES, type VoiceInErrorCode } from './voice-in.ts';

/** The session's phase as the panel shows it: 'off' when no session runs (or the document is gone). */
export type HandsFreePhase = CallPhase | 'starting' | 'off';
export const HANDS_FREE_PHASES: readonly HandsFreePhase[] = ['off', 'starting', 'listening', 'hearing', 'transcribing', 'waiting', 'speaking'];

/** What happened, numbered from 1 per document (`n`), oldest first. */
export type HandsFreeEvent =
  | { n: number; kind: 'turn'; text: string; autoSend: boolean }
  | { n: number; kind: 'barge-in' }
  | { n: number; kind: 'error'; code: VoiceInErrorCode | 'vad-failed'; message: string; canRetry: boolean };

/** A poll's answer: the phase now, and the events after the poll's `after`. `session` changes when a new session (or document) starts. */
export interface HandsFreeFeed { session: string; phase: HandsFreePhase; events: HandsFreeEvent[] }

/** A hands-free poll: the session, last event and phase the asker knows. */
export interface HandsFreePoll { session: string; after: number; phase: HandsFreePhase }

/**
 * Delays measured in the latest turn and barge-in (ms; null: none yet), for the bench: the VAD's end of
 * speech → the transcription request sent; the acoustic end of the speech → that request (the endpointing
 * delay, end-of-turn silence included); the speech's acoustic onset → Troupe's voice stopped.
 */
export interface HandsFreeMeasures { speechEndToRequestMs: number | null; endpointingMs: number | null; onsetToStopMs: number | null }

/** What a poll gets. */
export type HandsFreeAnswer = HandsFreeFeed & { measures: HandsFreeMeasures };

export const HANDS_FREE_OFF: HandsFreeAnswer = { session: '', phase: 'off', events: [], measures: { speechEndToRequestMs: null, endpointingMs: null, onsetToStopMs: null } };

/** How long the session waits for the end of a turn, from the device's settings. */
export function endOfTurnMs(value: unknown, field = 'endOfTurnMs'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_END_OF_TURN_MS || value > MAX_END_OF_TURN_MS) {
    throw new MessageError(`${field} must be a whole number of milliseconds from ${MIN_END_OF_TURN_MS} to ${MAX_END_OF_TURN_MS}`);
  }
  return value;
}

export function pollAfter(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new MessageError('after must be a whole number, 0 or more');
  return value;
}

const ERROR_CODES = [...VOICE_IN_ERROR_CODES, 'vad-failed'] as const;

function event(value: unknown, at: number): HandsFreeEvent {
  const o = object(value, `events[${at}]`);
  const n = pollAfter(o.n);
  const kind = oneOf(o.kind, `events[${at}].kind`, ['turn', 'barge-in', 'error'] as const);
  if (kind === 'barge-in') return { n, kind };
  if (kind === 'turn') {
    if (typeof o.autoSend !== 'boolean') throw new MessageError(`events[${at}].autoSend must be true or false`);
    return { n, kind, text: string(o.text, `events[${at}].text`, MAX_TRANSCRIPT_CHARS * 4, { min: 1 }), autoSend: o.autoSend };
  }
  if (typeof o.canRetry !== 'boolean') throw new MessageError(`events[${at}].canRetry must be true or false`);
  return { n, kind, code: oneOf(o.code, `events[${at}].code`, ERROR_CODES), message: string(o.message, `events[${at}].message`, 2_000), canRetry: o.canRetry };
}

/** Checks a feed coming back from the offscreen document (and, in the panel, from the background). */
export function validateHandsFreeFeed(value: unknown): HandsFreeFeed {
  const o = object(value, 'answer');
  if (!Array.isArray(o.events) || o.events.length > HANDS_FREE_EVENT_LOG) throw new MessageError(`events must be a list of at most ${HANDS_FREE_EVENT_LOG}`);
  return { session: string(o.session, 'session', 64), phase: oneOf(o.phase, 'phase', HANDS_FREE_PHASES), events: o.events.map(event) };
}

export function validateHandsFreePoll(value: unknown): HandsFreePoll {
  const o = object(value, 'payload');
  return { session: string(o.session, 'session', 64), after: pollAfter(o.after), phase: oneOf(o.phase, 'phase', HANDS_FREE_PHASES) };
}

function measure(value: unknown, field: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new MessageError(`${field} must be a number of milliseconds or null`);
  return value;
}

/** Checks a poll's answer (offscreen → background → panel). */
export function validateHandsFreeAnswer(value: unknown): HandsFreeAnswer {
  const m = object(object(value, 'answer').measures, 'measures');
  return {
    ...validateHandsFreeFeed(value),
    measures: { speechEndToRequestMs: measure(m.speechEndToRequestMs, 'speechEndToRequestMs'), endpointingMs: measure(m.endpointingMs, 'endpointingMs'), onsetToStopMs: measure(m.onsetToStopMs, 'onsetToStopMs') },
  };
}

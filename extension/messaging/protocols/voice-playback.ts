/**
 * The offscreen voice player's state, as it crosses the offscreen channel and the runtime channel (the
 * panel's errors, the e2e test): its own file so both protocols use it without importing each other.
 */
import { MAX_REPLY_ID, MAX_SPEAK_SEQ, VOICE_PLAYBACK_LOG } from '../limits/voice.ts';
import { MessageError, object, oneOf, string } from '../validate.ts';

/** One thing the player did with a segment (what the e2e test and the panel read). */
export interface VoicePlaybackEvent {
  replyId: string;
  seq: number;
  event: 'fetched' | 'playing' | 'ended' | 'failed' | 'dropped';
  /** When (epoch ms, the document's clock): the bench times audio starts against the TTS server's answers. */
  at: number;
}

/** The offscreen player's state. */
export interface VoicePlaybackState {
  /** 'speaking' while a segment plays or waits its turn. */
  status: 'idle' | 'speaking';
  /** The last failure in words (endpoint down, 401, bad audio), null after a segment played well. Never a key. */
  error: string | null;
  /** The newest VOICE_PLAYBACK_LOG events, oldest first. */
  log: VoicePlaybackEvent[];
}

export const IDLE_PLAYBACK: VoicePlaybackState = { status: 'idle', error: null, log: [] };

function wholeNumber(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new MessageError(`${field} must be a whole number from 0 to ${max}`);
  return value;
}

function epochMs(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new MessageError(`${field} must be a time in milliseconds`);
  return value;
}

/** The player's state as the background checks it coming back from the offscreen document. */
export function validatePlaybackState(value: unknown): VoicePlaybackState {
  const o = object(value, 'answer');
  const log = o.log;
  if (!Array.isArray(log) || log.length > VOICE_PLAYBACK_LOG) throw new MessageError(`log must be a list of at most ${VOICE_PLAYBACK_LOG}`);
  return {
    status: oneOf(o.status, 'status', ['idle', 'speaking'] as const),
    error: o.error === null ? null : string(o.error, 'error', 500),
    log: log.map((entry, i) => {
      const e = object(entry, `log[${i}]`);
      return {
        replyId: string(e.replyId, `log[${i}].replyId`, MAX_REPLY_ID, { min: 1 }),
        seq: wholeNumber(e.seq, `log[${i}].seq`, MAX_SPEAK_SEQ),
        event: oneOf(e.event, `log[${i}].event`, ['fetched', 'playing', 'ended', 'failed', 'dropped'] as const),
        at: epochMs(e.at, `log[${i}].at`),
      };
    }),
  };
}


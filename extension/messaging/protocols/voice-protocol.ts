/**
 * Runtime messages of voice (issue #12): the device's speech settings (options page → Voice; they
 * carry or guard keys, so they are for Troupe's own pages only), a character's voice and a chat's
 * read-aloud switch (the panel), and the reply's sentences to speak (the content script).
 */
import { MAX_SEGMENT_CHARS, VOICE_PROVIDERS, voiceSettingsErrors, type VoiceProvider, type VoiceSettings } from '@troupe/shared/voice';
import { MAX_CHAT_KEY } from '../limits/general.ts';
import { MAX_REPLY_ID, MAX_SPEAK_SEQ } from '../limits/voice.ts';
import { MessageError, object, oneOf, string } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';
import type { ListenResult, ListenStart } from './voice-in.ts';
import { endOfTurnMs, validateHandsFreePoll, type HandsFreeAnswer, type HandsFreePoll } from './hands-free.ts';
import { MAX_API_KEY, MAX_MODEL_NAME, validateSummaryRequest } from './offscreen-protocol.ts';

/** The device's voice settings as pages see them: never a key, only whether one is saved. */
export interface VoiceDeviceView {
  openai: { url: string; model: string; hasKey: boolean } | null;
  elevenLabs: { hasKey: boolean };
  /** Where voice in posts clips; null: none set (the panel's Hold to talk then says so). */
  transcription: { url: string; model: string; hasKey: boolean } | null;
  /** Send a transcript at once (true) or leave it in NextChat's input for review. */
  autoSend: boolean;
  /** Hands-free: the silence that ends a turn, in ms. */
  endOfTurnMs: number;
}

/** A change of the device's voice settings. `openai.apiKey` absent keeps the saved key (same origin only); null removes it. */
export interface VoiceDeviceUpdate {
  openai?: { url: string; model: string; apiKey?: string | null } | null;
  elevenLabsKey?: string | null;
  /** The transcription endpoint; `apiKey` as for `openai`. */
  transcription?: { url: string; model: string; apiKey?: string | null } | null;
  autoSend?: boolean;
  endOfTurnMs?: number;
}

/** What the Test button got: the endpoint's audio (its size and type) or why not, in words (never a key). */
export type VoiceTestResult = { ok: true; bytes: number; contentType: string; ms: number } | { ok: false; message: string };

/** navigator.permissions' states for the microphone, plus 'unknown' where the browser will not say. */
export type MicrophonePermission = 'granted' | 'denied' | 'prompt' | 'unknown';

/** What Test transcription got: the endpoint's text for the silent clip (usually none) and how long it took, or why not. */
export type TranscriptionTestResult = { ok: true; text: string | null; ms: number } | { ok: false; message: string };

/** The open chat's voice as the panel shows it. */
export interface VoiceChatView {
  chatKey: string;
  /** The chat's character; null when it has none (the section then says so). */
  character: { id: string; name: string } | null;
  /** The character's voice, null when its card has none (or one this build cannot read: `problem` says why). */
  voice: VoiceSettings | null;
  problem: string | null;
  /** Whether this chat's replies are read aloud (per chat, off by default). */
  readAloud: boolean;
  /** Which providers this device can speak with now (an endpoint or key is set; 'browser' always listed). */
  ready: Record<VoiceProvider, boolean>;
  playback: VoicePlaybackState;
}

/** One complete sentence of a reply to speak, in order (`seq` from 0 per reply). */
export interface SpeakRequest {
  chatKey: string;
  replyId: string;
  seq: number;
  text: string;
  speaker: 'character' | 'narrator';
}

export interface VoiceSettingsApi {
  'voice.device.get': { req: Record<string, never>; res: VoiceDeviceView };
  'voice.device.update': { req: VoiceDeviceUpdate; res: VoiceDeviceView };
  /** Asks the saved speech endpoint (or ElevenLabs) to say a short sentence. */
  'voice.device.test': { req: { provider: 'openai-compatible' | 'elevenlabs'; voice: string }; res: VoiceTestResult };
  /** Posts a short silent clip to the transcription endpoint: reachable, key accepted, answers as whisper does. */
  'voice.device.testTranscription': { req: Record<string, never>; res: TranscriptionTestResult };
}

export interface VoiceApi {
  /** `forReply`: asked by the reader at a reply's first text; when the reply will be spoken, the audio document is made ready now. */
  'voice.get': { req: { chatKey: string; forReply?: boolean }; res: VoiceChatView };
  /** Sets (null: removes) the voice of the chat's character, in its card: it syncs and exports with it. */
  'voice.character.set': { req: { chatKey: string; voice: VoiceSettings | null }; res: VoiceChatView };
  'voice.readAloud.set': { req: { chatKey: string; on: boolean }; res: VoiceChatView };
  /** Queues one sentence; the background drops it unless the chat reads aloud and its character has a voice. */
  'voice.speak': { req: SpeakRequest; res: null };
  /** Stops playback and drops the queue (Stop, Escape, a new message, another chat). */
  'voice.stop': { req: Record<string, never>; res: null };
  /** The player's state (the panel's errors; tests). */
  'voice.state': { req: Record<string, never>; res: VoicePlaybackState };
  /** Push-to-talk pressed: the offscreen document records the microphone. */
  'voice.listen.start': { req: Record<string, never>; res: ListenStart };
  /** Released: the clip is transcribed by the device's endpoint; the text (and auto-send) or why not. */
  'voice.listen.stop': { req: Record<string, never>; res: ListenResult };
  /** Sends the last clip that failed again. */
  'voice.listen.retry': { req: Record<string, never>; res: ListenResult };
  /** Whether Troupe may use the microphone (its extension origin's permission), before the first press. */
  'voice.microphone': { req: Record<string, never>; res: { state: MicrophonePermission } };
  /** Hands-free on: the offscreen document listens with the VAD (the device's endpoint, auto-send and end-of-turn silence). */
  'voice.handsFree.start': { req: Record<string, never>; res: ListenStart };
  'voice.handsFree.stop': { req: Record<string, never>; res: null };
  /** The session's phase and its events after `after`; held open until something happens (never starts the document). */
  'voice.handsFree.poll': { req: HandsFreePoll; res: HandsFreeAnswer };
  /** A reply ended on the page: a hands-free session re-opens the microphone once its audio is done. */
  'voice.handsFree.replyDone': { req: Record<string, never>; res: null };
}

const chatKey = (v: unknown) => string(v, 'chatKey', MAX_CHAT_KEY, { min: 1 });
const REPLY_ID = /^[A-Za-z0-9-]+$/;

function wholeNumber(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new MessageError(`${field} must be a whole number from 0 to ${max}`);
  return value;
}

/** A key as a header may carry it: no control characters, trimmed, not empty. */
function apiKey(value: unknown, field: string): string {
  const key = string(value, field, MAX_API_KEY).trim();
  if (!key) throw new MessageError(`${field} must not be empty (leave it out to keep the saved key, or remove the key)`);
  if (/[\x00-\x1f\x7f]/.test(key)) throw new MessageError(`${field} must not contain control characters`);
  return key;
}

/** An endpoint, checked by the offscreen channel's rules (http(s), no credentials in the address); `what` names it in errors. */
function endpointUpdate(value: unknown, what = 'The speech endpoint URL'): VoiceDeviceUpdate['openai'] {
  if (value === null) return null;
  const o = object(value, 'openai');
  const url = typeof o.url === 'string' ? o.url.trim() : o.url;
  const model = typeof o.model === 'string' ? o.model.trim() : o.model;
  let checked;
  try {
    checked = validateSummaryRequest({ jobId: 'voice', messages: [], targetTokens: 1, model: '', endpoint: { url, model } }).endpoint!;
  } catch (error) {
    if (!(error instanceof MessageError)) throw error;
    throw new MessageError(error.message.replace(/^endpoint\.url\b/, what).replace(/^endpoint\.model\b/, 'The default model'));
  }
  const out: NonNullable<VoiceDeviceUpdate['openai']> = { url: checked.url, model: string(checked.model, 'The default model', MAX_MODEL_NAME) };
  if (o.apiKey === null) out.apiKey = null;
  else if (o.apiKey !== undefined) out.apiKey = apiKey(o.apiKey, 'The API key');
  return out;
}

/** Voice settings checked by the card's own rules; the first problem is the error. */
export function voiceSettings(value: unknown): VoiceSettings {
  const o = object(value, 'voice') as unknown as VoiceSettings;
  const [first] = voiceSettingsErrors(o);
  if (first) throw new MessageError(first.message);
  return o;
}

export const VOICE_SETTINGS_VALIDATORS: Validators<VoiceSettingsApi> = {
  'voice.device.get': emptyRequest,
  'voice.device.update': (p) => {
    const o = object(p, 'payload');
    if (o.openai === undefined && o.elevenLabsKey === undefined && o.transcription === undefined && o.autoSend === undefined && o.endOfTurnMs === undefined) {
      throw new MessageError('openai, elevenLabsKey, transcription, autoSend or endOfTurnMs must be given');
    }
    if (o.autoSend !== undefined && typeof o.autoSend !== 'boolean') throw new MessageError('autoSend must be true or false');
    return {
      ...(o.openai === undefined ? {} : { openai: endpointUpdate(o.openai) }),
      ...(o.transcription === undefined ? {} : { transcription: endpointUpdate(o.transcription, 'The transcription endpoint URL') }),
      ...(o.autoSend === undefined ? {} : { autoSend: o.autoSend }),
      ...(o.endOfTurnMs === undefined ? {} : { endOfTurnMs: endOfTurnMs(o.endOfTurnMs, 'The end-of-turn silence') }),
      ...(o.elevenLabsKey === undefined ? {} : { elevenLabsKey: o.elevenLabsKey === null ? null : apiKey(o.elevenLabsKey, 'The ElevenLabs API key') }),
    };
  },
  'voice.device.test': (p) => {
    const o = object(p, 'payload');
    return { provider: oneOf(o.provider, 'provider', ['openai-compatible', 'elevenlabs'] as const), voice: string(o.voice, 'voice', 200, { min: 1 }) };
  },
  'voice.device.testTranscription': emptyRequest,
};

export const VOICE_VALIDATORS: Validators<VoiceApi> = {
  'voice.get': (p) => {
    const o = object(p, 'payload');
    if (o.forReply !== undefined && typeof o.forReply !== 'boolean') throw new MessageError('forReply must be true or false');
    return { chatKey: chatKey(o.chatKey), ...(o.forReply ? { forReply: true } : {}) };
  },
  'voice.character.set': (p) => {
    const o = object(p, 'payload');
    return { chatKey: chatKey(o.chatKey), voice: o.voice === null ? null : voiceSettings(o.voice) };
  },
  'voice.readAloud.set': (p) => {
    const o = object(p, 'payload');
    if (typeof o.on !== 'boolean') throw new MessageError('on must be true or false');
    return { chatKey: chatKey(o.chatKey), on: o.on };
  },
  'voice.speak': (p) => {
    const o = object(p, 'payload');
    const replyId = string(o.replyId, 'replyId', MAX_REPLY_ID, { min: 1 });
    if (!REPLY_ID.test(replyId)) throw new MessageError('replyId must be letters, digits and dashes');
    // A segment is at most MAX_SEGMENT_CHARS plus the marks that end it.
    const text = string(o.text, 'text', MAX_SEGMENT_CHARS * 2, { min: 1 });
    return { chatKey: chatKey(o.chatKey), replyId, seq: wholeNumber(o.seq, 'seq', MAX_SPEAK_SEQ), text, speaker: oneOf(o.speaker, 'speaker', ['character', 'narrator'] as const) };
  },
  'voice.stop': emptyRequest,
  'voice.state': emptyRequest,
  'voice.listen.start': emptyRequest,
  'voice.listen.stop': emptyRequest,
  'voice.listen.retry': emptyRequest,
  'voice.microphone': emptyRequest,
  'voice.handsFree.start': emptyRequest,
  'voice.handsFree.stop': emptyRequest,
  'voice.handsFree.poll': validateHandsFreePoll,
  'voice.handsFree.replyDone': emptyRequest,
};

export { VOICE_PROVIDERS };
export { IDLE_PLAYBACK, validatePlaybackState, type VoicePlaybackEvent, type VoicePlaybackState } from './voice-playback.ts';
import type { VoicePlaybackState } from './voice-playback.ts';

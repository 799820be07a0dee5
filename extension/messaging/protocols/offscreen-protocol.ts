/**
 * The channel between the background and the offscreen document (which hosts the summary worker):
 * one typed message map, a versioned envelope, validators for what is asked AND for what comes back.
 * The background sends with `runtime.sendMessage`; only the offscreen document answers envelopes of
 * OFFSCREEN_CHANNEL (every other listener leaves them alone), and it answers only the extension itself.
 *
 * API keys travel here (background -> offscreen -> worker -> the key's own endpoint) and nowhere else:
 * no answer carries a key, and a model's error text is cleaned of it before it comes back.
 */
import { MAX_MESSAGE_CHARS, MAX_SUMMARY_CHARS } from '@troupe/shared/docs';
import { MAX_CHARACTER_NAME, MAX_REQUEST_URL } from '../limits/general.ts';
import { MessageError, nullable, object, oneOf, string, type Fields } from '../validate.ts';
import type { Validators } from './define.ts';
import { MAX_SEGMENT_CHARS, VOICE_PROVIDERS, type VoiceChoice } from '@troupe/shared/voice';
import { MAX_REPLY_ID, MAX_SPEAK_SEQ } from '../limits/voice.ts';
import { validatePlaybackState, type VoicePlaybackState } from './voice-playback.ts';
import { validateListenResult, validateListenStart, type ListenEndpoint, type ListenResult, type ListenStart } from './voice-in.ts';
import { endOfTurnMs, validateHandsFreeAnswer, validateHandsFreePoll, type HandsFreeAnswer, type HandsFreePoll } from './hands-free.ts';

// ---- limits -----------------------------------------------------------------------------------

/**
 * Version of the envelope; an offscreen document from another build answers with a clear error (and
 * the host replaces it). 2: voice playback; the document is created with AUDIO_PLAYBACK as well, so a
 * version 1 document (WORKERS only) must not be adopted. 3: push-to-talk; the document is created with
 * USER_MEDIA as well, so a version 2 document (which could not record) is replaced too. 4: hands-free
 * (the VAD; a version 3 document has none).
 */
export const OFFSCREEN_PROTOCOL_VERSION = 4;
/** Marks an envelope as this channel's: runtime messages of other channels pass the offscreen document by. */
export const OFFSCREEN_CHANNEL = 'troupe-offscreen';

/**
 * How long the worker waits for a model's summary before it summarises locally. Under Chrome's 30 s
 * idle stop of the service worker (the background sends one message and waits without another API
 * call), and a summary runs off the request path, so a slow model only makes the summary local.
 */
export const MODEL_SUMMARY_TIMEOUT_MS = 20_000;
/**
 * How long the background waits for one summary, document start included: the model's timeout plus
 * the local summary (a few ms warm, tokenizer tables loaded ~0.5 s cold) with room for a busy machine.
 */
export const SUMMARY_JOB_TIMEOUT_MS = 28_000;
/**
 * Most messages in one summary job. A level-0 chunk is ~1,500 tokens (SUMMARY_CHUNK_TOKENS), so a
 * few hundred one-word messages at most; a merge has a handful of summaries. 1,000 leaves room.
 */
export const MAX_SUMMARY_JOB_MESSAGES = 1_000;
/** All message text of one job together: a chunk is ~6,000 characters; one pasted page can be 32k. Stops abuse. */
export const MAX_SUMMARY_JOB_CHARS = 1_000_000;
/** Longest summary asked for: a stored summary holds at most MAX_SUMMARY_CHARS (~2,000 tokens). */
export const MAX_SUMMARY_TARGET_TOKENS = 2_000;
/** Ids here are NextChat nanoids, summary ids and job ids (a hash or UUID): far shorter than this. */
export const MAX_SUMMARY_ID = 200;
/** Model names ("gpt-4o-mini", "meta-llama/Llama-3.3-70B-Instruct-Turbo") are short. */
export const MAX_MODEL_NAME = 200;
/** API keys are ~50-200 characters; JWT-style tokens reach ~2,000. */
export const MAX_API_KEY = 4_096;
/** Why a model failed, as shown to the person: one line, never a whole error page. */
export const MAX_MODEL_ERROR_CHARS = 500;

// ---- types ------------------------------------------------------------------------------------

export type SummaryRole = 'user' | 'assistant' | 'system';

/** One message (or lower summary) to summarise. `name` is the speaker shown in the summary ('' uses the role). */
export interface SummaryMessage {
  id: string;
  role: SummaryRole;
  name: string;
  text: string;
}

/**
 * An OpenAI-compatible chat-completions endpoint to ask first. `url` is the full
 * `…/chat/completions` URL or a base URL (`https://api.example.com` or `…/v1`), completed to
 * `/v1/chat/completions`. `apiKey` is sent only to that URL, as `Authorization: Bearer`.
 */
export interface SummaryEndpoint {
  url: string;
  model: string;
  apiKey?: string;
}

export interface SummaryRequest {
  /** The caller's id for this job, echoed in the answer. */
  jobId: string;
  /** Oldest first. */
  messages: SummaryMessage[];
  /** The summary's text never counts more than this with the chat's tokenizer. */
  targetTokens: number;
  /** The chat's model: picks the tokenizer that counts `targetTokens`. */
  model: string;
  /** Ask this model first; null or absent: summarise locally. */
  endpoint?: SummaryEndpoint | null;
}

export type SummaryTextSource = 'model' | 'local';

export interface SummaryResult {
  jobId: string;
  text: string;
  /** Tokens of `text`, counted with the chat's tokenizer. */
  tokens: number;
  /** Who wrote `text`: the endpoint's model, or the local extractive summariser. */
  source: SummaryTextSource;
  /** The messages the summary covers: every message of the request, in order (whichever wrote it). */
  messageIds: string[];
  /** Why the model's summary was not used, when an endpoint was given and the text is local. */
  modelError?: string;
}

/** One sentence to speak, with what fetching its audio needs (keys travel only on this channel). */
export interface PlayRequest {
  replyId: string;
  seq: number;
  text: string;
  voice: VoiceChoice;
  device: { openai: { url: string; model: string; apiKey?: string } | null; elevenLabsKey: string | null };
}

/** Where a clip goes and whether its transcript is sent at once (the key travels on this channel only). */
export interface ListenRequest { endpoint: ListenEndpoint | null; autoSend: boolean }

export interface OffscreenApi {
  /**
   * Is the document there and listening? Answered by the document itself, without the worker. `busy`:
   * audio plays or waits, so the host must not close it yet.
   */
  'offscreen.ping': { req: Record<string, never>; res: { version: typeof OFFSCREEN_PROTOCOL_VERSION; busy?: boolean } };
  /** Queues one sentence: its audio is fetched (the next while one plays) and played strictly in order. */
  'voice.play': { req: PlayRequest; res: null };
  /** Stops playback and drops the queue. */
  'voice.stop': { req: Record<string, never>; res: null };
  'voice.state': { req: Record<string, never>; res: VoicePlaybackState };
  /** Push-to-talk pressed: opens the microphone and records. */
  'voice.listen.start': { req: Record<string, never>; res: ListenStart };
  /** Released: stops recording and transcribes the clip (endpoint null: none set; the clip is kept for Retry). */
  'voice.listen.stop': { req: ListenRequest; res: ListenResult };
  /** Sends the last failed clip again. */
  'voice.listen.retry': { req: ListenRequest; res: ListenResult };
  /** Starts hands-free listening (a running session restarts with these settings). */
  'voice.handsFree.start': { req: ListenRequest & { endOfTurnMs: number }; res: ListenStart };
  'voice.handsFree.stop': { req: Record<string, never>; res: null };
  /** The session's phase and events after `after` (held open until there are some, or HANDS_FREE_POLL_WAIT_MS). */
  'voice.handsFree.poll': { req: HandsFreePoll; res: HandsFreeAnswer };
  /** The reply to the last turn ended: the microphone re-opens when its audio is done. */
  'voice.handsFree.replyDone': { req: Record<string, never>; res: null };
  /** Summarises messages in the summary worker (model first when an endpoint is given, else local). */
  'summary.run': { req: SummaryRequest; res: SummaryResult };
}

export type OffscreenType = keyof OffscreenApi & string;
export type OffscreenRequest<T extends OffscreenType> = OffscreenApi[T]['req'];
export type OffscreenResponse<T extends OffscreenType> = OffscreenApi[T]['res'];

export interface OffscreenEnvelope<T extends OffscreenType = OffscreenType> {
  channel: typeof OFFSCREEN_CHANNEL;
  version: typeof OFFSCREEN_PROTOCOL_VERSION;
  type: T;
  payload: OffscreenRequest<T>;
}

/** The offscreen document's answer. `code` is a typed error code (`message/invalid`, `summary/failed`, …). */
export type OffscreenResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

/** Wraps a request in this channel's envelope. */
export function offscreenEnvelope<T extends OffscreenType>(type: T, payload: OffscreenRequest<T>): OffscreenEnvelope<T> {
  return { channel: OFFSCREEN_CHANNEL, version: OFFSCREEN_PROTOCOL_VERSION, type, payload };
}

/** True when a runtime message is meant for the offscreen document (whatever its version). */
export function isOffscreenEnvelope(message: unknown): message is { channel: typeof OFFSCREEN_CHANNEL; version: unknown; type: unknown; payload: unknown } {
  return typeof message === 'object' && message !== null && (message as { channel?: unknown }).channel === OFFSCREEN_CHANNEL;
}

// ---- validators -------------------------------------------------------------------------------

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new MessageError(`${field} must be a whole number`);
  if (value < min || value > max) throw new MessageError(`${field} must be between ${min} and ${max}`);
  return value;
}

function array(value: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(value)) throw new MessageError(`${field} must be a list`);
  if (value.length > max) throw new MessageError(`${field} has more than ${max} items`);
  return value;
}

const ROLES = ['user', 'assistant', 'system'] as const;
const SOURCES = ['model', 'local'] as const;
const id = (v: unknown, field: string) => string(v, field, MAX_SUMMARY_ID, { min: 1 });

function endpointUrl(value: unknown): string {
  const text = string(value, 'endpoint.url', MAX_REQUEST_URL, { min: 1 });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MessageError('endpoint.url must be a web address');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MessageError('endpoint.url must be an http or https address');
  // A key belongs in the Authorization header; credentials in the address would travel in logs and redirects.
  if (url.username || url.password) throw new MessageError('endpoint.url must not carry a user name or password');
  return text;
}

function endpoint(value: unknown): SummaryEndpoint {
  const o = object(value, 'endpoint');
  const out: SummaryEndpoint = { url: endpointUrl(o.url), model: string(o.model, 'endpoint.model', MAX_MODEL_NAME, { min: 1 }) };
  if (o.apiKey !== undefined && o.apiKey !== null && o.apiKey !== '') {
    const key = string(o.apiKey, 'endpoint.apiKey', MAX_API_KEY);
    // A header value cannot hold line breaks or other control characters (fetch would refuse it later, less clearly).
    if (/[\x00-\x1f\x7f]/.test(key)) throw new MessageError('endpoint.apiKey must not contain control characters');
    out.apiKey = key.trim();
  }
  return out;
}

function summaryMessage(value: unknown, at: number): SummaryMessage {
  const o = object(value, `messages[${at}]`);
  return {
    id: id(o.id, `messages[${at}].id`),
    role: oneOf(o.role, `messages[${at}].role`, ROLES),
    name: string(o.name ?? '', `messages[${at}].name`, MAX_CHARACTER_NAME),
    text: string(o.text, `messages[${at}].text`, MAX_MESSAGE_CHARS),
  };
}

/** Validates a summary request; throws MessageError naming the first bad field. */
export function validateSummaryRequest(payload: unknown): SummaryRequest {
  const o = object(payload, 'payload');
  const messages = array(o.messages, 'messages', MAX_SUMMARY_JOB_MESSAGES).map(summaryMessage);
  const chars = messages.reduce((n, m) => n + m.text.length, 0);
  if (chars > MAX_SUMMARY_JOB_CHARS) throw new MessageError(`messages hold more than ${MAX_SUMMARY_JOB_CHARS} characters`);
  const request: SummaryRequest = {
    jobId: id(o.jobId, 'jobId'),
    messages,
    targetTokens: integer(o.targetTokens, 'targetTokens', 1, MAX_SUMMARY_TARGET_TOKENS),
    model: string(o.model, 'model', MAX_MODEL_NAME),
    endpoint: nullable(o.endpoint, endpoint),
  };
  return request;
}

/** Validates a summary answer (the background checks what comes back from the document, too). */
export function validateSummaryResult(value: unknown): SummaryResult {
  const o: Fields = object(value, 'answer');
  const result: SummaryResult = {
    jobId: id(o.jobId, 'jobId'),
    text: string(o.text, 'text', MAX_SUMMARY_CHARS),
    tokens: integer(o.tokens, 'tokens', 0, MAX_SUMMARY_CHARS),
    source: oneOf(o.source, 'source', SOURCES),
    messageIds: array(o.messageIds, 'messageIds', MAX_SUMMARY_JOB_MESSAGES).map((v, i) => id(v, `messageIds[${i}]`)),
  };
  if (o.modelError !== undefined) result.modelError = string(o.modelError, 'modelError', MAX_MODEL_ERROR_CHARS);
  return result;
}

function voiceChoice(value: unknown): VoiceChoice {
  const o = object(value, 'voice');
  const speed = o.speed;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0 || speed > 4) throw new MessageError('voice.speed must be a number above 0, at most 4');
  const choice: VoiceChoice = { provider: oneOf(o.provider, 'voice.provider', VOICE_PROVIDERS), voice: string(o.voice, 'voice.voice', 200, { min: 1 }), speed };
  if (o.model !== undefined) choice.model = string(o.model, 'voice.model', MAX_MODEL_NAME, { min: 1 });
  return choice;
}

/** Validates a sentence to play; the device's endpoint by the summary endpoint's rules. */
export function validatePlayRequest(payload: unknown): PlayRequest {
  const o = object(payload, 'payload');
  const device = object(o.device, 'device');
  const openai = device.openai === null ? null : endpoint(device.openai);
  const elevenLabsKey = device.elevenLabsKey === null ? null : string(device.elevenLabsKey, 'device.elevenLabsKey', MAX_API_KEY, { min: 1 });
  if (elevenLabsKey && /[\x00-\x1f\x7f]/.test(elevenLabsKey)) throw new MessageError('device.elevenLabsKey must not contain control characters');
  const seq = o.seq;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0 || seq > MAX_SPEAK_SEQ) throw new MessageError(`seq must be a whole number from 0 to ${MAX_SPEAK_SEQ}`);
  return {
    replyId: string(o.replyId, 'replyId', MAX_REPLY_ID, { min: 1 }),
    seq,
    text: string(o.text, 'text', MAX_SEGMENT_CHARS * 2, { min: 1 }),
    voice: voiceChoice(o.voice),
    device: { openai: openai ? { url: openai.url, model: openai.model, ...(openai.apiKey ? { apiKey: openai.apiKey } : {}) } : null, elevenLabsKey },
  };
}

function validateListenRequest(value: unknown): ListenRequest {
  const o = object(value, 'payload');
  if (typeof o.autoSend !== 'boolean') throw new MessageError('autoSend must be true or false');
  if (o.endpoint === null) return { endpoint: null, autoSend: o.autoSend };
  const e = object(o.endpoint, 'endpoint');
  const endpoint: ListenEndpoint = { url: string(e.url, 'endpoint.url', MAX_REQUEST_URL, { min: 1 }), model: string(e.model, 'endpoint.model', MAX_MODEL_NAME, { min: 1 }) };
  if (!/^https?:\/\//i.test(endpoint.url)) throw new MessageError('endpoint.url must be an http or https address');
  if (e.apiKey !== undefined) endpoint.apiKey = string(e.apiKey, 'endpoint.apiKey', MAX_API_KEY, { min: 1 });
  return { endpoint, autoSend: o.autoSend };
}

/** Requests, as the offscreen document checks them. */
export const OFFSCREEN_VALIDATORS: Validators<OffscreenApi> = {
  'offscreen.ping': () => ({}),
  'summary.run': validateSummaryRequest,
  'voice.play': validatePlayRequest,
  'voice.stop': () => ({}),
  'voice.state': () => ({}),
  'voice.listen.start': () => ({}),
  'voice.listen.stop': validateListenRequest,
  'voice.listen.retry': validateListenRequest,
  'voice.handsFree.start': (p) => ({ ...validateListenRequest(p), endOfTurnMs: endOfTurnMs(object(p, 'payload').endOfTurnMs) }),
  'voice.handsFree.stop': () => ({}),
  'voice.handsFree.poll': validateHandsFreePoll,
  'voice.handsFree.replyDone': () => ({}),
};

/** Answers, as the background checks them. */
export const OFFSCREEN_ANSWER_VALIDATORS: { [T in OffscreenType]: (value: unknown) => OffscreenResponse<T> } = {
  'offscreen.ping': (value) => {
    const o = object(value, 'answer');
    if (o.version !== OFFSCREEN_PROTOCOL_VERSION) throw new MessageError(`the offscreen document speaks version ${String(o.version)}, not ${OFFSCREEN_PROTOCOL_VERSION}`);
    return typeof o.busy === 'boolean' ? { version: OFFSCREEN_PROTOCOL_VERSION, busy: o.busy } : { version: OFFSCREEN_PROTOCOL_VERSION };
  },
  'summary.run': validateSummaryResult,
  'voice.play': () => null,
  'voice.stop': () => null,
  'voice.state': (value) => validatePlaybackState(value),
  'voice.listen.start': validateListenStart,
  'voice.listen.stop': validateListenResult,
  'voice.listen.retry': validateListenResult,
  'voice.handsFree.start': validateListenStart,
  'voice.handsFree.stop': () => null,
  'voice.handsFree.poll': validateHandsFreeAnswer,
  'voice.handsFree.replyDone': () => null,
};

/** Validates the answer envelope itself: `{ok:true,value}` (value checked by type) or `{ok:false,error}`. */
export function validateOffscreenResult<T extends OffscreenType>(type: T, answer: unknown): OffscreenResult<OffscreenResponse<T>> {
  const o = object(answer, 'answer');
  if (o.ok === true) return { ok: true, value: OFFSCREEN_ANSWER_VALIDATORS[type](o.value) as OffscreenResponse<T> };
  if (o.ok === false) {
    const error = object(o.error, 'answer.error');
    return { ok: false, error: { code: string(error.code, 'answer.error.code', 100, { min: 1 }), message: string(error.message, 'answer.error.message', 2_000) } };
  }
  throw new MessageError('answer.ok must be true or false');
}

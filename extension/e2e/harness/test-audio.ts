/**
 * The test LLM's OpenAI-compatible audio endpoints (routed from test-llm.ts):
 * - `POST /v1/audio/transcriptions` (STT): multipart `file` + `model`; answers `{ text }` from the
 *   transcript the test scripted, and records each upload (byte length, content type, fields).
 * - `POST /v1/audio/speech` (TTS): JSON `{ model, input, voice, speed, response_format }`; answers a
 *   real WAV of `input` made by espeak-ng, and records each request in order. A test can hold the
 *   answer (`beforeAudio`), delay its first byte (`delayMs`, for benches) or make it fail (`raw`).
 */
import type { ServerResponse } from 'node:http';
import { espeakWav } from './espeak-wav.ts';
import { multipartBoundary, parseMultipart } from './multipart.ts';

/** Answer of a transcription when the test scripted none. */
export const DEFAULT_TRANSCRIPT = 'Hello from the test microphone.';

/**
 * Longest `input` the speech endpoint takes: OpenAI's documented limit, so a client that would be
 * refused by the real API is refused here too.
 */
export const MAX_SPEECH_INPUT_CHARS = 4096;

/** A scripted non-audio answer: any status, body and content type (the error modes). */
export interface AudioRawReply {
  status: number;
  body: string;
  contentType?: string;
}

/** One transcription upload as the server saw it. */
export interface TranscriptionRequest {
  /** The form's `model` field. */
  model: string | undefined;
  /** The `file` part's file name and Content-Type, as the client sent them. */
  fileName: string | undefined;
  contentType: string | undefined;
  /** Byte length of the uploaded audio. */
  bytes: number;
  audio: Buffer;
  /** Every text field of the form (`model`, `language`, `prompt`, `response_format`…). */
  fields: Record<string, string>;
  /** `Date.now()` at arrival. */
  at: number;
}

/** The transcript to answer: text (`''` for the empty-transcript case) or a raw reply (the error mode). */
export type TranscriptReply = string | AudioRawReply;
/** Decides the answer to one upload. */
export type TranscriptScript = (req: TranscriptionRequest) => TranscriptReply | Promise<TranscriptReply>;

/** One speech request as the server saw it (the JSON fields as sent). */
export interface SpeechRequest {
  model: string | undefined;
  input: string;
  voice: string | undefined;
  speed: number | undefined;
  response_format: string | undefined;
  /** `Date.now()` at arrival. */
  at: number;
  /** `Date.now()` when the audio's first byte was sent (the bench times playback from it). */
  respondedAt?: number;
}

/** How to answer one speech request; every field optional (the default is the WAV at once). */
export interface SpeechReply {
  /** Waits this long before the first byte: a slow TTS server, for benches. */
  delayMs?: number;
  /** Awaited before the first byte, so a test can hold the audio without sleeping. */
  beforeAudio?: () => Promise<void> | void;
  /** Answer this instead of audio (the error mode). */
  raw?: AudioRawReply;
}
export type SpeechScript = (req: SpeechRequest) => SpeechReply | undefined | Promise<SpeechReply | undefined>;

export interface AudioEndpoints {
  readonly transcriptions: readonly TranscriptionRequest[];
  readonly speeches: readonly SpeechRequest[];
  /**
   * Scripts transcription answers: a text for every upload, a list served in order (an upload past
   * its end gets a 500), or a function. No argument restores DEFAULT_TRANSCRIPT.
   */
  setTranscript(script?: string | readonly string[] | TranscriptScript): void;
  /** Scripts speech answers (delay, hold, error); no argument restores the plain WAV. */
  setSpeechReply(script?: SpeechScript | SpeechReply): void;
  /** Forgets recorded requests and scripts. */
  reset(): void;
  transcribe(res: ServerResponse, headers: Record<string, string>, body: Buffer): Promise<void>;
  speak(res: ServerResponse, json: unknown): Promise<void>;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Creates the endpoints' state; `cors` are the headers every answer carries (the extension calls from its own origin). */
export function createAudioEndpoints(cors: Readonly<Record<string, string>>): AudioEndpoints {
  const transcriptions: TranscriptionRequest[] = [];
  const speeches: SpeechRequest[] = [];
  let transcriptScript: TranscriptScript | undefined;
  let speechScript: SpeechScript | undefined;

  const sendJson = (res: ServerResponse, status: number, value: unknown): void => {
    res.writeHead(status, { ...cors, 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const sendRaw = (res: ServerResponse, reply: AudioRawReply): void => {
    res.writeHead(reply.status, { ...cors, 'content-type': reply.contentType ?? 'application/json' });
    res.end(reply.body);
  };
  const invalid = (res: ServerResponse, message: string): void => sendJson(res, 400, { error: { message, type: 'invalid_request_error' } });

  return {
    transcriptions,
    speeches,
    setTranscript(script) {
      if (script === undefined || typeof script === 'function') {
        transcriptScript = script;
      } else if (typeof script === 'string') {
        transcriptScript = () => script;
      } else {
        const queue = [...script];
        transcriptScript = () => queue.shift() ?? { status: 500, body: JSON.stringify({ error: { message: 'test LLM: no scripted transcript left', type: 'test_llm_error' } }) };
      }
    },
    setSpeechReply(script) {
      speechScript = script === undefined || typeof script === 'function' ? script : () => script;
    },
    reset() {
      transcriptions.length = 0;
      speeches.length = 0;
      transcriptScript = undefined;
      speechScript = undefined;
    },

    async transcribe(res, headers, body) {
      const boundary = multipartBoundary(headers['content-type']);
      if (boundary === null) return invalid(res, 'expected a multipart/form-data body');
      const parts = parseMultipart(body, boundary);
      if (parts === null) return invalid(res, 'the multipart body is malformed');
      const file = parts.find((p) => p.name === 'file' && p.fileName !== undefined);
      if (!file) return invalid(res, "the form has no 'file'");
      const fields: Record<string, string> = {};
      for (const part of parts) if (part.fileName === undefined) fields[part.name] = part.data.toString('utf8');
      if (!fields['model']) return invalid(res, "the form has no 'model'");
      const request: TranscriptionRequest = { model: fields['model'], fileName: file.fileName, contentType: file.contentType, bytes: file.data.length, audio: file.data, fields, at: Date.now() };
      transcriptions.push(request);
      const reply = transcriptScript ? await transcriptScript(request) : DEFAULT_TRANSCRIPT;
      if (typeof reply !== 'string') return sendRaw(res, reply);
      const format = fields['response_format'] ?? 'json';
      if (format === 'text') {
        res.writeHead(200, { ...cors, 'content-type': 'text/plain; charset=utf-8' });
        res.end(reply);
        return;
      }
      if (format === 'verbose_json') return sendJson(res, 200, { task: 'transcribe', language: fields['language'] ?? 'english', duration: 0, text: reply, segments: [] });
      sendJson(res, 200, { text: reply });
    },

    async speak(res, json) {
      const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : null;
      if (body === null) return invalid(res, 'expected a JSON body');
      const input = body['input'];
      if (typeof input !== 'string' || input.trim() === '') return invalid(res, "'input' should be non-empty text");
      if (input.length > MAX_SPEECH_INPUT_CHARS) return invalid(res, `'input' is longer than ${MAX_SPEECH_INPUT_CHARS} characters`);
      const speed = body['speed'];
      if (speed !== undefined && (typeof speed !== 'number' || speed < 0.25 || speed > 4)) return invalid(res, "'speed' should be a number from 0.25 to 4");
      const request: SpeechRequest = {
        model: asString(body['model']),
        input,
        voice: asString(body['voice']),
        speed,
        response_format: asString(body['response_format']),
        at: Date.now(),
      };
      speeches.push(request);
      const reply = (await speechScript?.(request)) ?? {};
      // espeak runs while the delay and the hold run, so `delayMs` is the time to the first byte
      // (when longer than espeak's few tens of ms), not added to it.
      const making = reply.raw ? Promise.resolve(null) : espeakWav(input, speed === undefined ? {} : { speed });
      const waiting = reply.delayMs ? new Promise((resolve) => setTimeout(resolve, reply.delayMs)) : Promise.resolve();
      const [wav] = await Promise.all([making, waiting, reply.beforeAudio?.()]);
      if (res.destroyed) return;
      if (reply.raw) return sendRaw(res, reply.raw);
      // Always WAV, whatever `response_format` asked (mp3 is OpenAI's default): browsers sniff the
      // bytes, and the request keeps what the client asked for.
      request.respondedAt = Date.now();
      res.writeHead(200, { ...cors, 'content-type': 'audio/wav', 'content-length': String(wav!.length) });
      res.end(wav);
    },
  };
}

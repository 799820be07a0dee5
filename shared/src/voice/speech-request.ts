/**
 * The HTTP request that asks a TTS provider to say one segment: pure data (URL, headers, JSON body),
 * so the offscreen player and the options page's Test build exactly the same request.
 *
 * - OpenAI-compatible (OpenAI, Kokoro-FastAPI, openedai-speech, LocalAI): `POST {base}/audio/speech`
 *   with `{model, input, voice, speed, response_format: 'wav'}`, `Authorization: Bearer` when a key is set.
 * - ElevenLabs: `POST https://api.elevenlabs.io/v1/text-to-speech/{voice}` with `xi-api-key`; its speed
 *   setting takes 0.7-1.2 only, so the character's speed is clamped there.
 */
import { VoiceError } from './errors.ts';
import type { VoiceChoice } from './voice-settings.ts';

/** ElevenLabs' API (fixed: the key is only ever sent here). */
export const ELEVENLABS_API = 'https://api.elevenlabs.io/v1';
/** ElevenLabs' default model when the character names none: its low-latency one. */
export const ELEVENLABS_DEFAULT_MODEL = 'eleven_flash_v2_5';
/** ElevenLabs' `voice_settings.speed` range. */
export const ELEVENLABS_MIN_SPEED = 0.7;
export const ELEVENLABS_MAX_SPEED = 1.2;

/** The device's OpenAI-compatible speech endpoint: base URL (`…/v1`) or the full `…/audio/speech` URL. */
export interface SpeechEndpoint {
  url: string;
  /** Used when the character's voice names no model. */
  model: string;
  apiKey?: string;
}

export interface SpeechHttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * `…/v1` → `…/v1/audio/speech`; a URL already ending in `/audio/speech` is kept; a bare origin gets `/v1`.
 * @example speechUrl('http://127.0.0.1:8880/v1') // 'http://127.0.0.1:8880/v1/audio/speech'
 */
export function speechUrl(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, '');
  if (/\/audio\/speech$/.test(trimmed)) return trimmed;
  if (/\/v\d+$/.test(trimmed)) return `${trimmed}/audio/speech`;
  return `${trimmed}/v1/audio/speech`;
}

/**
 * The request for `text` in `voice`. Throws VoiceError('voice/no-endpoint') when the provider needs
 * a device setting that is missing, and for 'browser' (spoken by speechSynthesis, not over HTTP).
 */
export function speechHttpRequest(voice: VoiceChoice, text: string, device: { openai: SpeechEndpoint | null; elevenLabsKey: string | null }): SpeechHttpRequest {
  if (voice.provider === 'openai-compatible') {
    const endpoint = device.openai;
    if (!endpoint) throw new VoiceError('voice/no-endpoint', 'No speech endpoint is set: add one in Troupe\'s options → Voice.');
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'audio/wav' };
    if (endpoint.apiKey) headers['authorization'] = `Bearer ${endpoint.apiKey}`;
    const body = { model: voice.model ?? endpoint.model, input: text, voice: voice.voice, speed: voice.speed, response_format: 'wav' };
    return { url: speechUrl(endpoint.url), headers, body: JSON.stringify(body) };
  }
  if (voice.provider === 'elevenlabs') {
    if (!device.elevenLabsKey) throw new VoiceError('voice/no-endpoint', 'No ElevenLabs API key is set: add one in Troupe\'s options → Voice.');
    const speed = Math.min(ELEVENLABS_MAX_SPEED, Math.max(ELEVENLABS_MIN_SPEED, voice.speed));
    return {
      url: `${ELEVENLABS_API}/text-to-speech/${encodeURIComponent(voice.voice)}`,
      headers: { 'content-type': 'application/json', accept: 'audio/mpeg', 'xi-api-key': device.elevenLabsKey },
      body: JSON.stringify({ text, model_id: voice.model ?? ELEVENLABS_DEFAULT_MODEL, voice_settings: { speed } }),
    };
  }
  throw new VoiceError('voice/no-endpoint', 'Browser voices are spoken by the browser itself, not over HTTP.');
}

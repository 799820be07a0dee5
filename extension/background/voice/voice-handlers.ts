/**
 * Voice in the background (issue #12): the device's speech settings (options page), a chat's voice
 * (its character's, in the card; its read-aloud switch, in the chat's settings) and the sentences to
 * speak, handed to the offscreen document with what fetching their audio needs. Keys are opened here
 * and travel only on the offscreen channel; no answer carries one.
 */
import { encodeWav16, readTranscription, readVoiceSettings, speechFailure, speechHttpRequest, transcriptionTarget, withoutKeys, type VoiceProvider, type VoiceSettings } from '@troupe/shared/voice';
import type { MicrophonePermission, TranscriptionTestResult, VoiceApi, VoiceChatView, VoiceDeviceView, VoiceSettingsApi, VoiceTestResult } from '../../messaging/protocols/voice-protocol.ts';
import { IDLE_PLAYBACK } from '../../messaging/protocols/voice-protocol.ts';
import { HANDS_FREE_OFF } from '../../messaging/protocols/hands-free.ts';
import { VOICE_TEST_TIMEOUT_MS } from '../../messaging/limits/voice.ts';
import type { Character } from '@troupe/shared/cards';
import type { ChatSettings } from '../../messaging/chat-settings.ts';
import type { OffscreenHost } from '../offscreen/offscreen-host.ts';
import type { Handlers } from '../handlers/types.ts';
import type { VoiceDevice, VoiceDeviceStore } from './voice-device-store.ts';

/** What the Test button asks the endpoint to say. */
export const TEST_SENTENCE = 'Hello from Troupe. This is how I sound.';

/** Test transcription's clip: half a second of silence at whisper's 16 kHz (16 KB; no voice of anyone's is sent). */
const TEST_CLIP_SAMPLES = 8_000;

/** The voice handlers' view of the rest of the background. */
export interface VoiceDeps {
  device: Pick<VoiceDeviceStore, 'load' | 'save'>;
  host: Pick<OffscreenHost, 'call' | 'adopt' | 'ensure'>;
  /** The chat's character id, or null. */
  characterOf(chatKey: string): Promise<string | null>;
  card(characterId: string): Promise<Character | null>;
  name(characterId: string): Promise<string | null>;
  setVoice(characterId: string, voice: VoiceSettings | null): Promise<void>;
  chatSettings(chatKey: string): Promise<ChatSettings>;
  setReadAloud(chatKey: string, on: boolean): Promise<void>;
  fetch: typeof fetch;
  now?: () => number;
  /** The extension origin's microphone permission; 'unknown' where the browser will not say. */
  microphone?: () => Promise<MicrophonePermission>;
}

export class VoiceHandlerError extends Error {
  constructor(readonly code: 'voice/no-character' | 'voice/no-voice', message: string) {
    super(message);
    this.name = 'VoiceHandlerError';
  }
}

const deviceView = (device: VoiceDevice): VoiceDeviceView => ({
  openai: device.openai ? { url: device.openai.url, model: device.openai.model, hasKey: device.openai.apiKey !== undefined } : null,
  elevenLabs: { hasKey: device.elevenLabsKey !== null },
  transcription: device.transcription ? { url: device.transcription.url, model: device.transcription.model, hasKey: device.transcription.apiKey !== undefined } : null,
  autoSend: device.autoSend,
  endOfTurnMs: device.endOfTurnMs,
});

/** The options page's Voice settings. */
export function voiceSettingsHandlers(deps: Pick<VoiceDeps, 'device' | 'fetch' | 'now'>): Handlers<VoiceSettingsApi> {
  const now = deps.now ?? Date.now;
  return {
    'voice.device.get': async () => deviceView(await deps.device.load()),
    'voice.device.update': async (change) => {
      await deps.device.save(change);
      return deviceView(await deps.device.load());
    },
    'voice.device.test': async ({ provider, voice }): Promise<VoiceTestResult> => {
      const device = await deps.device.load();
      const keys = [device.openai?.apiKey, device.elevenLabsKey];
      let request;
      try {
        request = speechHttpRequest({ provider, voice, speed: 1 }, TEST_SENTENCE, device);
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
      const started = now();
      try {
        const response = await deps.fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(VOICE_TEST_TIMEOUT_MS) });
        if (!response.ok) return { ok: false, message: withoutKeys(await speechFailure(response), keys) };
        const contentType = response.headers.get('content-type') ?? 'unknown';
        const bytes = (await response.arrayBuffer()).byteLength;
        if (!/^audio\//i.test(contentType) || bytes === 0) return { ok: false, message: `The endpoint answered ${bytes} bytes of ${contentType}, not audio.` };
        return { ok: true, bytes, contentType, ms: now() - started };
      } catch (error) {
        const words = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${VOICE_TEST_TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
        return { ok: false, message: withoutKeys(`Could not reach ${hostOf(request.url)}: ${words}.`, keys) };
      }
    },
    'voice.device.testTranscription': async () => testTranscription(await deps.device.load(), deps.fetch, now),
  };
}

async function testTranscription(device: VoiceDevice, fetcher: typeof fetch, now: () => number): Promise<TranscriptionTestResult> {
  const endpoint = device.transcription;
  if (!endpoint) return { ok: false, message: 'No transcription endpoint is set: save one above first.' };
  const target = transcriptionTarget(endpoint);
  const body = new FormData();
  body.append('file', new Blob([encodeWav16(new Float32Array(TEST_CLIP_SAMPLES), 16_000)], { type: 'audio/wav' }), 'speech.wav');
  body.append('model', endpoint.model);
  body.append('response_format', 'json');
  const started = now();
  let response: Response;
  try {
    response = await fetcher(target.url, { method: 'POST', headers: target.headers, body, signal: AbortSignal.timeout(VOICE_TEST_TIMEOUT_MS) });
  } catch (error) {
    const words = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${VOICE_TEST_TIMEOUT_MS / 1000} s` : error instanceof Error ? error.message : String(error);
    return { ok: false, message: withoutKeys(`Could not reach ${hostOf(target.url)}: ${words}.`, [endpoint.apiKey]) };
  }
  const read = await readTranscription(response);
  if (read.ok) return { ok: true, text: read.text, ms: now() - started };
  // Silence heard as nothing is the answer a working endpoint gives.
  if (read.code === 'empty-transcript') return { ok: true, text: null, ms: now() - started };
  return { ok: false, message: withoutKeys(read.message, [endpoint.apiKey]) };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

/**
 * How long a chat's voice, once read, serves its sentences: a reply's sentences come within seconds, and
 * reading the card and opening the device's keys for each would add milliseconds to every sentence's way
 * to TTS (the issue asks < 20 ms). Every view of the chat (the panel's, its own changes' answers, the
 * reader's at a reply's start) refreshes it; changes made elsewhere show within this.
 */
export const SPEAKING_CACHE_MS = 5_000;

/** A chat's voice as its sentences are spoken: the character's settings and the device's endpoints, keys opened. */
interface Speaking { settings: VoiceSettings; device: VoiceDevice }

/** The panel's Voice section and the content script's sentences. */
export function voiceHandlers(deps: VoiceDeps): Handlers<VoiceApi> {
  const now = deps.now ?? Date.now;
  const speakingCache = new Map<string, { at: number; value: Promise<Speaking | null> }>();
  /** The player's state, without starting the document for it (one a restarted service worker left is asked). */
  const playback = async () => ((await deps.host.adopt().catch(() => false)) ? deps.host.call('voice.state', {}, { passive: true }).catch(() => IDLE_PLAYBACK) : IDLE_PLAYBACK);

  async function view(chatKey: string): Promise<VoiceChatView> {
    const [characterId, settings, device] = await Promise.all([deps.characterOf(chatKey), deps.chatSettings(chatKey), deps.device.load()]);
    const ready: Record<VoiceProvider, boolean> = { 'openai-compatible': device.openai !== null, elevenlabs: device.elevenLabsKey !== null, browser: true };
    const base = { chatKey, readAloud: settings.readAloud, ready, playback: await playback() };
    if (!characterId) return { ...base, character: null, voice: null, problem: null };
    const [card, name] = await Promise.all([deps.card(characterId), deps.name(characterId)]);
    const read = card ? readVoiceSettings(card) : null;
    const voice = read?.status === 'ok' ? read.settings : null;
    // The reader asks for the view at a reply's first text: its sentences then find the voice read.
    remember(chatKey, Promise.resolve(settings.readAloud && voice ? { settings: voice, device } : null));
    return {
      ...base,
      character: { id: characterId, name: name ?? 'Character' },
      voice,
      problem: read && read.status !== 'ok' && read.status !== 'absent' ? read.errors.map((e) => e.message).join(' ') : null,
    };
  }

  /** The voice a sentence of this chat is spoken in and the device's endpoints, or null when the chat does not read aloud. */
  async function readSpeaking(chatKey: string): Promise<Speaking | null> {
    const [characterId, settings] = await Promise.all([deps.characterOf(chatKey), deps.chatSettings(chatKey)]);
    if (!characterId || !settings.readAloud) return null;
    const [card, device] = await Promise.all([deps.card(characterId), deps.device.load()]);
    const read = card ? readVoiceSettings(card) : null;
    return read?.status === 'ok' ? { settings: read.settings, device } : null;
  }

  function remember(chatKey: string, value: Promise<Speaking | null>): Promise<Speaking | null> {
    value.catch(() => speakingCache.delete(chatKey));
    speakingCache.set(chatKey, { at: now(), value });
    // Only the chats being read now: a handful.
    for (const [key, entry] of speakingCache) if (now() - entry.at >= SPEAKING_CACHE_MS) speakingCache.delete(key);
    return value;
  }

  function speaking(chatKey: string): Promise<Speaking | null> {
    const cached = speakingCache.get(chatKey);
    return cached && now() - cached.at < SPEAKING_CACHE_MS ? cached.value : remember(chatKey, readSpeaking(chatKey));
  }

  /** Where a clip goes (keys opened here, sent to the offscreen document only) and whether to send its text. */
  async function listening() {
    const device = await deps.device.load();
    return { endpoint: device.transcription, autoSend: device.autoSend };
  }

  return {
    'voice.get': async ({ chatKey, forReply }) => {
      const shown = await view(chatKey);
      // A reply is starting and will be spoken: the document (gone after an idle while, with a stopped
      // service worker) starts now, not when its first sentence is complete.
      if (forReply && shown.readAloud && shown.voice) deps.host.ensure().catch(() => {});
      return shown;
    },
    'voice.character.set': async ({ chatKey, voice }) => {
      const characterId = await deps.characterOf(chatKey);
      if (!characterId) throw new VoiceHandlerError('voice/no-character', 'A voice belongs to a character: give this chat a character first.');
      await deps.setVoice(characterId, voice);
      return view(chatKey);
    },
    'voice.readAloud.set': async ({ chatKey, on }) => {
      await deps.setReadAloud(chatKey, on);
      if (!on && (await deps.host.adopt().catch(() => false))) await deps.host.call('voice.stop', {}).catch(() => null);
      return view(chatKey);
    },
    'voice.speak': async ({ chatKey, replyId, seq, text, speaker }) => {
      const chat = await speaking(chatKey);
      if (!chat) return null;
      const { settings, device } = chat;
      const voice = speaker === 'narrator' && settings.narratorVoice ? settings.narratorVoice : settings;
      const choice = { provider: voice.provider, voice: voice.voice, speed: voice.speed, ...(voice.model ? { model: voice.model } : {}) };
      await deps.host.call('voice.play', { replyId, seq, text, voice: choice, device: { openai: device.openai, elevenLabsKey: device.elevenLabsKey } });
      return null;
    },
    'voice.stop': async () => {
      // Audio keeps playing in a document the service worker's restart left behind: that one is stopped too.
      if (await deps.host.adopt().catch(() => false)) await deps.host.call('voice.stop', {}).catch(() => null);
      return null;
    },
    'voice.state': () => playback(),
    'voice.listen.start': () => deps.host.call('voice.listen.start', {}),
    'voice.listen.stop': async () => deps.host.call('voice.listen.stop', await listening()),
    'voice.listen.retry': async () => deps.host.call('voice.listen.retry', await listening()),
    'voice.microphone': async () => ({ state: deps.microphone ? await deps.microphone().catch(() => 'unknown' as const) : 'unknown' }),
    'voice.handsFree.start': async () => {
      const device = await deps.device.load();
      return deps.host.call('voice.handsFree.start', { endpoint: device.transcription, autoSend: device.autoSend, endOfTurnMs: device.endOfTurnMs });
    },
    'voice.handsFree.stop': async () => {
      if (await deps.host.adopt().catch(() => false)) await deps.host.call('voice.handsFree.stop', {});
      return null;
    },
    // Never starts the document: with none, no session runs.
    'voice.handsFree.poll': async (request) => ((await deps.host.adopt().catch(() => false)) ? deps.host.call('voice.handsFree.poll', request) : HANDS_FREE_OFF),
    'voice.handsFree.replyDone': async () => {
      if (await deps.host.adopt().catch(() => false)) await deps.host.call('voice.handsFree.replyDone', {}, { passive: true }).catch(() => null);
      return null;
    },
  };
}

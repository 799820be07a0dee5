import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { VOICE_SETTINGS_VALIDATORS as V } from '../../messaging/protocols/voice-protocol.ts';
import { CONTENT_SCRIPT_TYPES } from '../../messaging/runtime-protocol.ts';
import { voiceDeviceItem } from '../../messaging/storage/voice-device.ts';
import { DeviceKeys } from '../keys/device-key.ts';
import { VoiceDeviceStore } from './voice-device-store.ts';
import { TEST_SENTENCE, voiceSettingsHandlers } from './voice-handlers.ts';
import { DEFAULT_END_OF_TURN_MS } from '@troupe/shared/voice';

afterEach(() => { fakeBrowser.reset(); });

const KEY = 'sk-speech-very-secret-42';
const XI = 'xi-eleven-very-secret-42';
const store = () => new VoiceDeviceStore(new DeviceKeys(`test-keys-${crypto.randomUUID()}`));

function fakeFetch(answer: (url: string, init: RequestInit) => Response | Error) {
  const asked: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    asked.push({ url, init });
    const out = answer(url, init);
    if (out instanceof Error) throw out;
    return out;
  }) as unknown as typeof globalThis.fetch;
  return { asked, fetch };
}

describe('voice device settings', () => {
  it('keep the endpoint and keys on this device, sealed, and answer only whether a key is saved', async () => {
    const device = store();
    const handlers = voiceSettingsHandlers({ device, fetch: fakeFetch(() => new Response()).fetch });
    expect(await handlers['voice.device.get']({})).toEqual({ openai: null, elevenLabs: { hasKey: false }, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
    const saved = await handlers['voice.device.update']({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY }, elevenLabsKey: XI });
    expect(saved).toEqual({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', hasKey: true }, elevenLabs: { hasKey: true }, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
    const stored = JSON.stringify(await voiceDeviceItem.getValue());
    expect(stored).not.toContain(KEY);
    expect(stored).not.toContain(XI);
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
    expect(await device.load()).toEqual({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY }, elevenLabsKey: XI, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
    // Same origin keeps the key; another origin drops it; null removes the ElevenLabs key.
    await handlers['voice.device.update']({ openai: { url: 'http://127.0.0.1:8880/v1/', model: 'kokoro' } });
    expect((await device.load()).openai?.apiKey).toBe(KEY);
    await handlers['voice.device.update']({ openai: { url: 'https://tts.example/v1', model: 'kokoro' } });
    expect((await device.load()).openai?.apiKey).toBeUndefined();
    expect(await handlers['voice.device.update']({ elevenLabsKey: null })).toMatchObject({ elevenLabs: { hasKey: false } });
  });

  it('keep the transcription endpoint with its own sealed key, and auto-send', async () => {
    const device = store();
    const handlers = voiceSettingsHandlers({ device, fetch: fakeFetch(() => new Response()).fetch });
    await handlers['voice.device.update']({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY } });
    const saved = await handlers['voice.device.update']({ transcription: { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', apiKey: 'sk-stt-secret' }, autoSend: false });
    expect(saved).toMatchObject({ openai: { hasKey: true }, transcription: { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', hasKey: true }, autoSend: false });
    expect(JSON.stringify(await voiceDeviceItem.getValue())).not.toContain('sk-stt-secret');
    expect((await device.load()).transcription).toEqual({ url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', apiKey: 'sk-stt-secret' });
    expect((await device.load()).openai?.apiKey).toBe(KEY);
    await handlers['voice.device.update']({ transcription: null });
    expect(await handlers['voice.device.get']({})).toMatchObject({ transcription: null, autoSend: false });
    expect(() => V['voice.device.update']({ transcription: { url: 'ftp://x', model: 'whisper-1' } })).toThrow(/transcription endpoint URL must be an http or https address/);
    expect(() => V['voice.device.update']({ autoSend: 'yes' })).toThrow(/autoSend must be true or false/);
  });

  it('migrate format 1 in storage: speech settings kept, auto-send on', async () => {
    await fakeBrowser.storage.local.set({ 'voice.device': { version: 1, openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', key: null }, elevenLabsKey: null } });
    await voiceDeviceItem.migrate();
    expect(await voiceDeviceItem.getValue()).toEqual({ version: 3, openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', key: null }, elevenLabsKey: null, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
  });

  it('are for Troupe\'s own pages only, and refuse a bad address or an empty key in words', () => {
    for (const type of ['voice.device.get', 'voice.device.update', 'voice.device.test'] as const) expect(CONTENT_SCRIPT_TYPES.has(type)).toBe(false);
    expect(() => V['voice.device.update']({ openai: { url: 'ftp://x', model: 'tts-1' } })).toThrow(/speech endpoint URL must be an http or https address/);
    expect(() => V['voice.device.update']({ openai: { url: 'http://user:pw@x/v1', model: 'tts-1' } })).toThrow(/user name or password/);
    expect(() => V['voice.device.update']({ elevenLabsKey: '  ' })).toThrow(/must not be empty/);
    expect(() => V['voice.device.update']({})).toThrow(/must be given/);
  });

  it('Test asks the endpoint to say a sentence and reports bytes and type, or the failure in words without the key', async () => {
    const device = store();
    await device.save({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY } });
    const good = fakeFetch(() => new Response(new Uint8Array(44), { headers: { 'content-type': 'audio/wav' } }));
    const result = await voiceSettingsHandlers({ device, fetch: good.fetch })['voice.device.test']({ provider: 'openai-compatible', voice: 'alloy' });
    expect(result).toMatchObject({ ok: true, bytes: 44, contentType: 'audio/wav' });
    expect(good.asked[0]!.url).toBe('http://127.0.0.1:8880/v1/audio/speech');
    expect(JSON.parse(good.asked[0]!.init.body as string)).toMatchObject({ input: TEST_SENTENCE, voice: 'alloy', model: 'tts-1', response_format: 'wav' });

    const refused = fakeFetch(() => new Response(JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }), { status: 401 }));
    const denied = await voiceSettingsHandlers({ device, fetch: refused.fetch })['voice.device.test']({ provider: 'openai-compatible', voice: 'alloy' });
    expect(denied).toEqual({ ok: false, message: 'Speech failed: the endpoint refused the API key (401): Incorrect API key provided: [key].' });

    const down = fakeFetch(() => new TypeError('Failed to fetch'));
    expect(await voiceSettingsHandlers({ device, fetch: down.fetch })['voice.device.test']({ provider: 'openai-compatible', voice: 'alloy' }))
      .toEqual({ ok: false, message: 'Could not reach 127.0.0.1:8880: Failed to fetch.' });
    const notAudio = fakeFetch(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    expect(await voiceSettingsHandlers({ device, fetch: notAudio.fetch })['voice.device.test']({ provider: 'openai-compatible', voice: 'alloy' }))
      .toMatchObject({ ok: false, message: expect.stringContaining('not audio') });
    expect(await voiceSettingsHandlers({ device, fetch: good.fetch })['voice.device.test']({ provider: 'elevenlabs', voice: 'v1' }))
      .toMatchObject({ ok: false, message: expect.stringContaining('No ElevenLabs API key') });
  });

  it('keeps the end-of-turn silence within its range, and migrates format 2 to the default', async () => {
    const device = store();
    const handlers = voiceSettingsHandlers({ device, fetch: fakeFetch(() => new Error('unused')).fetch });
    expect(await handlers['voice.device.update']({ endOfTurnMs: 900 })).toMatchObject({ endOfTurnMs: 900 });
    expect((await device.load()).endOfTurnMs).toBe(900);
    expect(() => V['voice.device.update']({ endOfTurnMs: 100 })).toThrow(/end-of-turn silence must be a whole number of milliseconds from 250 to 3000/);
    expect(() => V['voice.device.update']({ endOfTurnMs: 600.5 })).toThrow(/end-of-turn silence/);
    await fakeBrowser.storage.local.set({ 'voice.device': { version: 2, openai: null, elevenLabsKey: null, transcription: null, autoSend: false }, 'voice.device$': { v: 2 } });
    await voiceDeviceItem.migrate();
    expect(await voiceDeviceItem.getValue()).toMatchObject({ version: 3, autoSend: false, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
  });

  it('Test transcription posts a short silent WAV: silence heard as nothing is a pass; a refused key is said without the key', async () => {
    const device = store();
    const handlers = (fetch: typeof globalThis.fetch) => voiceSettingsHandlers({ device, fetch });
    expect(await handlers(fakeFetch(() => new Error('unused')).fetch)['voice.device.testTranscription']({})).toMatchObject({ ok: false, message: expect.stringContaining('No transcription endpoint') });
    await device.save({ transcription: { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', apiKey: KEY } });
    const silent = fakeFetch(() => new Response(JSON.stringify({ text: '' }), { headers: { 'content-type': 'application/json' } }));
    expect(await handlers(silent.fetch)['voice.device.testTranscription']({})).toMatchObject({ ok: true, text: null });
    expect(silent.asked[0]!.url).toBe('http://127.0.0.1:9000/v1/audio/transcriptions');
    const file = (silent.asked[0]!.init.body as FormData).get('file') as File;
    expect([file.type, file.size]).toEqual(['audio/wav', 44 + 16_000]);
    const refused = fakeFetch(() => new Response(JSON.stringify({ error: { message: `Bad key ${KEY}` } }), { status: 401 }));
    const denied = await handlers(refused.fetch)['voice.device.testTranscription']({});
    expect(denied).toMatchObject({ ok: false, message: expect.stringContaining('refused the API key (401)') });
    expect(JSON.stringify(denied)).not.toContain(KEY);
    expect(CONTENT_SCRIPT_TYPES.has('voice.device.testTranscription')).toBe(false);
  });
});

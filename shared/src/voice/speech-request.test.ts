import { describe, expect, it } from 'vitest';
import { speechHttpRequest, speechUrl } from './speech-request.ts';

const device = { openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1' }, elevenLabsKey: 'xi-secret' };

describe('speech requests', () => {
  it('completes base URLs to /audio/speech', () => {
    expect(speechUrl('http://127.0.0.1:8880/v1')).toBe('http://127.0.0.1:8880/v1/audio/speech');
    expect(speechUrl('http://127.0.0.1:8880/v1/')).toBe('http://127.0.0.1:8880/v1/audio/speech');
    expect(speechUrl('https://api.openai.com')).toBe('https://api.openai.com/v1/audio/speech');
    expect(speechUrl('http://h/x/v1/audio/speech')).toBe('http://h/x/v1/audio/speech');
  });

  it('asks an OpenAI-compatible endpoint for WAV with the voice, speed and model (the device default when the voice names none)', () => {
    const request = speechHttpRequest({ provider: 'openai-compatible', voice: 'af_bella', speed: 1.25 }, 'Hello there.', device);
    expect(request.url).toBe('http://127.0.0.1:8880/v1/audio/speech');
    expect(request.headers['authorization']).toBeUndefined();
    expect(JSON.parse(request.body)).toEqual({ model: 'tts-1', input: 'Hello there.', voice: 'af_bella', speed: 1.25, response_format: 'wav' });
    const keyed = speechHttpRequest({ provider: 'openai-compatible', voice: 'alloy', speed: 1, model: 'kokoro' }, 'Hi.', { ...device, openai: { ...device.openai, apiKey: 'sk-1' } });
    expect(keyed.headers['authorization']).toBe('Bearer sk-1');
    expect(JSON.parse(keyed.body).model).toBe('kokoro');
  });

  it('asks ElevenLabs with its key header and a clamped speed', () => {
    const request = speechHttpRequest({ provider: 'elevenlabs', voice: 'voice/1', speed: 3 }, 'Hi.', device);
    expect(request.url).toBe('https://api.elevenlabs.io/v1/text-to-speech/voice%2F1');
    expect(request.headers['xi-api-key']).toBe('xi-secret');
    expect(JSON.parse(request.body)).toEqual({ text: 'Hi.', model_id: 'eleven_flash_v2_5', voice_settings: { speed: 1.2 } });
  });

  it('says which setting is missing, and that browser voices are not HTTP', () => {
    expect(() => speechHttpRequest({ provider: 'openai-compatible', voice: 'a', speed: 1 }, 'x', { openai: null, elevenLabsKey: null })).toThrow(/No speech endpoint/);
    expect(() => speechHttpRequest({ provider: 'elevenlabs', voice: 'a', speed: 1 }, 'x', { openai: null, elevenLabsKey: null })).toThrow(/ElevenLabs API key/);
    expect(() => speechHttpRequest({ provider: 'browser', voice: 'a', speed: 1 }, 'x', device)).toThrow(/browser/);
  });
});

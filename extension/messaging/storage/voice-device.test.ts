import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_DEVICE, readableVoiceDevice } from './voice-device.ts';

describe('stored voice device settings', () => {
  const openai = { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', key: { iv: 'a', sealed: 'b' } };

  it('reads format 2 and turns anything else into the defaults', () => {
    const stored = { version: 2, openai, elevenLabsKey: null, transcription: { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', key: null }, autoSend: false };
    expect(readableVoiceDevice(stored)).toEqual(stored);
    expect(readableVoiceDevice({ ...stored, openai: { url: 'x', model: 'y', key: 'plain-text-key' } }).openai).toEqual({ url: 'x', model: 'y', key: null });
    expect(readableVoiceDevice({ ...stored, autoSend: 'yes' }).autoSend).toBe(true);
    expect(readableVoiceDevice({ version: 3 })).toEqual(DEFAULT_VOICE_DEVICE);
    expect(readableVoiceDevice(null)).toEqual(DEFAULT_VOICE_DEVICE);
  });

  it('migrates format 1: the speech settings kept, no transcription endpoint, auto-send on', () => {
    expect(readableVoiceDevice({ version: 1, openai, elevenLabsKey: { iv: 'c', sealed: 'd' } }))
      .toEqual({ version: 2, openai, elevenLabsKey: { iv: 'c', sealed: 'd' }, transcription: null, autoSend: true });
  });
});

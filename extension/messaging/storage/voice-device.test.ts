import { describe, expect, it } from 'vitest';
import { DEFAULT_VOICE_DEVICE, readableVoiceDevice } from './voice-device.ts';

describe('stored voice device settings', () => {
  it('reads format 1 and turns anything else into the defaults', () => {
    const stored = { version: 1, openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', key: { iv: 'a', sealed: 'b' } }, elevenLabsKey: null };
    expect(readableVoiceDevice(stored)).toEqual(stored);
    expect(readableVoiceDevice({ ...stored, openai: { url: 'x', model: 'y', key: 'plain-text-key' } }).openai).toEqual({ url: 'x', model: 'y', key: null });
    expect(readableVoiceDevice({ version: 2 })).toEqual(DEFAULT_VOICE_DEVICE);
    expect(readableVoiceDevice(null)).toEqual(DEFAULT_VOICE_DEVICE);
  });
});

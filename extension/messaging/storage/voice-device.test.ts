import { describe, expect, it } from 'vitest';
import { DEFAULT_END_OF_TURN_MS, MAX_END_OF_TURN_MS } from '@troupe/shared/voice';
import { DEFAULT_VOICE_DEVICE, readableVoiceDevice } from './voice-device.ts';

describe('stored voice device settings', () => {
  const openai = { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', key: { iv: 'a', sealed: 'b' } };
  const stored = { version: 3, openai, elevenLabsKey: null, transcription: { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1', key: null }, autoSend: false, endOfTurnMs: 800 };

  it('reads format 3 and turns anything else into the defaults', () => {
    expect(readableVoiceDevice(stored)).toEqual(stored);
    expect(readableVoiceDevice({ ...stored, openai: { url: 'x', model: 'y', key: 'plain-text-key' } }).openai).toEqual({ url: 'x', model: 'y', key: null });
    expect(readableVoiceDevice({ ...stored, autoSend: 'yes' }).autoSend).toBe(true);
    expect(readableVoiceDevice({ ...stored, endOfTurnMs: MAX_END_OF_TURN_MS + 1 }).endOfTurnMs).toBe(DEFAULT_END_OF_TURN_MS);
    expect(readableVoiceDevice({ version: 4 })).toEqual(DEFAULT_VOICE_DEVICE);
    expect(readableVoiceDevice(null)).toEqual(DEFAULT_VOICE_DEVICE);
  });

  it('migrates format 2: everything kept, the default end-of-turn silence', () => {
    const { endOfTurnMs: _, ...two } = stored;
    expect(readableVoiceDevice({ ...two, version: 2 })).toEqual({ ...stored, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
  });

  it('migrates format 1: the speech settings kept, no transcription endpoint, auto-send on', () => {
    expect(readableVoiceDevice({ version: 1, openai, elevenLabsKey: { iv: 'c', sealed: 'd' } }))
      .toEqual({ version: 3, openai, elevenLabsKey: { iv: 'c', sealed: 'd' }, transcription: null, autoSend: true, endOfTurnMs: DEFAULT_END_OF_TURN_MS });
  });
});

import { describe, expect, it } from 'vitest';
import type { Character, JsonObject, JsonValue } from '../cards/index.ts';
import { MAX_VOICE_ID_CHARS } from './limits.ts';
import { DEFAULT_READING_OPTIONS } from './reading-options.ts';
import { readVoiceSettings, VOICE_SETTINGS_FORMAT, voiceSettingsErrors, withVoiceSettings, type VoiceSettings } from './voice-settings.ts';

function card(extensions: JsonObject = {}): Character {
  return {
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      name: 'Mira', description: '', personality: '', scenario: '', first_mes: '', mes_example: '', creator_notes: '',
      system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '', character_version: '',
      extensions, group_only_greetings: [],
    },
  };
}

/** A card whose stored voice is `voice` (written as-is, as a stranger's card could be). */
const stored = (voice: JsonValue): Character => card({ troupe: { voice } });
const STORED_OK = { format: 1, provider: 'openai-compatible', voice: 'alloy', speed: 1.25, model: 'tts-1' };

const SETTINGS: VoiceSettings = {
  provider: 'elevenlabs',
  voice: '21m00Tcm4TlvDq8ikWAM',
  speed: 1.1,
  model: 'eleven_flash_v2_5',
  reading: { dialogueOnly: false, narrator: true, skipCode: true, skipActions: true },
  narratorVoice: { provider: 'browser', voice: 'Google UK English Male', speed: 0.9 },
};

const codes = (read: ReturnType<typeof readVoiceSettings>): [string, string][] => read.errors.map((e) => [e.code, e.path]);

describe('readVoiceSettings', () => {
  it('is absent when the card has no Troupe voice', () => {
    for (const c of [card(), card({ troupe: {} }), card({ troupe: { longTermMemory: true } }), stored(null)]) {
      expect(readVoiceSettings(c)).toEqual({ status: 'absent', settings: null, errors: [] });
    }
  });

  it('reads a stored voice, with default reading options for what is not stored', () => {
    expect(readVoiceSettings(stored(STORED_OK))).toEqual({
      status: 'ok',
      settings: { provider: 'openai-compatible', voice: 'alloy', speed: 1.25, model: 'tts-1', reading: { ...DEFAULT_READING_OPTIONS } },
      errors: [],
    });
    const read = readVoiceSettings(stored({ ...STORED_OK, model: undefined, reading: { skipActions: true } }));
    expect(read.settings).toEqual({ provider: 'openai-compatible', voice: 'alloy', speed: 1.25, reading: { ...DEFAULT_READING_OPTIONS, skipActions: true } });
    expect(read.settings).not.toHaveProperty('model');
  });

  it('ignores keys it does not know, secrets included', () => {
    const read = readVoiceSettings(stored({ ...STORED_OK, apiKey: 'sk-secret', endpoint: 'https://tts.example', future: 1 }));
    expect(read.status).toBe('ok');
    expect(JSON.stringify(read.settings)).not.toMatch(/sk-secret|tts\.example|future/);
  });

  it('refuses a newer format with a reason, leaving the card alone', () => {
    const read = readVoiceSettings(stored({ ...STORED_OK, format: VOICE_SETTINGS_FORMAT + 1, provider: 'something-new' }));
    expect(read.status).toBe('unsupported');
    expect(read.settings).toBeNull();
    expect(codes(read)).toEqual([['voice/too-new', 'data.extensions.troupe.voice.format']]);
    expect(read.errors[0]?.message).toMatch(/newer Troupe \(format 2\)/);
  });

  it('refuses a missing or malformed format as unknown', () => {
    for (const format of [undefined, null, '1', 0, -1, 1.5]) {
      const read = readVoiceSettings(stored({ ...STORED_OK, format: format as JsonValue }));
      expect(read.status, String(format)).toBe('unsupported');
      expect(codes(read)).toEqual([['voice/unknown-format', 'data.extensions.troupe.voice.format']]);
    }
  });

  it('refuses a troupe or voice entry that is not an object', () => {
    expect(codes(readVoiceSettings(card({ troupe: 'yes' })))).toEqual([['voice/not-an-object', 'data.extensions.troupe']]);
    expect(codes(readVoiceSettings(stored(['alloy'])))).toEqual([['voice/not-an-object', 'data.extensions.troupe.voice']]);
    expect(codes(readVoiceSettings(stored('alloy')))).toEqual([['voice/not-an-object', 'data.extensions.troupe.voice']]);
  });

  it('names every bad field with its own code and path', () => {
    const read = readVoiceSettings(stored({ format: 1, provider: 'azure', voice: '', speed: 9, model: 42, reading: { narrator: 'yes', skipCode: false } }));
    expect(read.status).toBe('invalid');
    expect(read.settings).toBeNull();
    const p = 'data.extensions.troupe.voice';
    expect(codes(read)).toEqual([
      ['voice/bad-provider', `${p}.provider`],
      ['voice/bad-voice', `${p}.voice`],
      ['voice/bad-speed', `${p}.speed`],
      ['voice/bad-model', `${p}.model`],
      ['voice/bad-reading', `${p}.reading.narrator`],
    ]);
  });

  it('checks the speed range, the length of ids and the shape of reading options', () => {
    const p = 'data.extensions.troupe.voice';
    expect(readVoiceSettings(stored({ ...STORED_OK, speed: 0.25 })).status).toBe('ok');
    expect(readVoiceSettings(stored({ ...STORED_OK, speed: 4 })).status).toBe('ok');
    for (const speed of [0.24, 4.01, '1', null]) expect(codes(readVoiceSettings(stored({ ...STORED_OK, speed })))).toEqual([['voice/bad-speed', `${p}.speed`]]);
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, voice: 'v'.repeat(MAX_VOICE_ID_CHARS + 1) })))).toEqual([['voice/bad-voice', `${p}.voice`]]);
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, voice: '   ' })))).toEqual([['voice/bad-voice', `${p}.voice`]]);
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, model: '' })))).toEqual([['voice/bad-model', `${p}.model`]]);
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, reading: [true] })))).toEqual([['voice/bad-reading', `${p}.reading`]]);
  });

  it('checks the narrator voice and reports its fields under its own code', () => {
    const p = 'data.extensions.troupe.voice.narratorVoice';
    const good = readVoiceSettings(stored({ ...STORED_OK, narratorVoice: { provider: 'browser', voice: 'Samantha', speed: 1 } }));
    expect(good.settings?.narratorVoice).toEqual({ provider: 'browser', voice: 'Samantha', speed: 1 });
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, narratorVoice: { provider: 'browser', voice: 'Samantha', speed: 0 } })))).toEqual([
      ['voice/bad-narrator-voice', `${p}.speed`],
    ]);
    expect(codes(readVoiceSettings(stored({ ...STORED_OK, narratorVoice: 'Samantha' })))).toEqual([['voice/bad-narrator-voice', p]]);
  });

  it('does not read inherited keys', () => {
    const extensions = Object.create({ troupe: { voice: STORED_OK } }) as JsonObject;
    expect(readVoiceSettings(card(extensions)).status).toBe('absent');
  });
});

describe('withVoiceSettings', () => {
  it('stores the settings in format 1 under data.extensions.troupe.voice, and reads them back', () => {
    const next = withVoiceSettings(card(), SETTINGS);
    expect(next.data.extensions).toEqual({
      troupe: {
        voice: {
          format: 1,
          provider: 'elevenlabs',
          voice: '21m00Tcm4TlvDq8ikWAM',
          speed: 1.1,
          model: 'eleven_flash_v2_5',
          reading: { dialogueOnly: false, narrator: true, skipCode: true, skipActions: true },
          narratorVoice: { provider: 'browser', voice: 'Google UK English Male', speed: 0.9 },
        },
      },
    });
    expect(readVoiceSettings(next)).toEqual({ status: 'ok', settings: SETTINGS, errors: [] });
  });

  it('returns a new card and leaves the old one and its other extensions as they were', () => {
    const original = card({ fav: true, depth_prompt: { prompt: 'x', depth: 4 }, troupe: { longTermMemory: true } });
    const before = JSON.stringify(original);
    const next = withVoiceSettings(original, SETTINGS);
    expect(JSON.stringify(original)).toBe(before);
    expect(next).not.toBe(original);
    expect(next.data).not.toBe(original.data);
    expect(next.data.extensions).toMatchObject({ fav: true, depth_prompt: { prompt: 'x', depth: 4 }, troupe: { longTermMemory: true } });
    expect(next.data.name).toBe('Mira');
  });

  it('never writes an API key or anything else it does not know', () => {
    const leaky = { ...SETTINGS, apiKey: 'sk-secret', baseUrl: 'https://api.example/v1', narratorVoice: { ...SETTINGS.narratorVoice!, key: 'xi-secret' } };
    const text = JSON.stringify(withVoiceSettings(card(), leaky as VoiceSettings));
    expect(text).not.toMatch(/secret|api\.example|apiKey|baseUrl|"key"/);
  });

  it('fills reading options left out with their defaults', () => {
    const partial = { provider: 'browser', voice: 'Samantha', speed: 1 } as unknown as VoiceSettings;
    expect(readVoiceSettings(withVoiceSettings(card(), partial)).settings?.reading).toEqual(DEFAULT_READING_OPTIONS);
  });

  it('removes the voice with null, and the troupe entry when nothing else is in it', () => {
    const withVoice = withVoiceSettings(card({ fav: false }), SETTINGS);
    expect(withVoiceSettings(withVoice, null).data.extensions).toEqual({ fav: false });
    const withOther = withVoiceSettings(card({ troupe: { longTermMemory: true } }), SETTINGS);
    expect(withVoiceSettings(withOther, null).data.extensions).toEqual({ troupe: { longTermMemory: true } });
  });

  it('replaces a troupe entry that is not an object (not written by Troupe)', () => {
    expect(readVoiceSettings(withVoiceSettings(card({ troupe: 'yes' }), SETTINGS)).status).toBe('ok');
  });

  it('refuses invalid settings with the first problem', () => {
    expect(() => withVoiceSettings(card(), { ...SETTINGS, speed: 10 })).toThrow(expect.objectContaining({ code: 'voice/bad-speed', path: 'speed' }));
    expect(() => withVoiceSettings(card(), null as unknown as VoiceSettings)).not.toThrow();
    expect(() => withVoiceSettings(card(), 'alloy' as unknown as VoiceSettings)).toThrow(expect.objectContaining({ code: 'voice/not-an-object' }));
  });
});

describe('voiceSettingsErrors', () => {
  it('is empty for valid settings and lists each problem otherwise', () => {
    expect(voiceSettingsErrors(SETTINGS)).toEqual([]);
    const bad = { ...SETTINGS, provider: 'nope', voice: '', narratorVoice: { provider: 'browser', voice: 'x', speed: 99 } } as unknown as VoiceSettings;
    expect(voiceSettingsErrors(bad).map((e) => [e.code, e.path])).toEqual([
      ['voice/bad-provider', 'provider'],
      ['voice/bad-voice', 'voice'],
      ['voice/bad-narrator-voice', 'narratorVoice.speed'],
    ]);
  });
});

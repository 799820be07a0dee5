import { describe, expect, it, vi } from 'vitest';
import { withVoiceSettings, type VoiceSettings } from '@troupe/shared/voice';
import type { Character } from '@troupe/shared/cards';
import { DEFAULT_CHAT_SETTINGS, type ChatSettings } from '../../messaging/chat-settings.ts';
import { VOICE_VALIDATORS as V } from '../../messaging/protocols/voice-protocol.ts';
import { SPEAKING_CACHE_MS, voiceHandlers, type VoiceDeps } from './voice-handlers.ts';

const KEY = 'sk-speech-very-secret-42';
const VOICE: VoiceSettings = { provider: 'openai-compatible', voice: 'af_bella', speed: 1.25, reading: { dialogueOnly: false, narrator: true, skipCode: true, skipActions: false }, narratorVoice: { provider: 'openai-compatible', voice: 'bm_george', speed: 1 } };
const card = (voice: VoiceSettings | null): Character => withVoiceSettings({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Mira', extensions: {} } } as unknown as Character, voice);

function world(voice: VoiceSettings | null = VOICE, readAloud = true) {
  const state = { voice, settings: { ...DEFAULT_CHAT_SETTINGS, readAloud } as ChatSettings, hostOpen: true, cardReads: 0, now: 0 };
  const host = { call: vi.fn(async (type: string, _payload?: unknown) => (type === 'voice.state' ? { status: 'idle', error: null, log: [] } : null)), adopt: async () => state.hostOpen, ensure: vi.fn(async () => {}) };
  const deps: VoiceDeps = {
    device: { load: async () => ({ openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY }, elevenLabsKey: null, transcription: null, autoSend: true, endOfTurnMs: 600 }), save: async () => {} },
    host: host as unknown as VoiceDeps['host'],
    characterOf: async (chatKey) => (chatKey === 'o#1' ? 'mira' : null),
    card: async () => { state.cardReads++; return card(state.voice); },
    name: async () => 'Mira',
    setVoice: async (_id, next) => { state.voice = next; },
    chatSettings: async () => state.settings,
    setReadAloud: async (_chatKey, on) => { state.settings = { ...state.settings, readAloud: on }; },
    fetch: globalThis.fetch,
    now: () => state.now,
  };
  return { handlers: voiceHandlers(deps), host, state };
}

describe('voice handlers', () => {
  it('show the chat\'s voice without any key, and save the voice into the card and read-aloud into the chat', async () => {
    const { handlers, state } = world(null, false);
    const view = await handlers['voice.get']({ chatKey: 'o#1' });
    expect(view).toMatchObject({ character: { id: 'mira', name: 'Mira' }, voice: null, readAloud: false, ready: { 'openai-compatible': true, elevenlabs: false, browser: true } });
    expect(JSON.stringify(view)).not.toContain(KEY);
    expect((await handlers['voice.character.set']({ chatKey: 'o#1', voice: VOICE })).voice).toEqual(VOICE);
    expect(state.voice).toEqual(VOICE);
    expect((await handlers['voice.readAloud.set']({ chatKey: 'o#1', on: true })).readAloud).toBe(true);
    await expect(handlers['voice.character.set']({ chatKey: 'o#none', voice: VOICE })).rejects.toMatchObject({ code: 'voice/no-character' });
  });

  it('hand each sentence to the player in the character\'s voice (the narrator\'s for narration), with the device\'s endpoint', async () => {
    const { handlers, host } = world();
    await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq: 0, text: 'Hello there.', speaker: 'character' });
    await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq: 1, text: 'She waves.', speaker: 'narrator' });
    const plays = host.call.mock.calls.filter(([type]) => type === 'voice.play').map(([, payload]) => payload);
    expect(plays).toEqual([
      { replyId: 'r1', seq: 0, text: 'Hello there.', voice: { provider: 'openai-compatible', voice: 'af_bella', speed: 1.25 }, device: { openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY }, elevenLabsKey: null } },
      expect.objectContaining({ seq: 1, voice: { provider: 'openai-compatible', voice: 'bm_george', speed: 1 } }),
    ]);
  });

  it('speak nothing when the chat does not read aloud or its character has no voice; stop reaches the player only when it is there', async () => {
    for (const [voice, readAloud] of [[VOICE, false], [null, true]] as const) {
      const { handlers, host } = world(voice, readAloud);
      await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq: 0, text: 'Hello there.', speaker: 'character' });
      expect(host.call).not.toHaveBeenCalledWith('voice.play', expect.anything());
    }
    const { handlers, host, state } = world();
    state.hostOpen = false;
    await handlers['voice.stop']({});
    expect(host.call).not.toHaveBeenCalled();
    state.hostOpen = true;
    await handlers['voice.stop']({});
    expect(host.call).toHaveBeenCalledWith('voice.stop', {});
  });

  it('validate what a content script sends: a sentence of bounded size, a whole seq, known voice settings', () => {
    expect(() => V['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq: -1, text: 'x', speaker: 'character' })).toThrow(/seq/);
    expect(() => V['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq: 0, text: 'x'.repeat(10_000), speaker: 'character' })).toThrow(/longer/);
    expect(() => V['voice.speak']({ chatKey: 'o#1', replyId: 'r 1', seq: 0, text: 'x', speaker: 'character' })).toThrow(/replyId/);
    expect(() => V['voice.character.set']({ chatKey: 'o#1', voice: { ...VOICE, speed: 9 } })).toThrow(/speed should be a number from 0.25 to 4/);
    expect(V['voice.character.set']({ chatKey: 'o#1', voice: null })).toEqual({ chatKey: 'o#1', voice: null });
  });

  it('push-to-talk: start records; stop and retry hand the offscreen recorder the transcription endpoint and auto-send', async () => {
    const { handlers, host } = world();
    await handlers['voice.listen.start']({});
    await handlers['voice.listen.stop']({});
    await handlers['voice.listen.retry']({});
    expect(host.call.mock.calls.map((c) => c[0])).toEqual(['voice.listen.start', 'voice.listen.stop', 'voice.listen.retry']);
    expect(host.call.mock.calls[1]![1]).toEqual({ endpoint: null, autoSend: true });
  });

  it('read a chat\'s voice once for a reply\'s sentences, again after a change in the panel or SPEAKING_CACHE_MS', async () => {
    const { handlers, host, state } = world();
    await handlers['voice.get']({ chatKey: 'o#1' });
    const reads = state.cardReads;
    for (let seq = 0; seq < 3; seq++) await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r1', seq, text: 'Hello there.', speaker: 'character' });
    expect(state.cardReads).toBe(reads);
    await handlers['voice.readAloud.set']({ chatKey: 'o#1', on: false });
    await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r2', seq: 0, text: 'Quiet now.', speaker: 'character' });
    expect(host.call.mock.calls.filter(([type]) => type === 'voice.play')).toHaveLength(3);
    state.settings = { ...state.settings, readAloud: true };
    state.now += SPEAKING_CACHE_MS;
    await handlers['voice.speak']({ chatKey: 'o#1', replyId: 'r3', seq: 0, text: 'Back again.', speaker: 'character' });
    expect(host.call.mock.calls.filter(([type]) => type === 'voice.play')).toHaveLength(4);
  });

  it('make the audio document ready at a reply\'s start only when the reply will be spoken', async () => {
    const speaks = world();
    await speaks.handlers['voice.get']({ chatKey: 'o#1' });
    expect(speaks.host.ensure).not.toHaveBeenCalled();
    await speaks.handlers['voice.get']({ chatKey: 'o#1', forReply: true });
    expect(speaks.host.ensure).toHaveBeenCalledTimes(1);
    for (const [voice, readAloud] of [[VOICE, false], [null, true]] as const) {
      const quiet = world(voice, readAloud);
      await quiet.handlers['voice.get']({ chatKey: 'o#1', forReply: true });
      expect(quiet.host.ensure).not.toHaveBeenCalled();
    }
    expect(() => V['voice.get']({ chatKey: 'o#1', forReply: 'yes' })).toThrow(/forReply/);
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { VoiceChatView } from '../../messaging/protocols/voice-protocol.ts';
import { IDLE_PLAYBACK } from '../../messaging/protocols/voice-protocol.ts';
import type { BackgroundCall } from './overlay-state.ts';
import { createVoiceReader } from './voice-reader.ts';

/** Lets every promise already under way run to its end (one macrotask turn): no time passes. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const VOICE = { provider: 'openai-compatible' as const, voice: 'af_bella', speed: 1, reading: { dialogueOnly: false, narrator: false, skipCode: false, skipActions: true } };

function background(view: Partial<VoiceChatView>) {
  const spoken: unknown[] = [];
  const calls: string[] = [];
  const call = (async (type: string, payload: unknown) => {
    calls.push(type);
    if (type === 'voice.get') return { chatKey: 'o#1', character: { id: 'mira', name: 'Mira' }, voice: VOICE, problem: null, readAloud: true, ready: { 'openai-compatible': true, elevenlabs: false, browser: true }, playback: IDLE_PLAYBACK, ...view };
    if (type === 'voice.speak') spoken.push(payload);
    return null;
  }) as BackgroundCall;
  return { call, spoken, calls };
}

describe('voice reader', () => {
  it('sends each complete sentence of a streamed reply, in order, numbered, with the card\'s reading options (code never)', async () => {
    const bg = background({});
    const reader = createVoiceReader(bg.call);
    for (const piece of ['The lamp is li', 't tonight. *She smiles.* Here is `code` for you', '. And the sea is calm.']) reader.delta('o#1', 'reply-1', piece);
    reader.end('reply-1');
    await vi.waitFor(() => expect(bg.spoken).toHaveLength(3));
    expect(bg.spoken).toEqual([
      { chatKey: 'o#1', replyId: 'reply-1', seq: 0, text: 'The lamp is lit tonight.', speaker: 'character' },
      { chatKey: 'o#1', replyId: 'reply-1', seq: 1, text: 'Here is for you.', speaker: 'character' },
      { chatKey: 'o#1', replyId: 'reply-1', seq: 2, text: 'And the sea is calm.', speaker: 'character' },
    ]);
    expect(bg.calls.filter((t) => t === 'voice.get')).toHaveLength(1);
  });

  it('sends nothing when the chat does not read aloud or the character has no voice', async () => {
    for (const view of [{ readAloud: false }, { voice: null }]) {
      const bg = background(view);
      const reader = createVoiceReader(bg.call);
      reader.delta('o#1', 'reply-1', 'A whole sentence here. Another one here.');
      reader.end('reply-1');
      await vi.waitFor(() => expect(bg.calls).toContain('voice.get'));
      await settle();
      expect(bg.spoken).toEqual([]);
    }
  });

  it('stops: the background is told, and the rest of the reply is not sent', async () => {
    const bg = background({});
    const reader = createVoiceReader(bg.call);
    reader.delta('o#1', 'reply-1', 'The first sentence is here. The');
    await vi.waitFor(() => expect(bg.spoken).toHaveLength(1));
    reader.stop();
    reader.delta('o#1', 'reply-1', ' second sentence is here. And more');
    reader.end('reply-1');
    await vi.waitFor(() => expect(bg.calls).toContain('voice.stop'));
    expect(bg.spoken).toHaveLength(1);
  });

  it('asks nothing of the background to stop when nothing was spoken (every user turn stops)', async () => {
    const bg = background({ readAloud: false });
    const reader = createVoiceReader(bg.call);
    reader.delta('o#1', 'reply-1', 'A whole sentence here. Another one here.');
    reader.end('reply-1');
    await vi.waitFor(() => expect(bg.calls).toContain('voice.get'));
    reader.stop();
    await settle();
    expect(bg.calls).not.toContain('voice.stop');
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { PlayRequest } from '../messaging/protocols/offscreen-protocol.ts';
import { createVoicePlayer, type AudioLike } from './voice-player.ts';

/** Lets every promise already under way run to its end (one macrotask turn): no time passes. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

const KEY = 'sk-speech-very-secret-42';

/** An <audio> that "plays" until the test ends it (or at once, with `autoEnd`). */
function fakeAudio(autoEnd = false) {
  const listeners: Record<string, (() => void)[]> = { ended: [], error: [] };
  const played: string[] = [];
  const audio: AudioLike & { end(): void; fail(): void } = {
    src: '',
    async play() {
      played.push(this.src);
      if (autoEnd) queueMicrotask(() => this.end());
    },
    pause: vi.fn(),
    load: vi.fn(),
    removeAttribute: vi.fn(),
    addEventListener(type, listener, options) {
      listeners[type]!.push(listener);
      options?.signal?.addEventListener('abort', () => { listeners[type] = listeners[type]!.filter((l) => l !== listener); });
    },
    end() { for (const l of listeners['ended']!.splice(0)) l(); },
    fail() { for (const l of listeners['error']!.splice(0)) l(); },
  };
  return { audio, played };
}

function fakeFetch(answer: (body: { input: string }) => Response = () => new Response(new Uint8Array(100), { headers: { 'content-type': 'audio/wav' } })) {
  const asked: string[] = [];
  const fetch = vi.fn(async (_url: string, init: RequestInit) => {
    const body = JSON.parse(init.body as string) as { input: string };
    asked.push(body.input);
    return answer(body);
  }) as unknown as typeof globalThis.fetch;
  return { fetch, asked };
}

const urls = { create: (blob: Blob) => `blob:${(blob as Blob & { tag?: string }).size}-${Math.random()}`, revoke: () => {} };
const request = (seq: number, text: string, replyId = 'r1'): PlayRequest => ({
  replyId, seq, text,
  voice: { provider: 'openai-compatible', voice: 'af_bella', speed: 1 },
  device: { openai: { url: 'http://127.0.0.1:8880/v1', model: 'tts-1', apiKey: KEY }, elevenLabsKey: null },
});
const events = (player: ReturnType<typeof createVoicePlayer>) => player.state().log.map((e) => `${e.replyId}:${e.seq}:${e.event}`);

describe('voice player', () => {
  it('plays sentences strictly in order (whatever order they arrive in), fetching one ahead of the one playing', async () => {
    const { audio, played } = fakeAudio();
    const http = fakeFetch();
    const player = createVoicePlayer({ fetch: http.fetch, audio, objectUrl: urls, speakBrowser: async () => {} });
    player.enqueue(request(1, 'Second.'));
    player.enqueue(request(2, 'Third.'));
    expect(player.busy()).toBe(true);
    await Promise.resolve();
    expect(http.asked).toEqual([]); // nothing before seq 0
    player.enqueue(request(0, 'First.'));
    await vi.waitFor(() => expect(played).toHaveLength(1));
    // Playing the first, the second is fetched; the third waits.
    expect(http.asked).toEqual(['First.', 'Second.']);
    audio.end();
    await vi.waitFor(() => expect(played).toHaveLength(2));
    expect(http.asked).toEqual(['First.', 'Second.', 'Third.']);
    audio.end();
    await vi.waitFor(() => expect(played).toHaveLength(3));
    audio.end();
    await vi.waitFor(() => expect(player.state().status).toBe('idle'));
    expect(events(player).filter((e) => !e.endsWith('fetched'))).toEqual(['r1:0:playing', 'r1:0:ended', 'r1:1:playing', 'r1:1:ended', 'r1:2:playing', 'r1:2:ended']);
    expect(player.busy()).toBe(false);
  });

  it('stops at once: pauses, drops the queue, fetches nothing more, and ignores the rest of that reply', async () => {
    const { audio, played } = fakeAudio();
    const http = fakeFetch();
    const player = createVoicePlayer({ fetch: http.fetch, audio, objectUrl: urls, speakBrowser: async () => {} });
    for (const [seq, text] of ['One.', 'Two.', 'Three.'].entries()) player.enqueue(request(seq, text));
    await vi.waitFor(() => expect(played).toHaveLength(1));
    player.stop();
    expect(audio.pause).toHaveBeenCalled();
    expect(player.state().status).toBe('idle');
    player.enqueue(request(3, 'Four.'));
    await settle();
    expect(http.asked).toEqual(['One.', 'Two.']);
    expect(played).toHaveLength(1);
    // A new reply plays.
    player.enqueue(request(0, 'New.', 'r2'));
    await vi.waitFor(() => expect(played).toHaveLength(2));
  });

  it('says what failed in words, never the key, and goes on with the next sentence', async () => {
    const { audio, played } = fakeAudio(true);
    const http = fakeFetch((body) => (body.input === 'Bad.'
      ? new Response(JSON.stringify({ error: { message: `invalid key ${KEY}` } }), { status: 401 })
      : new Response(new Uint8Array(10), { headers: { 'content-type': 'audio/wav' } })));
    const player = createVoicePlayer({ fetch: http.fetch, audio, objectUrl: urls, speakBrowser: async () => {} });
    player.enqueue(request(0, 'Bad.'));
    player.enqueue(request(1, 'Good.'));
    await vi.waitFor(() => expect(player.state().status).toBe('idle'));
    expect(events(player)).toContain('r1:0:failed');
    expect(played).toHaveLength(1);
    // The last sentence played well, so the error is cleared; a failing last one leaves it.
    expect(player.state().error).toBeNull();
    player.enqueue(request(0, 'Bad.', 'r3'));
    await vi.waitFor(() => expect(player.state().error).toBe('Speech failed: the endpoint refused the API key (401): invalid key [key].'));

    const html = fakeFetch(() => new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    const other = createVoicePlayer({ fetch: html.fetch, audio: fakeAudio(true).audio, objectUrl: urls, speakBrowser: async () => {} });
    other.enqueue(request(0, 'Hello.'));
    await vi.waitFor(() => expect(other.state().error).toMatch(/not audio Troupe can play/));
    const down = createVoicePlayer({ fetch: (async () => { throw new TypeError('Failed to fetch'); }) as unknown as typeof fetch, audio: fakeAudio(true).audio, objectUrl: urls, speakBrowser: async () => {} });
    down.enqueue(request(0, 'Hello.'));
    await vi.waitFor(() => expect(down.state().error).toBe('Speech failed: 127.0.0.1:8880 did not answer (it could not be reached).'));
  });

  it('speaks browser voices through speechSynthesis, and says so when the browser has none', async () => {
    const speakBrowser = vi.fn(async () => { throw new Error('Speech failed: this browser has no voices of its own'); });
    const player = createVoicePlayer({ fetch: fakeFetch().fetch, audio: fakeAudio(true).audio, objectUrl: urls, speakBrowser });
    player.enqueue({ ...request(0, 'Hello.'), voice: { provider: 'browser', voice: 'Samantha', speed: 1 } });
    await vi.waitFor(() => expect(player.state().error).toMatch(/no voices/));
    expect(speakBrowser).toHaveBeenCalledWith('Hello.', { provider: 'browser', voice: 'Samantha', speed: 1 }, expect.any(AbortSignal));
  });

  it('holds the sentence playing on pause and plays it on from there; its sound counts as going on', async () => {
    const { audio, played } = fakeAudio();
    const sounds: string[] = [];
    const player = createVoicePlayer({ fetch: fakeFetch().fetch, audio, objectUrl: urls, speakBrowser: async () => {}, onSound: (event) => sounds.push(event) });
    player.enqueue(request(0, 'The lamp is lit.'));
    await settle();
    expect(played).toHaveLength(1);
    expect(sounds).toEqual(['start']);
    player.pause();
    expect(audio.pause).toHaveBeenCalledTimes(1);
    expect(player.busy()).toBe(true);
    player.resume();
    expect(played).toHaveLength(2);
    expect(played[1]).toBe(played[0]);
    player.resume(); // not paused: nothing
    expect(played).toHaveLength(2);
    audio.end();
    await settle();
    expect(sounds).toEqual(['start', 'stop']);
    expect(events(player)).toEqual(['r1:0:fetched', 'r1:0:playing', 'r1:0:ended']);
  });
});

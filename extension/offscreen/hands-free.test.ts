import { describe, expect, it, vi } from 'vitest';
import type { ListenResult } from '../messaging/protocols/voice-in.ts';
import type { ClipTranscriber } from './clip-transcriber.ts';
import { createHandsFree, type VadCallbacks } from './hands-free.ts';

const ENDPOINT = { url: 'http://127.0.0.1:9000/v1', model: 'whisper-1' };
const START = { endpoint: ENDPOINT, autoSend: true, endOfTurnMs: 600 };
/** One 32 ms frame of loud speech, and of quiet. */
const LOUD = new Float32Array(512).fill(0.2);
const QUIET = new Float32Array(512).fill(0.001);

function setup(results: ListenResult[] = [], open: () => Promise<void> = async () => {}) {
  let now = 1_000;
  let vad: VadCallbacks | null = null;
  const timers: { run: () => void; at: number }[] = [];
  const transcribed: Blob[] = [];
  const transcriber: ClipTranscriber = {
    transcribe: vi.fn(async (clip: Blob, _endpoint: unknown, _autoSend: boolean, sent?: () => void): Promise<ListenResult> => {
      transcribed.push(clip);
      sent?.();
      return results.shift() ?? { ok: true, text: 'Hello.', autoSend: true };
    }),
    retry: vi.fn(),
  };
  const stopPlayback = vi.fn();
  const pausePlayback = vi.fn();
  const resumePlayback = vi.fn();
  const destroyed = vi.fn(async () => {});
  const handsFree = createHandsFree({
    openVad: async ({ callbacks }) => {
      await open();
      vad = callbacks;
      return { destroy: destroyed };
    },
    transcriber,
    stopPlayback,
    pausePlayback,
    resumePlayback,
    now: () => now,
    setTimeout: (run, ms) => { const timer = { run, at: now + ms }; timers.push(timer); return timer; },
    clearTimeout: (timer) => { const i = timers.indexOf(timer as (typeof timers)[number]); if (i >= 0) timers.splice(i, 1); },
    sessionId: () => `s${now}`,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((t) => t.at <= now)) { timers.splice(timers.indexOf(timer), 1); timer.run(); }
  };
  /** Speech: a start, `frames` loud frames (32 ms apart), the end with its audio. */
  const speak = async (frames: number) => {
    // As vad-web does: the frame that crosses the threshold is reported, then the speech start.
    vad!.frame(0.95, LOUD);
    vad!.speechStart();
    for (let i = 0; i < frames; i++) { advance(32); vad!.frame(0.95, LOUD); }
    advance(600);
    vad!.speechEnd(new Float32Array(16_000));
    await Promise.resolve();
    await Promise.resolve();
  };
  return { handsFree, transcriber, transcribed, stopPlayback, pausePlayback, resumePlayback, destroyed, advance, speak, vad: () => vad!, at: () => now };
}

describe('hands-free in the offscreen document', () => {
  it('sends a finished utterance as 16 kHz WAV and hands the transcript to the panel as a turn', async () => {
    const t = setup([{ ok: true, text: 'Tell me about the lighthouse.', autoSend: true }]);
    expect(await t.handsFree.start(START)).toEqual({ ok: true });
    expect(t.handsFree.busy()).toBe(true);
    await t.speak(20);
    expect(t.transcribed[0]!.type).toBe('audio/wav');
    expect(t.transcribed[0]!.size).toBe(44 + 32_000);
    const feed = await t.handsFree.poll({ session: '', after: 0, phase: 'off' }, 20_000);
    expect(feed.events).toEqual([{ n: 1, kind: 'turn', text: 'Tell me about the lighthouse.', autoSend: true }]);
    expect(feed.phase).toBe('waiting');
    expect(feed.measures.speechEndToRequestMs).toBe(0);
    // The last loud frame arrived 600 ms (the end-of-turn silence) before the VAD ended the speech.
    expect(feed.measures.endpointingMs).toBe(600);
  });

  it('stops Troupe\'s voice when the person speaks over it, and measures from the onset', async () => {
    const t = setup();
    await t.handsFree.start(START);
    t.handsFree.playbackStarted();
    t.advance(500);
    t.vad().frame(0.95, LOUD);
    t.vad().speechStart();
    for (let i = 0; i < 6 && t.stopPlayback.mock.calls.length === 0; i++) { t.advance(32); t.vad().frame(0.95, LOUD); }
    expect(t.stopPlayback).toHaveBeenCalledTimes(1);
    // Loud from its start: paused at once, then stopped for good when the gate had its proof.
    expect(t.pausePlayback).toHaveBeenCalledTimes(1);
    expect(t.pausePlayback.mock.invocationCallOrder[0]).toBeLessThan(t.stopPlayback.mock.invocationCallOrder[0]!);
    expect(t.resumePlayback).not.toHaveBeenCalled();
    const feed = await t.handsFree.poll({ session: '', after: 0, phase: 'off' }, 20_000);
    expect(feed.events.map((e) => e.kind)).toEqual(['barge-in']);
    // The onset is the first loud frame's start (32 ms before it arrived); silent from that same frame.
    expect(feed.measures.onsetToStopMs).toBe(32);
  });

  it('resumes Troupe\'s voice after a loud start the gate never proves (a cough)', async () => {
    const t = setup();
    await t.handsFree.start(START);
    t.handsFree.playbackStarted();
    t.vad().frame(0.9, LOUD);
    t.vad().speechStart();
    expect(t.pausePlayback).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 15; i++) { t.advance(32); t.vad().frame(0.4, QUIET); }
    expect(t.resumePlayback).toHaveBeenCalledTimes(1);
    expect(t.stopPlayback).not.toHaveBeenCalled();
  });

  it('lets Troupe\'s paused voice play on when hands-free is switched off mid-judgement', async () => {
    const t = setup();
    await t.handsFree.start(START);
    t.handsFree.playbackStarted();
    t.vad().frame(0.9, LOUD);
    t.vad().speechStart();
    expect(t.pausePlayback).toHaveBeenCalledTimes(1);
    await t.handsFree.stop();
    expect(t.resumePlayback).toHaveBeenCalledTimes(1);
    expect(t.stopPlayback).not.toHaveBeenCalled();
  });

  it('does not take Troupe\'s own quiet echo for the person', async () => {
    const t = setup();
    await t.handsFree.start(START);
    t.handsFree.playbackStarted();
    t.vad().speechStart();
    for (let i = 0; i < 30; i++) { t.advance(32); t.vad().frame(0.6, QUIET); }
    t.vad().speechEnd(new Float32Array(8_000));
    await Promise.resolve();
    expect(t.stopPlayback).not.toHaveBeenCalled();
    expect(t.transcriber.transcribe).not.toHaveBeenCalled();
  });

  it('holds a poll until something happens, and answers at once for another session', async () => {
    const t = setup();
    await t.handsFree.start(START);
    const first = await t.handsFree.poll({ session: 'old', after: 5, phase: 'off' }, 20_000);
    expect(first).toMatchObject({ session: 's1000', phase: 'listening', events: [] });
    let answered = false;
    const held = t.handsFree.poll({ session: first.session, after: 0, phase: 'listening' }, 20_000).then((feed) => { answered = true; return feed; });
    await Promise.resolve();
    expect(answered).toBe(false);
    t.vad().speechStart();
    expect((await held).phase).toBe('hearing');
  });

  it('says why the microphone could not open, and is not busy', async () => {
    const t = setup([], async () => { throw new DOMException('denied', 'NotAllowedError'); });
    expect(await t.handsFree.start(START)).toMatchObject({ ok: false, code: 'permission-denied', message: expect.stringContaining('Allow microphone') });
    expect(t.handsFree.busy()).toBe(false);
    const feed = await t.handsFree.poll({ session: '', after: 0, phase: 'listening' }, 20_000);
    expect(feed.phase).toBe('off');
    expect(feed.events).toMatchObject([{ kind: 'error', code: 'permission-denied' }]);
  });

  it('reports a failed transcription with Retry, and drops an empty one quietly', async () => {
    const t = setup([{ ok: false, code: 'unauthorized', message: 'The endpoint refused the API key (401).', canRetry: true }, { ok: false, code: 'empty-transcript', message: 'Nothing was heard', canRetry: false }]);
    await t.handsFree.start(START);
    await t.speak(10);
    await t.speak(10);
    const feed = await t.handsFree.poll({ session: '', after: 0, phase: 'off' }, 20_000);
    expect(feed.events).toEqual([{ n: 1, kind: 'error', code: 'unauthorized', message: 'The endpoint refused the API key (401).', canRetry: true }]);
    expect(feed.phase).toBe('listening');
  });

  it('stops by itself, closing the microphone, when no panel has polled for a while (its tab is gone)', async () => {
    const t = setup();
    await t.handsFree.start(START);
    t.advance(44_000);
    expect(t.destroyed).not.toHaveBeenCalled();
    await t.handsFree.poll({ session: 'x', after: 0, phase: 'off' }, 20_000);
    t.advance(44_000);
    expect(t.destroyed).not.toHaveBeenCalled();
    t.advance(2_000);
    expect(t.destroyed).toHaveBeenCalledTimes(1);
    expect(t.handsFree.busy()).toBe(false);
  });

  it('re-opens the microphone when the reply ends and its audio is done', async () => {
    const t = setup([{ ok: true, text: 'Go on.', autoSend: true }]);
    await t.handsFree.start(START);
    await t.speak(10);
    const session = (await t.handsFree.poll({ session: '', after: 0, phase: 'off' }, 1)).session;
    const phase = async () => (await t.handsFree.poll({ session, after: 99, phase: 'starting' }, 1)).phase;
    expect(await phase()).toBe('waiting');
    t.handsFree.playbackStarted();
    expect(await phase()).toBe('speaking');
    t.handsFree.replyDone();
    t.handsFree.playbackStopped();
    expect(await phase()).toBe('listening');
    await t.handsFree.stop();
    expect(await phase()).toBe('off');
  });
});

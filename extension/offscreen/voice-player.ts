/**
 * The offscreen document's voice player (issue #12): sentences in, speech out, strictly in order with
 * one <audio> element. Each sentence's audio is fetched from its provider as it arrives, at most
 * PREFETCH_AHEAD ahead of the one playing, so the next is ready when one ends. `stop()` pauses at once,
 * aborts fetches and drops the queue.
 */
import { speechFailure, speechHttpRequest, withoutKeys } from '@troupe/shared/voice';
import type { PlayRequest } from '../messaging/protocols/offscreen-protocol.ts';
import type { VoicePlaybackEvent, VoicePlaybackState } from '../messaging/protocols/voice-playback.ts';
import { MAX_SEGMENT_AUDIO_BYTES, MAX_VOICE_QUEUE, SPEECH_FETCH_TIMEOUT_MS, VOICE_PLAYBACK_LOG } from '../messaging/limits/voice.ts';

/** Sentences whose audio is fetched ahead of the one playing: one is enough to hide a TTS round trip. */
export const PREFETCH_AHEAD = 1;
/** Stopped replies remembered: only the last few can still be streaming. */
const MAX_STOPPED_REPLIES = 16;

/** What the player needs of the document (tests pass small fakes). */
export interface AudioLike {
  src: string;
  play(): Promise<void>;
  pause(): void;
  load(): void;
  removeAttribute(name: string): void;
  addEventListener(type: 'ended' | 'error', listener: () => void, options?: { once?: boolean; signal?: AbortSignal }): void;
}

export interface PlayerDeps {
  fetch: typeof fetch;
  audio: AudioLike;
  objectUrl: { create(blob: Blob): string; revoke(url: string): void };
  /** Speaks with the browser's own voices; rejects with words when it has none. */
  speakBrowser(text: string, voice: PlayRequest['voice'], signal: AbortSignal): Promise<void>;
  /** The clock of the log's times (epoch ms); Date.now when absent. */
  now?: () => number;
  /** A sentence's sound starts, and stops (ended, failed or stopped): hands-free's echo gate listens. */
  onSound?(event: 'start' | 'stop'): void;
}

interface Item {
  request: PlayRequest;
  controller: AbortController;
  /** The sentence's audio, once its fetch started (browser voices have none). */
  audio: Promise<Blob> | null;
}

/** One reply's sentences, by seq, and the next seq to play. */
interface ReplyQueue { replyId: string; items: Map<number, Item>; next: number }

export interface VoicePlayer {
  enqueue(request: PlayRequest): void;
  stop(): void;
  /** Holds the sentence playing where it is (hands-free, while it decides whether the person spoke over it). */
  pause(): void;
  /** Plays on from where pause() held it. */
  resume(): void;
  state(): VoicePlaybackState;
  /** Audio plays or waits (the host keeps the document while it does). */
  busy(): boolean;
}

export function createVoicePlayer(deps: PlayerDeps): VoicePlayer {
  const replies: ReplyQueue[] = [];
  const log: VoicePlaybackEvent[] = [];
  let error: string | null = null;
  let playing: Item | null = null;
  let draining = false;
  /** Ends the sentence playing now (stop): resolves its wait. */
  let interrupt: (() => void) | null = null;
  /** The <audio> is held by pause() (browser voices are not: they stop on barge-in only). */
  let paused = false;
  /** Replies stopped: their later sentences (still streaming in) are not played. */
  const stopped = new Set<string>();

  const note = (item: Item, event: VoicePlaybackEvent['event']) => {
    log.push({ replyId: item.request.replyId, seq: item.request.seq, event, at: (deps.now ?? Date.now)() });
    if (log.length > VOICE_PLAYBACK_LOG) log.splice(0, log.length - VOICE_PLAYBACK_LOG);
  };
  const queued = () => replies.reduce((n, r) => n + r.items.size, 0);

  /** The sentence to play next: the head reply's next seq; a head reply with a gap gives way to a later one. */
  function head(): Item | null {
    while (replies.length > 0) {
      const reply = replies[0]!;
      const item = reply.items.get(reply.next);
      if (item) return item;
      if (reply.items.size === 0 && replies.length === 1) return null;
      if (replies.length === 1) return null; // its next sentence is on its way
      // A later reply is waiting and this one's next sentence never came: drop what is left of it.
      for (const left of reply.items.values()) { left.controller.abort(); note(left, 'dropped'); }
      replies.shift();
    }
    return null;
  }

  /** The next `count` sentences to play, in order (the one playing is no longer queued). */
  function upcoming(count: number): Item[] {
    const out: Item[] = [];
    for (const reply of replies) {
      for (let seq = reply.next; out.length < count; seq++) {
        const item = reply.items.get(seq);
        if (!item) break;
        out.push(item);
      }
      if (out.length >= count) break;
    }
    return out;
  }

  function fetchAudio(item: Item): Promise<Blob> {
    const { request } = item;
    const keys = [request.device.openai?.apiKey, request.device.elevenLabsKey];
    return (async () => {
      const http = speechHttpRequest(request.voice, request.text, request.device);
      const signal = AbortSignal.any([item.controller.signal, AbortSignal.timeout(SPEECH_FETCH_TIMEOUT_MS)]);
      let response: Response;
      try {
        response = await deps.fetch(http.url, { method: 'POST', headers: http.headers, body: http.body, signal });
      } catch (e) {
        if (item.controller.signal.aborted) throw e;
        const words = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${SPEECH_FETCH_TIMEOUT_MS / 1000} s` : 'it could not be reached';
        throw new Error(`Speech failed: ${hostOf(http.url)} did not answer (${words}).`);
      }
      if (!response.ok) throw new Error(await speechFailure(response));
      const type = response.headers.get('content-type') ?? '';
      const blob = await response.blob();
      if (!/^audio\//i.test(type) || blob.size === 0 || blob.size > MAX_SEGMENT_AUDIO_BYTES) {
        throw new Error(`Speech failed: the endpoint answered ${blob.size} bytes of ${type || 'an unknown type'}, not audio Troupe can play.`);
      }
      note(item, 'fetched');
      return blob;
    })().catch((e: unknown) => {
      throw new Error(withoutKeys(e instanceof Error ? e.message : String(e), keys));
    });
  }

  /** Starts the fetches of the sentence to play next and PREFETCH_AHEAD after it (counting the one playing). */
  function prefetch(): void {
    for (const item of upcoming(playing ? PREFETCH_AHEAD : PREFETCH_AHEAD + 1)) {
      if (item.audio || item.request.voice.provider === 'browser') continue;
      item.audio = fetchAudio(item);
      item.audio.catch(() => {}); // reported when its turn comes
    }
  }

  async function playBlob(item: Item, blob: Blob): Promise<void> {
    const url = deps.objectUrl.create(blob);
    const done = new AbortController();
    const sound = { end: () => {} };
    try {
      await new Promise<void>((resolve, reject) => {
        interrupt = resolve;
        deps.audio.addEventListener('ended', () => resolve(), { once: true, signal: done.signal });
        deps.audio.addEventListener('error', () => reject(new Error('Speech failed: the endpoint\'s audio could not be played (not a format the browser reads).')), { once: true, signal: done.signal });
        deps.audio.src = url;
        deps.audio.play().then(() => {
          note(item, 'playing');
          sound.end = sounding();
        }, (e: unknown) => {
          if (item.controller.signal.aborted) resolve();
          else reject(new Error(`Speech failed: the browser would not play it (${e instanceof Error ? e.message : String(e)}).`));
        });
      });
    } finally {
      interrupt = null;
      done.abort();
      sound.end();
      deps.objectUrl.revoke(url);
    }
  }

  /** Marks the sentence's sound as started, once; the returned function marks its end (once). */
  function sounding(): () => void {
    deps.onSound?.('start');
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      deps.onSound?.('stop');
    };
  }

  async function playOne(item: Item): Promise<void> {
    if (item.request.voice.provider === 'browser') {
      note(item, 'playing');
      const quiet = sounding();
      await new Promise<void>((resolve, reject) => {
        interrupt = resolve;
        deps.speakBrowser(item.request.text, item.request.voice, item.controller.signal).then(resolve, reject);
      }).finally(() => { interrupt = null; quiet(); });
      return;
    }
    item.audio ??= fetchAudio(item);
    const blob = await item.audio;
    if (item.controller.signal.aborted) return;
    await playBlob(item, blob);
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (let item = head(); item; item = head()) {
        const reply = replies[0]!;
        reply.items.delete(reply.next);
        reply.next++;
        playing = item;
        prefetch();
        try {
          await playOne(item);
          if (item.controller.signal.aborted) continue;
          note(item, 'ended');
          error = null;
        } catch (e) {
          if (item.controller.signal.aborted) continue;
          note(item, 'failed');
          error = e instanceof Error ? e.message : String(e);
        } finally {
          if (playing === item) playing = null;
        }
        if (reply.items.size === 0 && replies.length > 1 && replies[0] === reply) replies.shift();
      }
    } finally {
      draining = false;
    }
  }

  return {
    enqueue(request) {
      if (queued() >= MAX_VOICE_QUEUE || stopped.has(request.replyId)) return; // far ahead of speech, or stopped: skipped
      let reply = replies.find((r) => r.replyId === request.replyId);
      if (!reply) {
        reply = { replyId: request.replyId, items: new Map(), next: 0 };
        replies.push(reply);
      }
      if (request.seq < reply.next || reply.items.has(request.seq)) return;
      reply.items.set(request.seq, { request, controller: new AbortController(), audio: null });
      prefetch();
      void drain();
    },
    stop() {
      for (const reply of replies) stopped.add(reply.replyId);
      if (playing) stopped.add(playing.request.replyId);
      while (stopped.size > MAX_STOPPED_REPLIES) stopped.delete(stopped.values().next().value!);
      for (const reply of replies.splice(0)) for (const item of reply.items.values()) { item.controller.abort(); note(item, 'dropped'); }
      if (playing) { playing.controller.abort(); note(playing, 'dropped'); }
      // Idle now, not when the interrupted sentence's wait unwinds.
      playing = null;
      paused = false;
      deps.audio.pause();
      deps.audio.removeAttribute('src');
      deps.audio.load();
      interrupt?.();
    },
    pause() {
      if (!playing || paused || playing.request.voice.provider === 'browser') return;
      paused = true;
      deps.audio.pause();
    },
    resume() {
      if (!paused) return;
      paused = false;
      if (playing) deps.audio.play().catch(() => {});
    },
    state() {
      return { status: playing || queued() > 0 ? 'speaking' : 'idle', error, log: log.slice() };
    },
    busy() {
      return playing !== null || queued() > 0;
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

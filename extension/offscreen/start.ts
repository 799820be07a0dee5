/**
 * Starts the offscreen document (entrypoints/offscreen/): answers the background over the offscreen
 * channel, runs summaries in its one summary worker, plays characters' voices, records push-to-talk, listens hands-free, and closes itself
 * (worker first) when it has been idle for OFFSCREEN_SELF_CLOSE_MS with nothing playing, in case the
 * service worker that would close it is gone.
 */
import { OFFSCREEN_PROTOCOL_VERSION } from '../messaging/protocols/offscreen-protocol.ts';
import { speakWithBrowser } from './browser-speech.ts';
import { closeWhenIdle } from './idle-close.ts';
import { serveOffscreen } from './offscreen-server.ts';
import { summaryWorkerLink } from './summary-worker-client.ts';
import { captureMicrophone } from './microphone-capture.ts';
import { createVoicePlayer } from './voice-player.ts';
import { createVoiceRecorder } from './voice-recorder.ts';
import { createClipTranscriber } from './clip-transcriber.ts';
import { createHandsFree } from './hands-free.ts';
import { openVadMicrophone } from './vad-microphone.ts';
import { HANDS_FREE_POLL_WAIT_MS } from '../messaging/limits/voice.ts';

export function startOffscreen(): void {
  const summaries = summaryWorkerLink();
  const audio = document.createElement('audio');
  document.body.append(audio);
  // Declared before the player, which tells it when Troupe's voice sounds (the echo gate).
  let handsFree: ReturnType<typeof createHandsFree> | null = null;
  const player = createVoicePlayer({
    fetch: (input, init) => fetch(input, init),
    audio,
    objectUrl: { create: (blob) => URL.createObjectURL(blob), revoke: (url) => URL.revokeObjectURL(url) },
    speakBrowser: speakWithBrowser,
    onSound: (event) => (event === 'start' ? handsFree?.playbackStarted() : handsFree?.playbackStopped()),
  });
  const transcriber = createClipTranscriber({ fetch: (input, init) => fetch(input, init) });
  const recorder = createVoiceRecorder({ capture: captureMicrophone, transcriber });
  handsFree = createHandsFree({ openVad: openVadMicrophone, transcriber, stopPlayback: () => player.stop(), pausePlayback: () => player.pause(), resumePlayback: () => player.resume(), now: () => Date.now() });
  const listening = handsFree;
  const idle = closeWhenIdle(() => {
    summaries.close();
    window.close();
  }, undefined, () => player.busy() || recorder.busy() || listening.busy());
  serveOffscreen({
    // A ping counts as activity: the host pings a document before it sends it work.
    'offscreen.ping': () => idle.during(async () => ({ version: OFFSCREEN_PROTOCOL_VERSION, busy: player.busy() || recorder.busy() || listening.busy() })),
    'summary.run': (request) => idle.during(() => summaries.summarise(request)),
    'voice.play': (request) => idle.during(async () => { player.enqueue(request); return null; }),
    'voice.stop': () => idle.during(async () => { player.stop(); return null; }),
    // Questions, not work: the panel asks every second while it shows the Voice section.
    'voice.state': async () => player.state(),
    'voice.listen.start': () => idle.during(() => recorder.start()),
    'voice.listen.stop': ({ endpoint, autoSend }) => idle.during(() => recorder.stop(endpoint, autoSend)),
    'voice.listen.retry': ({ endpoint, autoSend }) => idle.during(() => recorder.retry(endpoint, autoSend)),
    'voice.handsFree.start': (request) => idle.during(() => listening.start(request)),
    'voice.handsFree.stop': () => idle.during(async () => { await listening.stop(); return null; }),
    // Not `during`: a held poll is no work, and must not keep an idle document from closing.
    'voice.handsFree.poll': (request) => listening.poll(request, HANDS_FREE_POLL_WAIT_MS),
    // Sent at every reply's end, with or without a session: no reason to stay open.
    'voice.handsFree.replyDone': async () => { listening.replyDone(); return null; },
  });
  addEventListener('pagehide', () => {
    idle.dispose();
    player.stop();
    recorder.dispose();
    void listening.stop();
    summaries.close();
  });
}

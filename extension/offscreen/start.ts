/**
 * Starts the offscreen document (entrypoints/offscreen/): answers the background over the offscreen
 * channel, runs summaries in its one summary worker, plays characters' voices, records push-to-talk, and closes itself
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

export function startOffscreen(): void {
  const summaries = summaryWorkerLink();
  const audio = document.createElement('audio');
  document.body.append(audio);
  const player = createVoicePlayer({
    fetch: (input, init) => fetch(input, init),
    audio,
    objectUrl: { create: (blob) => URL.createObjectURL(blob), revoke: (url) => URL.revokeObjectURL(url) },
    speakBrowser: speakWithBrowser,
  });
  const recorder = createVoiceRecorder({ capture: captureMicrophone, fetch: (input, init) => fetch(input, init) });
  const idle = closeWhenIdle(() => {
    summaries.close();
    window.close();
  }, undefined, () => player.busy() || recorder.busy());
  serveOffscreen({
    // A ping counts as activity: the host pings a document before it sends it work.
    'offscreen.ping': () => idle.during(async () => ({ version: OFFSCREEN_PROTOCOL_VERSION, busy: player.busy() || recorder.busy() })),
    'summary.run': (request) => idle.during(() => summaries.summarise(request)),
    'voice.play': (request) => idle.during(async () => { player.enqueue(request); return null; }),
    'voice.stop': () => idle.during(async () => { player.stop(); return null; }),
    'voice.state': () => idle.during(async () => player.state()),
    'voice.listen.start': () => idle.during(() => recorder.start()),
    'voice.listen.stop': ({ endpoint, autoSend }) => idle.during(() => recorder.stop(endpoint, autoSend)),
    'voice.listen.retry': ({ endpoint, autoSend }) => idle.during(() => recorder.retry(endpoint, autoSend)),
  });
  addEventListener('pagehide', () => {
    idle.dispose();
    player.stop();
    recorder.dispose();
    summaries.close();
  });
}

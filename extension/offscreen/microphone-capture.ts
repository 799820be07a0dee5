/**
 * The microphone as push-to-talk records it: getUserMedia (allowed once on the options page, which
 * shares the extension's origin) and a MediaRecorder of Opus in WebM, which every whisper server reads.
 */
import type { Capture } from './voice-recorder.ts';

/** Opus in WebM where the browser has it (Chrome does); else the browser's default. */
const CLIP_TYPE = 'audio/webm;codecs=opus';

export async function captureMicrophone(): Promise<Capture> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } });
  const recorder = new MediaRecorder(stream, MediaRecorder.isTypeSupported(CLIP_TYPE) ? { mimeType: CLIP_TYPE } : {});
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => { if (event.data.size > 0) chunks.push(event.data); });
  recorder.start();
  return {
    stop: () => new Promise<Blob>((resolve) => {
      recorder.addEventListener('stop', () => {
        for (const track of stream.getTracks()) track.stop();
        resolve(new Blob(chunks, { type: recorder.mimeType || CLIP_TYPE }));
      }, { once: true });
      recorder.stop();
    }),
  };
}

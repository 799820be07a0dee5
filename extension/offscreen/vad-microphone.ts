/**
 * The microphone as hands-free hears it: vad-web's Silero v5 VAD, run offline from the files the build
 * copies into `vad/` (audio worklet, model, onnxruntime's wasm and its .mjs loader; wxt.config.ts), on
 * one thread (the document has no cross-origin isolation for more). Thresholds and timings are ours
 * (@troupe/shared/voice limits), not vad-web's defaults.
 */
import { MicVAD } from '@ricky0123/vad-web';
import { browser } from '#imports';
import { MIN_UTTERANCE_MS, PRE_ROLL_MS, VAD_END_PROBABILITY, VAD_START_PROBABILITY } from '@troupe/shared/voice';
import type { VadCallbacks, VadHandle } from './hands-free.ts';

/** Where the build puts the VAD's files. */
const VAD_ASSET_DIR = '/vad/';

export async function openVadMicrophone({ endOfTurnMs, callbacks }: { endOfTurnMs: number; callbacks: VadCallbacks }): Promise<VadHandle> {
  const base = browser.runtime.getURL('/') + VAD_ASSET_DIR.slice(1);
  const vad = await MicVAD.new({
    model: 'v5',
    baseAssetPath: base,
    onnxWASMBasePath: base,
    startOnLoad: false,
    positiveSpeechThreshold: VAD_START_PROBABILITY,
    negativeSpeechThreshold: VAD_END_PROBABILITY,
    redemptionMs: endOfTurnMs,
    preSpeechPadMs: PRE_ROLL_MS,
    minSpeechMs: MIN_UTTERANCE_MS,
    // The browser's echo cancellation removes most of Troupe's own voice; the echo gate handles the rest.
    getStream: () => navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } }),
    ortConfig: (ort) => {
      ort.env.wasm.numThreads = 1;
      ort.env.logLevel = 'error';
    },
    onFrameProcessed: (probabilities, frame) => callbacks.frame(probabilities.isSpeech, frame),
    onSpeechStart: () => callbacks.speechStart(),
    onSpeechEnd: (audio) => callbacks.speechEnd(audio),
    onVADMisfire: () => callbacks.misfire(),
  });
  try {
    await vad.start();
  } catch (error) {
    await vad.destroy().catch(() => {});
    throw error;
  }
  return { destroy: () => vad.destroy() };
}

/**
 * The 'browser' voice provider: the browser's own voices (speechSynthesis) in the offscreen document.
 * Headless Chromium and some Linux builds have none: then the person is told so in words.
 */
import type { VoiceChoice } from '@troupe/shared/voice';

/** How long to wait for the voice list: Chrome fills it asynchronously after the first call. */
const VOICES_WAIT_MS = 1_000;

export const NO_BROWSER_VOICES = 'Speech failed: this browser has no voices of its own (speechSynthesis has none). Choose an OpenAI-compatible or ElevenLabs voice instead.';

async function voices(synth: SpeechSynthesis): Promise<SpeechSynthesisVoice[]> {
  const now = synth.getVoices();
  if (now.length > 0) return now;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, VOICES_WAIT_MS);
    synth.addEventListener('voiceschanged', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
  return synth.getVoices();
}

/** Speaks `text`; resolves when it ends (or `signal` aborts, which cancels it); rejects in words. */
export async function speakWithBrowser(text: string, choice: VoiceChoice, signal: AbortSignal): Promise<void> {
  const synth = globalThis.speechSynthesis;
  if (!synth) throw new Error(NO_BROWSER_VOICES);
  const list = await voices(synth);
  if (list.length === 0) throw new Error(NO_BROWSER_VOICES);
  const utterance = new SpeechSynthesisUtterance(text);
  const voice = list.find((v) => v.voiceURI === choice.voice) ?? list.find((v) => v.name === choice.voice);
  if (voice) utterance.voice = voice;
  // speechSynthesis takes 0.1-10; the card's 0.25-4 fits.
  utterance.rate = choice.speed;
  await new Promise<void>((resolve, reject) => {
    utterance.onend = () => resolve();
    utterance.onerror = (event) => (event.error === 'interrupted' || event.error === 'canceled' ? resolve() : reject(new Error(event.error === 'synthesis-failed' ? NO_BROWSER_VOICES : `Speech failed: the browser's voice stopped (${event.error}).`)));
    signal.addEventListener('abort', () => { synth.cancel(); resolve(); }, { once: true });
    synth.speak(utterance);
  });
}

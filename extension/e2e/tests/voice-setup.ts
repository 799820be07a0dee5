/**
 * Voice set up as a person does it, for the voice end-to-end tests and `pnpm bench voice`: the options
 * page (microphone allowed, the test server's speech and transcription endpoints), and a character's
 * voice with read-aloud on in the panel. Waits with `eventually`, not vitest's expect (the bench runs outside vitest).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import type { Launched } from '../harness/index.ts';
import { ESPEAK_PATH } from '../harness/espeak-wav.ts';
import { OFFSCREEN_PROTOCOL_VERSION } from '../../messaging/protocols/offscreen-protocol.ts';
import { eventually, openSection } from './troupe-page.ts';

/** A spoken sentence for the fake microphone, 16 kHz mono, with `before` and `after` seconds of silence (Chromium loops the file). */
export function speechWav(text: string, before: number, after: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'troupe-speech-'));
  const raw = join(dir, 'raw.wav');
  const wav = join(dir, 'speech.wav');
  execFileSync(ESPEAK_PATH, ['-w', raw, text]);
  execFileSync('sox', [raw, '-r', '16000', '-c', '1', '-b', '16', wav, 'pad', String(before), String(after)]);
  return wav;
}

/** Chromium's flags for a fake microphone playing `wav`, and audio that plays without a gesture. */
export const fakeMicrophoneArgs = (wav: string) => ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'];

/**
 * Options → Voice: the microphone allowed; transcription (with `transcriptionKey` when given) and, unless
 * `speech` is false, speech at the test server (`llmUrl`). Returns the options page, still open.
 */
export async function setUpVoiceDevice(browser: Launched, llmUrl: string, { endOfTurnMs, speech = true, transcriptionKey }: { endOfTurnMs?: number; speech?: boolean; transcriptionKey?: string } = {}): Promise<Page> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const settings = options.getByRole('region', { name: 'Voice' });
  await settings.getByRole('button', { name: 'Allow microphone' }).click();
  await eventually(() => settings.getByText('Microphone allowed').count(), (n) => n === 1);
  if (speech) {
    await settings.getByLabel('Speech endpoint URL').fill(`${llmUrl}/v1`);
    await settings.getByLabel('Default speech model').fill('tts-1');
    await settings.getByRole('button', { name: 'Save speech endpoint' }).click();
    await eventually(() => settings.getByRole('status').textContent(), (text) => (text ?? '').includes('Saved.'));
  }
  await settings.getByLabel('Transcription endpoint URL').fill(`${llmUrl}/v1`);
  await settings.getByLabel('Transcription model').fill('whisper-1');
  if (transcriptionKey !== undefined) await settings.getByLabel('Transcription API key').fill(transcriptionKey);
  await settings.getByRole('button', { name: 'Save transcription endpoint' }).click();
  await eventually(() => settings.getByRole('status').textContent(), (text) => (text ?? '').includes('What you say is transcribed by'));
  if (endOfTurnMs !== undefined) await setEndOfTurn(options, endOfTurnMs);
  return options;
}

/** Options → Voice → End of turn after silence (the options page `page` stays open). */
export async function setEndOfTurn(options: Page, ms: number): Promise<void> {
  const settings = options.getByRole('region', { name: 'Voice' });
  await settings.getByLabel('End of turn after silence (ms)').fill(String(ms));
  await settings.getByRole('button', { name: 'Save end of turn' }).click();
  await eventually(() => settings.getByRole('status').textContent(), (text) => (text ?? '').includes(`${ms} ms after you stop speaking`));
}

/** Panel → Voice: the chat's character gets `voiceName`, and this chat reads aloud. */
export async function giveVoiceAndReadAloud(page: Page, voiceName: string, characterName: string): Promise<void> {
  await openSection(page, 'Voice');
  const voice = page.getByRole('complementary', { name: 'Troupe' }).getByRole('form', { name: 'Voice' });
  await voice.getByLabel('Voice name').fill(voiceName);
  await voice.getByRole('button', { name: 'Save voice' }).click();
  await eventually(() => voice.getByRole('status').textContent(), (text) => (text ?? '').includes(`Saved in ${characterName}'s card.`));
  await voice.getByLabel('Read replies aloud in this chat').click();
  await eventually(() => voice.getByLabel('Read replies aloud in this chat').isChecked(), (on) => on);
}

/** Asks the offscreen document directly, as the background does (the service worker is an extension context). */
export function askOffscreen<T>(worker: Worker, type: string, payload: object): Promise<T> {
  return worker.evaluate(async ([version, type, payload]) => {
    const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(message: object): Promise<unknown> } } };
    const answer = await chrome.runtime.sendMessage({ channel: 'troupe-offscreen', version, type, payload }) as { ok: boolean; value: unknown; error?: { message: string } };
    if (!answer.ok) throw new Error(answer.error?.message ?? 'the offscreen document refused');
    return answer.value;
  }, [OFFSCREEN_PROTOCOL_VERSION, type, payload] as const) as Promise<T>;
}

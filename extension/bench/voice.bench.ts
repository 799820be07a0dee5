/**
 * `pnpm bench voice` (issue #12): the delays a person talking to a character hears, in headless Chromium
 * with the built extension, the real Silero VAD, and the test server's STT (scripted) and TTS (espeak-ng
 * WAV) on 127.0.0.1. The fake microphone loops one espeak-ng sentence with silence after it.
 *
 * - Endpointing: the speech's acoustic end (its last frame above -46 dBFS) → the transcription request
 *   sent, with Troupe's end-of-turn silence (600 ms), vad-web's default redemption (1,400 ms) and Open
 *   WebUI's call-mode silence (2,000 ms), each the same pipeline and speech file in the same run.
 * - VAD end of speech → transcription request sent.
 * - Sentence complete in the stream (the test LLM wrote the chunk that ends it) → its TTS request at the
 *   server. Only a reply's first two sentences: the player fetches one sentence ahead of the one playing,
 *   so later sentences wait for their turn on purpose (no speech is bought for a reply the person cuts off).
 * - TTS response start (the server's first byte) → the audio playing (the player's 'playing').
 * - Speech onset (the first loud frame's start) → Troupe's voice stopped (barge-in).
 * - The first sentence → TTS again, for a message typed after Chrome stopped the idle service worker
 *   and the offscreen document closed (the state between two messages): waking both is in it.
 * Times cross processes on the wall clock (same machine). Needs `pnpm build:e2e` and Debian's Chromium,
 * espeak-ng and sox.
 */
import type { Page } from 'playwright-core';
import { percentile } from '../../shared/bench/lore.bench.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { launchChromium, type Launched } from '../e2e/harness/browser.ts';
import { startStage } from '../e2e/harness/stage-server.ts';
import { lastUserText, startTestLlm, type TestLlm } from '../e2e/harness/test-llm.ts';
import { eventually, openSection, openWithCharacter, panelBody, until } from '../e2e/tests/troupe-page.ts';
import { askOffscreen, fakeMicrophoneArgs, giveVoiceAndReadAloud, setEndOfTurn, setUpVoiceDevice, speechWav } from '../e2e/tests/voice-setup.ts';
import type { HandsFreeAnswer } from '../messaging/protocols/hands-free.ts';
import type { VoicePlaybackState } from '../messaging/protocols/voice-protocol.ts';
import { BENCH_EXTENSION_DIR } from './extension-build.ts';
import { offscreenDocuments } from './offscreen-documents.ts';
import { stopExtensionWorker } from '../e2e/harness/service-worker.ts';
import { typeAndSend } from '../e2e/harness/stage-page.ts';

/** Turns timed per end-of-turn setting. */
const TURNS = 3;
/** Barge-ins timed (each also gives a reply's TTS timings). */
const BARGE_INS = 6;
/** Replies typed after the service worker and the offscreen document stopped. */
const COLD_TURNS = 3;
/** Silence after the sentence in the looped file: longer than the longest end-of-turn compared. */
const SILENCE_AFTER_S = 3.5;
/** End-of-turn silences compared: Troupe's default, vad-web's default redemption, Open WebUI's call mode. */
const PROFILES = [['Troupe (600 ms)', 600], ['vad-web default (1,400 ms)', 1_400], ['Open WebUI call mode (2,000 ms)', 2_000]] as const;
/** Between the reply's chunks, as a model streams (~40 tokens a second of ~7 characters per chunk would be faster; a sentence per ~third of a second is typical). */
const CHUNK_GAP_MS = 300;
const TARGETS = { sttSent: 150, ttsSent: 20, playing: 300, stopped: 150 } as const;
/** What the fake microphone says, and the scripted transcript of it. */
const SAID = 'Tell me about the lighthouse.';
const SENTENCES = [
  'The lighthouse stands on the northern cliff above the harbour.',
  'Its lamp has burned every night for more than a hundred years.',
  'Tonight the keeper climbs the long spiral stairs once again.',
  'The wind howls at the windows as the storm rolls in from the sea.',
];

const median = (values: readonly number[]) => percentile(values, 50);
const round = (value: number) => Math.round(value * 10) / 10;
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The reply's chunks: the first half of the first sentence, then chunks that each end a sentence and
 * begin the next (". Its"), so sentence k (from 0) is complete when chunk k + 1 is written.
 */
function replyChunks(): string[] {
  const text = SENTENCES.join(' ');
  const middle = Math.floor(SENTENCES[0]!.length / 2);
  return [text.slice(0, middle), ...splitAtSentenceEnds(text.slice(middle))];
}

/** Cuts text right after each sentence's first following word begins (". T" → ". T|"). */
function splitAtSentenceEnds(text: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const match of text.matchAll(/[.!?] \S{3}/g)) {
    out.push(text.slice(from, match.index + match[0].length));
    from = match.index + match[0].length;
  }
  out.push(text.slice(from));
  return out;
}

async function handsFree(page: Page, on: boolean): Promise<void> {
  const box = panelBody(page).getByRole('checkbox', { name: 'Hands-free' });
  if ((await box.isChecked()) !== on) await box.click();
  const status = panelBody(page).getByRole('status', { name: 'Hands-free status' });
  const want = on ? /Listening|Hearing|Transcribing|Waiting|speaking/ : /^Off\./;
  await eventually(() => status.textContent(), (text) => want.test(text ?? ''), 20_000);
}


const measures = async (browser: Launched) => (await askOffscreen<HandsFreeAnswer>(browser.serviceWorker!, 'voice.handsFree.poll', { session: 'bench', after: 0, phase: 'off' }));

/** Endpointing and VAD-end → request, over TURNS turns with each end-of-turn silence (turns typed, not sent). */
async function endpointing(browser: Launched, llm: TestLlm, options: Page, page: Page) {
  const autoSend = options.getByRole('region', { name: 'Voice' }).getByLabel('Send what I said at once');
  const setAutoSend = async (on: boolean) => {
    await autoSend.click();
    await until(`auto-send ${on ? 'on' : 'off'}`, async () => (await autoSend.isChecked()) === on && (await autoSend.isEnabled()));
  };
  await setAutoSend(false);
  const out: { label: string; endpointing: number[]; sttSent: number[] }[] = [];
  for (const [label, ms] of PROFILES) {
    await setEndOfTurn(options, ms);
    await page.bringToFront();
    const seen = llm.transcriptions.length;
    await handsFree(page, true);
    const row = { label, endpointing: [] as number[], sttSent: [] as number[] };
    for (let turn = 1; turn <= TURNS; turn++) {
      await until(`turn ${turn} with ${label}`, () => llm.transcriptions.length >= seen + turn, 30_000);
      const { measures: m } = await measures(browser);
      if (m.endpointingMs !== null) row.endpointing.push(m.endpointingMs);
      if (m.speechEndToRequestMs !== null) row.sttSent.push(m.speechEndToRequestMs);
    }
    await handsFree(page, false);
    out.push(row);
  }
  await setAutoSend(true);
  return out;
}

/**
 * Scripts every reply as SENTENCES streamed a chunk every CHUNK_GAP_MS; returns, per reply to the person
 * (NextChat's own requests, such as the chat's title, get the same reply, unspoken), when each chunk was written.
 */
function scriptReplies(llm: TestLlm): number[][] {
  const writes: number[][] = [];
  const chunks = replyChunks();
  llm.setReply((request) => {
    const at: number[] = [];
    if (lastUserText(request) === SAID) writes.push(at);
    return { chunks, beforeChunk: async (i: number) => { if (i > 0) await delay(CHUNK_GAP_MS); at[i] = Date.now(); } };
  });
  return writes;
}

/** Sentence `k` complete (chunk k + 1 written) → its TTS request at the server, for each reply of `writes`. */
function ttsDelays(llm: TestLlm, writes: readonly number[][], k: number): number[] {
  const out: number[] = [];
  for (const at of writes) {
    const written = at[k + 1];
    const request = llm.speeches.find((s) => s.input === SENTENCES[k] && written !== undefined && s.at >= written && s.at - written < 5_000);
    if (written !== undefined && request) out.push(request.at - written);
  }
  return out;
}

/** TTS and barge-in timings over BARGE_INS replies spoken and cut off. */
async function speaking(browser: Launched, llm: TestLlm, options: Page, page: Page) {
  await setEndOfTurn(options, 600);
  await page.bringToFront();
  const writes = scriptReplies(llm);
  await giveVoiceAndReadAloud(page, 'af_bella', 'Mira');
  await openSection(page, 'Talk');
  const stopped: number[] = [];
  await handsFree(page, true);
  let bargeIns = 0;
  while (bargeIns < BARGE_INS) {
    const before = bargeIns;
    await until(`barge-in ${before + 1}`, async () => {
      const feed = await measures(browser);
      bargeIns = feed.events.filter((e) => e.kind === 'barge-in').length;
      if (bargeIns > before && feed.measures.onsetToStopMs !== null) stopped.push(feed.measures.onsetToStopMs);
      return bargeIns > before;
    }, 40_000);
  }
  await handsFree(page, false);

  const ttsByPlace = [ttsDelays(llm, writes, 0), ttsDelays(llm, writes, 1)] as const;
  const ttsSent = [...ttsByPlace[0], ...ttsByPlace[1]];
  // TTS response start → playing: each reply's first sentence, whose audio nothing else holds back.
  const player = await askOffscreen<VoicePlaybackState>(browser.serviceWorker!, 'voice.state', {});
  const playing: number[] = [];
  for (const event of player.log.filter((e) => e.event === 'playing' && e.seq === 0)) {
    const answered = llm.speeches.filter((s) => s.input === SENTENCES[0] && s.respondedAt !== undefined && s.respondedAt <= event.at).at(-1);
    if (answered) playing.push(event.at - answered.respondedAt!);
  }
  return { ttsSent, ttsByPlace, playing, stopped };
}

/**
 * A reply's first sentence → its TTS request when the person types after a pause: Chrome stopped the idle
 * service worker (done here through the DevTools protocol) and the offscreen document closed itself, as
 * between two messages. Waking both is in the figure.
 */
async function afterIdle(browser: Launched, llm: TestLlm, page: Page): Promise<number[]> {
  const writes = scriptReplies(llm);
  for (let turn = 0; turn < COLD_TURNS; turn++) {
    await until('the offscreen document closed', async () => (await offscreenDocuments(page)) === 0, 60_000);
    await stopExtensionWorker(browser.context, page);
    await typeAndSend(page, SAID);
    await until(`reply ${turn + 1} spoken`, () => ttsDelays(llm, writes, 0).length > turn, 30_000);
  }
  return ttsDelays(llm, writes, 0);
}

export async function runVoiceBench(): Promise<BenchRow[]> {
  const llm = await startTestLlm();
  const stage = await startStage({ llmUrl: llm.url });
  const browser = await launchChromium({ extensionDir: BENCH_EXTENSION_DIR, extraArgs: fakeMicrophoneArgs(speechWav(SAID, 0.5, SILENCE_AFTER_S)) });
  try {
    const options = await setUpVoiceDevice(browser, llm.url);
    const page = await browser.context.newPage();
    await openWithCharacter(page, stage.url, 'Mira', 'A lighthouse keeper.');
    await openSection(page, 'Talk');
    llm.setTranscript(SAID);
    const profiles = await endpointing(browser, llm, options, page);
    const spoken = await speaking(browser, llm, options, page);
    const cold = await afterIdle(browser, llm, page);
    const [troupe, vadWeb, openWebUi] = profiles.map((p) => median(p.endpointing));
    const sttSent = profiles.flatMap((p) => p.sttSent);
    const row = (name: string, value: number, reference?: number): BenchRow => ({ name, unit: 'ms', value: round(value), ...(reference === undefined ? {} : { reference: round(reference), ratio: round(reference / value) }) });
    const samples = (values: readonly number[]) => `n=${values.length}`;
    return [
      row(`endpointing, end of speech → STT request, median (${samples(profiles[0]!.endpointing)}); reference: vad-web default`, troupe!, vadWeb),
      row(`endpointing, same; reference: Open WebUI call mode (${samples(profiles[2]!.endpointing)})`, troupe!, openWebUi),
      row(`VAD end of speech → STT request sent, p95 (${samples(sttSent)}); target ${TARGETS.sttSent}`, percentile(sttSent, 95), TARGETS.sttSent),
      row(`sentence complete in the stream → TTS request at the server, p95 (${samples(spoken.ttsSent)}); target ${TARGETS.ttsSent}`, percentile(spoken.ttsSent, 95), TARGETS.ttsSent),
      row(`same, a reply's first sentence, median (${samples(spoken.ttsByPlace[0])})`, median(spoken.ttsByPlace[0])),
      row(`same, its second sentence, median (${samples(spoken.ttsByPlace[1])})`, median(spoken.ttsByPlace[1])),
      row(`same, a reply's first sentence after the service worker was stopped and the offscreen document closed, median (${samples(cold)}; max ${round(Math.max(...cold))})`, median(cold)),
      row(`TTS response start → audio playing, p95 (${samples(spoken.playing)}); target ${TARGETS.playing}`, percentile(spoken.playing, 95), TARGETS.playing),
      row(`speech onset → playback stopped (barge-in), p95 (${samples(spoken.stopped)}); target ${TARGETS.stopped}`, percentile(spoken.stopped, 95), TARGETS.stopped),
      row('same, median', median(spoken.stopped)),
    ];
  } finally {
    await browser.close();
    await stage.close();
    await llm.close();
  }
}

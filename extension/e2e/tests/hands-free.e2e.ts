/**
 * Hands-free voice in, end to end (issue #12), with the real Silero VAD bundled in the extension: the
 * fake microphone loops one spoken sentence with long silence after it. Switched on in the panel,
 * hands-free hears the sentence, ends the turn after the end-of-turn silence, uploads it as WAV, and the
 * transcript goes to NextChat as the person's turn with the character; the reply is spoken sentence by
 * sentence; when the sentence comes round again while the character speaks, that is barge-in: playback
 * stops, the rest of the reply is dropped, and what was said is the next turn. Switched off, the session
 * ends. (Troupe not hearing its own voice is the echo gate's and call-turns' unit tests: headless audio
 * output never reaches the fake microphone.)
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chatBodyOf, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { isUserTurn, openSection, openWithCharacter, panelBody } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';
import { askOffscreen, fakeMicrophoneArgs, giveVoiceAndReadAloud, setUpVoiceDevice, speechWav } from './voice-setup.ts';
import type { VoicePlaybackState } from '../../messaging/protocols/voice-protocol.ts';
import type { HandsFreeAnswer } from '../../messaging/protocols/hands-free.ts';

/** Seconds of silence after the sentence: the next time round comes while the character's reply plays. */
const SILENCE_AFTER_S = 6;

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
stageSession((parts) => ({ llm, stage, browser, page } = parts), undefined, { extraArgs: fakeMicrophoneArgs(speechWav('Tell me about the lighthouse.', 0.5, SILENCE_AFTER_S)) });

const FIRST = 'Tell me about the lighthouse.';
const SECOND = 'Wait, stop there.';
/** A reply long enough (~15 s of espeak) that the sentence comes round again while it is spoken. */
const REPLY = [
  'The lighthouse stands on the northern cliff above the harbour.',
  'Its lamp has burned every night for more than a hundred years.',
  'Tonight the keeper climbs the long spiral stairs once again.',
  'The wind howls at the windows as the storm rolls in from the sea.',
  'Far out on the water, a fishing boat is trying to find its way home.',
  'The keeper trims the wick and the great lens begins to turn.',
];

async function setUp(): Promise<void> {
  const options = await setUpVoiceDevice(browser, llm.url);
  const settings = options.getByRole('region', { name: 'Voice' });
  llm.setTranscript('');
  await settings.getByRole('button', { name: 'Test transcription endpoint' }).click();
  await expect.poll(() => settings.getByRole('status').textContent(), { timeout: 15_000 }).toContain('It works: the endpoint took a short test clip');
  await options.close();
  llm.reset();
}

describe('voice in: hands-free', () => {
  it('sends what was said when the person stops, speaks the reply, and stops it when the person speaks over it', async () => {
    await setUp();
    await openWithCharacter(page, stage.url, 'Mira', 'A lighthouse keeper.');
    await giveVoiceAndReadAloud(page, 'af_bella', 'Mira');

    await openSection(page, 'Talk');
    const status = panelBody(page).getByRole('status', { name: 'Hands-free status' });
    llm.setTranscript([FIRST, SECOND]);
    llm.setReply(() => ({ chunks: REPLY.join(' ').match(/.{1,23}/gs)! }));
    await panelBody(page).getByRole('checkbox', { name: 'Hands-free' }).click();
    await expect.poll(async () => `${await status.textContent()} ${await panelBody(page).getByRole('alert').allTextContents()}`, { timeout: 20_000 }).toContain('Listening: just speak.');

    // The first time round: one WAV upload once the person stopped, then the turn with the character.
    const first = await llm.waitForRequest(isUserTurn(FIRST), 30_000);
    expect(JSON.stringify(chatBodyOf(first))).toContain('A lighthouse keeper.');
    expect(llm.transcriptions[0]).toMatchObject({ model: 'whisper-1', fileName: 'speech.wav' });
    // 16 kHz 16-bit: the sentence (~1.8 s) with its pre-roll and end-of-turn silence is 60-150 KB.
    expect(llm.transcriptions[0]!.bytes).toBeGreaterThan(40_000);
    expect(llm.transcriptions[0]!.audio.subarray(0, 4).toString('ascii')).toBe('RIFF');

    // The reply is spoken; the sentence comes round again while it is: barge-in.
    const worker = browser.serviceWorker!;
    await expect.poll(() => llm.speeches.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await llm.waitForRequest(isUserTurn(SECOND), 40_000);
    const player = await askOffscreen<VoicePlaybackState>(worker, 'voice.state', {});
    const events = player.log.map((e) => e.event);
    expect(events).toContain('playing');
    // Stopped mid-reply: not every sentence was played to its end, the rest dropped.
    expect(events.filter((e) => e === 'ended').length).toBeLessThan(REPLY.length);
    expect(events).toContain('dropped');
    const feed = await askOffscreen<HandsFreeAnswer>(worker, 'voice.handsFree.poll', { session: 'test', after: 0, phase: 'off' });
    expect(feed.events.map((e) => e.kind).slice(0, 3)).toEqual(['turn', 'barge-in', 'turn']);
    expect(feed.measures.onsetToStopMs).not.toBeNull();
    expect(feed.measures.speechEndToRequestMs).not.toBeNull();
    expect(feed.measures.endpointingMs).not.toBeNull();
    expect(llm.transcriptions).toHaveLength(2);
    await expect.poll(() => panelBody(page).getByText(`Sent: “${SECOND}”`).count()).toBe(1);

    // Off: the session ends (the microphone closes).
    await panelBody(page).getByRole('checkbox', { name: 'Hands-free' }).click();
    await expect.poll(() => status.textContent()).toContain('Off.');
    await expect.poll(async () => (await askOffscreen<HandsFreeAnswer>(worker, 'voice.handsFree.poll', { session: '', after: 0, phase: 'listening' })).phase).toBe('off');
  }, 90_000);
});

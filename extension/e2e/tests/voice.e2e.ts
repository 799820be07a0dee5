/**
 * Voice out, end to end (issue #12): the speech endpoint set in the options page (the test server's
 * OpenAI-compatible `/v1/audio/speech`), a voice given to the character in the panel, read-aloud on for
 * the chat: a streamed reply of three sentences is spoken sentence by sentence, in order, in that
 * voice; Stop silences it at once and nothing more is asked of the endpoint.
 */
import type { Page, Worker } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { typeAndSend, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { isUserTurn, openSection, openWithCharacter } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';
import type { VoicePlaybackState } from '../../messaging/protocols/voice-protocol.ts';
import { askOffscreen } from './voice-setup.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;
// <audio> in the offscreen document plays without a gesture only with this flag.
stageSession((parts) => ({ llm, stage, browser, page } = parts), undefined, { extraArgs: ['--autoplay-policy=no-user-gesture-required'] });

const SENTENCES = [
  'The lighthouse stands on the northern cliff.',
  'Its lamp has burned for a hundred years.',
  'Tonight the keeper climbs the stairs again.',
];
const MORE = [
  'The storm came over the water at dusk.',
  'Waves broke white against the harbour wall.',
  'Nobody slept in the village that night.',
];

/** The offscreen player's state, asked of the document by the service worker (as the background asks it). */
const playerState = (worker: Worker) => askOffscreen<VoicePlaybackState>(worker, 'voice.state', {});

/** A reply streamed in small chunks that cut sentences in the middle. */
const chunked = (sentences: string[]) => ({ chunks: sentences.join(' ').match(/.{1,17}/gs)! });

describe('voice: replies read aloud', () => {
  it('speaks each sentence of a streamed reply in order, in the character\'s voice; Stop and Escape silence it; a refused key is said in the panel', async () => {
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const settings = options.getByRole('region', { name: 'Voice' });
    await settings.getByLabel('Speech endpoint URL').fill(`${llm.url}/v1`);
    await settings.getByLabel('Default speech model').fill('tts-1');
    await settings.getByRole('button', { name: 'Save speech endpoint' }).click();
    await expect.poll(() => settings.getByRole('status').textContent()).toContain('Saved.');
    await settings.getByRole('button', { name: 'Test speech endpoint' }).click();
    await expect.poll(() => settings.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^It works: .* \(\d+ bytes of audio\/wav/);
    await options.close();
    llm.reset();

    await openWithCharacter(page, stage.url, 'Mira', 'A lighthouse keeper.');
    await openSection(page, 'Voice');
    const panel = page.getByRole('complementary', { name: 'Troupe' });
    const section = panel.getByRole('form', { name: 'Voice' });
    await section.getByLabel('Voice name').fill('af_bella');
    await section.getByLabel('Speed').fill('1.25');
    await section.getByRole('button', { name: 'Save voice' }).click();
    await expect.poll(() => section.getByRole('status').textContent()).toContain("Saved in Mira's card.");
    await section.getByLabel('Read replies aloud in this chat').click();
    await expect.poll(() => section.getByLabel('Read replies aloud in this chat').isChecked()).toBe(true);

    llm.setReply(() => chunked(SENTENCES));
    await typeAndSend(page, 'Tell me about the lighthouse.');
    await llm.waitForRequest(isUserTurn('Tell me about the lighthouse.'));
    await expect.poll(() => llm.speeches.length, { timeout: 15_000 }).toBe(3);
    expect(llm.speeches.map((s) => s.input)).toEqual(SENTENCES);
    for (const speech of llm.speeches) expect(speech).toMatchObject({ voice: 'af_bella', speed: 1.25, model: 'tts-1', response_format: 'wav' });
    const worker = browser.serviceWorker!;
    // Each sentence played and ended, strictly in order.
    await expect.poll(async () => (await playerState(worker)).log.filter((e) => e.event === 'ended').length, { timeout: 30_000 }).toBe(3);
    const played = (await playerState(worker)).log.filter((e) => e.event === 'playing' || e.event === 'ended').map((e) => `${e.seq}:${e.event}`);
    expect(played).toEqual(['0:playing', '0:ended', '1:playing', '1:ended', '2:playing', '2:ended']);
    expect((await playerState(worker)).error).toBeNull();

    // Stop while the next reply is being spoken: silence, the rest dropped, nothing more asked.
    llm.reset();
    llm.setReply(() => chunked(MORE));
    await typeAndSend(page, 'And the storm?');
    await expect.poll(async () => (await playerState(worker)).log.filter((e) => e.event === 'playing').length, { timeout: 15_000 }).toBe(4);
    await section.getByRole('button', { name: 'Stop speaking' }).click();
    const stoppedAt = Date.now();
    await expect.poll(async () => (await playerState(worker)).status, { interval: 20 }).toBe('idle');
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    const asked = llm.speeches.length;
    expect(asked).toBeLessThan(3);
    // The rest of the reply (already streamed) is not fetched nor played.
    await page.waitForTimeout(1_500);
    expect(llm.speeches.length).toBe(asked);
    const state = await playerState(worker);
    expect(state.log.filter((e) => e.event === 'playing').length).toBe(4);
    expect(state.log.filter((e) => e.event === 'ended').length).toBe(3);

    // Escape with focus in the panel stops it too.
    llm.reset();
    llm.setReply(() => chunked(SENTENCES));
    await typeAndSend(page, 'Once more, please.');
    await expect.poll(async () => (await playerState(worker)).log.filter((e) => e.event === 'playing').length, { timeout: 15_000 }).toBe(5);
    await section.getByLabel('Voice name').focus();
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await playerState(worker)).status, { interval: 20 }).toBe('idle');
    expect((await playerState(worker)).log.filter((e) => e.event === 'ended').length).toBe(3);

    // An endpoint that refuses the key: the panel says so, in words.
    llm.reset();
    llm.setSpeechReply({ raw: { status: 401, body: '{"error":{"message":"Invalid API key"}}', contentType: 'application/json' } });
    llm.setReply(() => chunked(MORE.slice(0, 1)));
    await typeAndSend(page, 'Are you there?');
    await expect.poll(() => section.getByRole('alert').textContent(), { timeout: 15_000 }).toBe('Speech failed: the endpoint refused the API key (401): Invalid API key.');
  });
});

/**
 * Voice in, push-to-talk, end to end (issue #12): Chromium's fake microphone plays a spoken WAV; the
 * microphone is allowed on the options page and the transcription endpoint set to the test server;
 * holding Talk on NextChat's page uploads one clip, and the scripted transcript is typed into NextChat's
 * input and sent, reaching the model as the person's turn with the character. An empty transcript says
 * so and sends nothing; a 401 says so, and Retry re-sends the same clip once the key is fixed.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chatBodyOf, type Launched, type Stage, type TestLlm } from '../harness/index.ts';
import { isUserTurn, openSection, openWithCharacter, panelBody } from './troupe-page.ts';
import { stageSession } from './stage-session.ts';
import { setUpVoiceDevice, speechWav } from './voice-setup.ts';

let llm: TestLlm;
let stage: Stage;
let browser: Launched;
let page: Page;

const SAID = 'Tell me about the lighthouse.';
const HOLD_MS = 1_500;

async function holdToTalk(page: Page): Promise<void> {
  const talk = panelBody(page).getByRole('button', { name: 'Hold to talk' });
  await talk.hover();
  await page.mouse.down();
  await page.waitForTimeout(HOLD_MS);
  await page.mouse.up();
}

async function setUp(key: string): Promise<void> {
  await (await setUpVoiceDevice(browser, llm.url, { speech: false, transcriptionKey: key })).close();
}

describe('voice in: push-to-talk', () => {
  stageSession((parts) => ({ llm, stage, browser, page } = parts), undefined, {
    extraArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${speechWav('Tell me about the lighthouse.', 0.5, 1)}`],
  });

  it('types what was said into NextChat and sends it as the person\'s turn; an empty transcript and a refused key say so; Retry re-sends the clip', async () => {
    await setUp('sk-good');
    await openWithCharacter(page, stage.url, 'Mira', 'A lighthouse keeper.');
    await openSection(page, 'Talk');
    const status = panelBody(page).getByRole('status', { name: 'Talk status' });

    llm.setTranscript(SAID);
    await holdToTalk(page);
    const request = await llm.waitForRequest(isUserTurn(SAID), 20_000);
    expect(llm.transcriptions).toHaveLength(1);
    expect(llm.transcriptions[0]).toMatchObject({ model: 'whisper-1', fileName: 'speech.webm' });
    expect(llm.transcriptions[0]!.bytes).toBeGreaterThan(1_000);
    expect(JSON.stringify(chatBodyOf(request))).toContain('A lighthouse keeper.');
    await expect.poll(() => status.textContent()).toContain(`Sent: “${SAID}”`);

    // Nothing heard: said so, nothing sent.
    const chats = () => llm.requests.filter((r) => chatBodyOf(r)?.stream === true).length;
    const sentBefore = chats();
    llm.setTranscript('');
    await holdToTalk(page);
    await expect.poll(() => panelBody(page).getByRole('alert').textContent(), { timeout: 15_000 }).toContain('Nothing was heard');
    expect(chats()).toBe(sentBefore);

    // A refused key: said so; Retry re-sends the same clip once the endpoint takes it.
    llm.setTranscript(() => ({ status: 401, body: JSON.stringify({ error: { message: 'Incorrect API key provided.' } }), contentType: 'application/json' }));
    await holdToTalk(page);
    await expect.poll(() => panelBody(page).getByRole('alert').textContent(), { timeout: 15_000 }).toContain('refused the API key (401)');
    const refused = llm.transcriptions.at(-1)!;
    llm.setTranscript('Once more, then.');
    await panelBody(page).getByRole('button', { name: 'Retry' }).click();
    await llm.waitForRequest(isUserTurn('Once more, then.'), 20_000);
    expect(llm.transcriptions.at(-1)!.audio.equals(refused.audio)).toBe(true);
  }, 60_000);
});

describe('voice in: a blocked microphone', () => {
  // No fake prompt: Chrome's own permission decides (a fake microphone is still there to be refused).
  stageSession((parts) => ({ llm, stage, browser, page } = parts), undefined, { extraArgs: ['--use-fake-device-for-media-stream'] });

  it('says before the first press that the microphone is blocked and how to fix it; holding and hands-free say it too', async () => {
    // Blocked for Troupe's origin, as "Not allowed to use your microphone" in Chrome's settings does.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Browser.setPermission', { permission: { name: 'microphone' }, setting: 'denied', origin: `chrome-extension://${browser.extensionId}` });
    const options = await browser.context.newPage();
    await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
    const settings = options.getByRole('region', { name: 'Voice' });
    await expect.poll(() => settings.getByLabel('Microphone').textContent()).toContain('Microphone blocked for Troupe');
    await settings.getByLabel('Transcription endpoint URL').fill(`${llm.url}/v1`);
    await settings.getByRole('button', { name: 'Save transcription endpoint' }).click();
    await expect.poll(() => settings.getByRole('status').textContent()).toContain('What you say is transcribed by');
    await options.close();
    await openWithCharacter(page, stage.url, 'Mira', 'A lighthouse keeper.');
    await openSection(page, 'Talk');
    await expect.poll(() => panelBody(page).getByLabel('Microphone').textContent()).toContain('The microphone is blocked for Troupe: open chrome://settings/content/microphone');
    await holdToTalk(page);
    await expect.poll(() => panelBody(page).getByRole('alert').first().textContent(), { timeout: 15_000 }).toContain('Troupe may not use the microphone.');
    await panelBody(page).getByRole('checkbox', { name: 'Hands-free' }).click();
    await expect.poll(() => panelBody(page).getByLabel('Hands-free').getByRole('alert').textContent(), { timeout: 15_000 }).toContain('Troupe may not use the microphone.');
    expect(await panelBody(page).getByRole('checkbox', { name: 'Hands-free' }).isChecked()).toBe(false);
    expect(llm.transcriptions).toHaveLength(0);
  }, 60_000);
});

import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_END_OF_TURN_MS, MAX_END_OF_TURN_MS, MIN_END_OF_TURN_MS } from '@troupe/shared/voice';
import { browser } from '#imports';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import { originToMatchPattern } from '../../messaging/origins.ts';
import { MicrophoneAccess } from './MicrophoneAccess.tsx';
import type { VoiceDeviceUpdate, VoiceDeviceView } from '../../messaging/protocols/voice-protocol.ts';

type Notice = { kind: 'error' | 'ok'; text: string } | null;

/** The voice the Test button asks for when the person names none (Kokoro's and OpenAI's both have one). */
const DEFAULT_TEST_VOICE = 'alloy';
/** OpenAI's transcription model; whisper servers (faster-whisper-server, LocalAI…) accept it too. */
const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1';

/**
 * Where characters' voices come from on this device: an OpenAI-compatible speech endpoint (OpenAI,
 * Kokoro-FastAPI, openedai-speech…) with its default model and an optional API key, and an ElevenLabs
 * API key. Keys are typed here and sent to the background once; they are never shown again. Which
 * voice each character speaks with is set in the panel, in its card.
 */
export function VoiceSection() {
  const [view, setView] = useState<VoiceDeviceView | null>(null);
  const [url, setUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [elevenKey, setElevenKey] = useState('');
  const [sttUrl, setSttUrl] = useState('');
  const [sttModel, setSttModel] = useState('');
  const [sttKey, setSttKey] = useState('');
  const [testVoice, setTestVoice] = useState(DEFAULT_TEST_VOICE);
  const [endOfTurn, setEndOfTurn] = useState(String(DEFAULT_END_OF_TURN_MS));
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const apply = (next: VoiceDeviceView) => {
    setView(next);
    setUrl(next.openai?.url ?? '');
    setModel(next.openai?.model ?? '');
    setApiKey('');
    setElevenKey('');
    setSttUrl(next.transcription?.url ?? '');
    setSttModel(next.transcription?.model ?? '');
    setSttKey('');
    setEndOfTurn(String(next.endOfTurnMs));
  };
  useEffect(() => { callBackground('voice.device.get', {}).then(apply, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) })); }, []);

  const run = async (work: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const update = async (change: VoiceDeviceUpdate) => {
    const next = await callBackground('voice.device.update', change);
    apply(next);
    return next;
  };

  /** Asks for the endpoint's origin in the click (the browser asks the person only during a gesture). */
  const allowed = async (address: string): Promise<string | null> => {
    let pattern: string | null = null;
    try { pattern = originToMatchPattern(address); } catch { return null; }
    if (!pattern || !/^https?:\/\//i.test(address.trim())) return null;
    try {
      if (await browser.permissions.contains({ origins: [pattern] })) return null;
      return (await browser.permissions.request({ origins: [pattern] })) ? null : `Troupe was not allowed to reach ${pattern}, so it could not ask for speech there. Nothing was saved.`;
    } catch (e) {
      return `Troupe could not ask for access to ${pattern}: ${errorText(e)}`;
    }
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const refused = await allowed(url);
    if (refused) return setNotice({ kind: 'error', text: refused });
    await run(async () => {
      const next = await update({ openai: { url, model, ...(apiKey.trim() ? { apiKey } : {}) } });
      return { kind: 'ok', text: `Saved. Voices of the OpenAI-compatible kind are spoken by ${next.openai?.url ?? 'no endpoint'}.` };
    });
  };

  const saveEleven = async (event: Event) => {
    event.preventDefault();
    const refused = await allowed('https://api.elevenlabs.io');
    if (refused) return setNotice({ kind: 'error', text: refused });
    await run(async () => {
      await update({ elevenLabsKey: elevenKey });
      return { kind: 'ok', text: 'Saved. ElevenLabs voices can speak now.' };
    });
  };

  const saveTranscription = async (event: Event) => {
    event.preventDefault();
    const refused = await allowed(sttUrl);
    if (refused) return setNotice({ kind: 'error', text: refused });
    await run(async () => {
      const next = await update({ transcription: { url: sttUrl, model: sttModel || DEFAULT_TRANSCRIPTION_MODEL, ...(sttKey.trim() ? { apiKey: sttKey } : {}) } });
      return { kind: 'ok', text: `Saved. What you say is transcribed by ${next.transcription?.url ?? 'no endpoint'}.` };
    });
  };

  const test = (provider: 'openai-compatible' | 'elevenlabs') => run(async () => {
    const result = await callBackground('voice.device.test', { provider, voice: testVoice.trim() || DEFAULT_TEST_VOICE });
    return result.ok
      ? { kind: 'ok', text: `It works: the endpoint said the test sentence (${result.bytes} bytes of ${result.contentType}, ${result.ms} ms).` }
      : { kind: 'error', text: result.message };
  });

  const testTranscription = () => run(async () => {
    const result = await callBackground('voice.device.testTranscription', {});
    return result.ok
      ? { kind: 'ok', text: `It works: the endpoint took a short test clip and answered in ${result.ms} ms${result.text ? ` (“${result.text}”)` : ' (it heard nothing in it, as expected: the clip is silence)'}.` }
      : { kind: 'error', text: result.message };
  });

  const saveEndOfTurn = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const next = await update({ endOfTurnMs: Number(endOfTurn) });
      return { kind: 'ok', text: `Saved. Hands-free sends your words ${next.endOfTurnMs} ms after you stop speaking.` };
    });
  };

  const saved = view?.openai ?? null;
  return (
    <section aria-labelledby="voice-title">
      <h2 id="voice-title">Voice</h2>
      <p>Characters can read their replies aloud, each in its own voice. Speech comes from the endpoint or service you set here; keys stay on this device and go only to that service. Each character's voice is chosen in the panel's Voice section.</p>
      {view && (
        <>
          <form aria-label="Speech endpoint" onSubmit={(e) => void save(e)}>
            <label>Speech endpoint URL
              <input inputMode="url" value={url} disabled={busy} placeholder="http://127.0.0.1:8880/v1" spellcheck={false} onInput={(e) => setUrl(e.currentTarget.value)} />
            </label>
            <label>Default speech model
              <input value={model} disabled={busy} placeholder="tts-1" spellcheck={false} onInput={(e) => setModel(e.currentTarget.value)} />
            </label>
            <label>Speech API key
              <input type="password" value={apiKey} disabled={busy} autocomplete="off" spellcheck={false}
                placeholder={saved?.hasKey ? 'Leave empty to keep the saved key' : 'Only if the endpoint needs one'} onInput={(e) => setApiKey(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy}>Save speech endpoint</button>
          </form>
          {saved?.hasKey && <p>A speech key is saved on this device. <button type="button" disabled={busy} onClick={() => void run(async () => { await update({ openai: { url: saved.url, model: saved.model, apiKey: null } }); return { kind: 'ok', text: 'The speech key was removed from this device.' }; })}>Remove speech key</button></p>}
          <form aria-label="ElevenLabs" onSubmit={(e) => void saveEleven(e)}>
            <label>ElevenLabs API key
              <input type="password" value={elevenKey} disabled={busy} autocomplete="off" spellcheck={false}
                placeholder={view.elevenLabs.hasKey ? 'A key is saved; type a new one to replace it' : 'Only for ElevenLabs voices'} onInput={(e) => setElevenKey(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy || !elevenKey.trim()}>Save ElevenLabs key</button>
          </form>
          {view.elevenLabs.hasKey && <p>An ElevenLabs key is saved on this device. <button type="button" disabled={busy} onClick={() => void run(async () => { await update({ elevenLabsKey: null }); return { kind: 'ok', text: 'The ElevenLabs key was removed from this device.' }; })}>Remove ElevenLabs key</button></p>}
          <p>
            <label>Test voice<input value={testVoice} disabled={busy} spellcheck={false} onInput={(e) => setTestVoice(e.currentTarget.value)} /></label>{' '}
            <button type="button" disabled={busy || !saved} onClick={() => void test('openai-compatible')}>Test speech endpoint</button>{' '}
            <button type="button" disabled={busy || !view.elevenLabs.hasKey} onClick={() => void test('elevenlabs')}>Test ElevenLabs</button>
          </p>
          <h3>Voice in</h3>
          <p>Hold to talk in the panel (or Alt+T on a NextChat page): what you say is transcribed by this endpoint and typed into NextChat's input.</p>
          <MicrophoneAccess />
          <form aria-label="Transcription endpoint" onSubmit={(e) => void saveTranscription(e)}>
            <label>Transcription endpoint URL
              <input inputMode="url" value={sttUrl} disabled={busy} placeholder="https://api.openai.com/v1" spellcheck={false} onInput={(e) => setSttUrl(e.currentTarget.value)} />
            </label>
            <label>Transcription model
              <input value={sttModel} disabled={busy} placeholder={DEFAULT_TRANSCRIPTION_MODEL} spellcheck={false} onInput={(e) => setSttModel(e.currentTarget.value)} />
            </label>
            <label>Transcription API key
              <input type="password" value={sttKey} disabled={busy} autocomplete="off" spellcheck={false}
                placeholder={view.transcription?.hasKey ? 'Leave empty to keep the saved key' : 'Only if the endpoint needs one'} onInput={(e) => setSttKey(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy || !sttUrl.trim()}>Save transcription endpoint</button>
          </form>
          {view.transcription?.hasKey && <p>A transcription key is saved on this device. <button type="button" disabled={busy} onClick={() => void run(async () => { const t = view.transcription!; await update({ transcription: { url: t.url, model: t.model, apiKey: null } }); return { kind: 'ok', text: 'The transcription key was removed from this device.' }; })}>Remove transcription key</button></p>}
          <label class="switch">
            <input type="checkbox" checked={view.autoSend} disabled={busy}
              onChange={(e) => { const on = e.currentTarget.checked; void run(async () => { await update({ autoSend: on }); return { kind: 'ok', text: on ? 'What you say is sent at once.' : 'What you say waits in NextChat\'s input for you to review and send.' }; }); }} />
            <span>Send what I said at once</span>
          </label>
          <p><button type="button" disabled={busy || !view.transcription} onClick={() => void testTranscription()}>Test transcription endpoint</button></p>
          <form aria-label="Hands-free" onSubmit={saveEndOfTurn}>
            <p>Hands-free (the panel's Talk section): Troupe listens, and your turn ends when you have been silent this long. Shorter answers sooner; longer lets you pause mid-sentence.</p>
            <label>End of turn after silence (ms)
              <input type="number" min={MIN_END_OF_TURN_MS} max={MAX_END_OF_TURN_MS} step={50} value={endOfTurn} disabled={busy} onInput={(e) => setEndOfTurn(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy}>Save end of turn</button>
          </form>
          {busy && <p class="muted">Working…</p>}
        </>
      )}
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} class={notice.kind}>{notice.text}</p>}
    </section>
  );
}

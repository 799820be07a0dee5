import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { callBackground } from '../../client/runtime-client.ts';
import { errorText } from '../../client/library-client.ts';
import { originToMatchPattern } from '../../messaging/origins.ts';
import type { MemorySettingsView, SummaryModelUpdate } from '../../messaging/protocols/memory-protocol.ts';

type Notice = { kind: 'error' | 'ok'; text: string } | null;

/**
 * Summary requests a chat costs per 100 messages, as `pnpm bench memory` measured it (README, "Memory"):
 * what the person pays their chat's provider for summaries written by the chat's own model.
 */
const SUMMARY_REQUESTS_PER_100_MESSAGES = '4.4';

/**
 * Which model writes chats' summaries: an OpenAI-compatible endpoint, its model and API key; or, with
 * none set, each chat's own model (on unless turned off here); else the local summariser. The key is
 * typed here and sent to the background once; it is never shown again (the page only learns that one
 * is saved). A chat's own key never reaches this page.
 */
export function MemorySection() {
  const [view, setView] = useState<MemorySettingsView | null>(null);
  const [url, setUrl] = useState('');
  const [model, setModel] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);

  const apply = (next: MemorySettingsView) => {
    setView(next);
    setUrl(next.summaryModel?.url ?? '');
    setModel(next.summaryModel?.model ?? '');
    setApiKey('');
  };
  useEffect(() => { callBackground('memory.settings.get', {}).then(apply, (e: unknown) => setNotice({ kind: 'error', text: errorText(e) })); }, []);

  /** Runs one change; its answer replaces the view. */
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

  const update = async (change: { summaryModel?: SummaryModelUpdate | null; useChatModel?: boolean }) => {
    const next = await callBackground('memory.settings.update', change);
    apply(next);
    return next;
  };

  const save = async (event: Event) => {
    event.preventDefault();
    // First thing in the click: the browser only asks the person during the gesture. An address that is not
    // one goes to the background as typed, which says what is wrong with it.
    let pattern: string | null = null;
    try { pattern = originToMatchPattern(url); } catch { /* refused below with the background's reason */ }
    if (pattern && /^https?:\/\//i.test(url.trim())) {
      let granted: boolean;
      try {
        granted = await browser.permissions.request({ origins: [pattern] });
      } catch (e) {
        return setNotice({ kind: 'error', text: `Troupe could not ask for access to ${pattern}: ${errorText(e)}` });
      }
      if (!granted) return setNotice({ kind: 'error', text: `Troupe was not allowed to reach ${pattern}, so it could not ask the model there. Nothing was saved.` });
    }
    const hadKey = view?.summaryModel?.hasKey === true;
    await run(async () => {
      const next = await update({ summaryModel: { url, model, ...(apiKey.trim() ? { apiKey } : {}) } });
      const dropped = hadKey && !apiKey.trim() && next.summaryModel?.hasKey === false;
      return { kind: 'ok', text: `Saved. New summaries are written by ${next.summaryModel?.model ?? 'the local summariser'}.${dropped ? ' The saved key was for another address, so it was removed: enter the key for this one.' : ''}` };
    });
  };

  const test = () => run(async () => {
    const result = await callBackground('memory.settings.test', {});
    return result.ok ? { kind: 'ok', text: `The model answered: ${result.sample}` } : { kind: 'error', text: `The model could not be used: ${result.message}` };
  });

  const removeKey = () => run(async () => {
    const saved = view?.summaryModel;
    if (!saved) return null;
    await update({ summaryModel: { url: saved.url, model: saved.model, apiKey: null } });
    return { kind: 'ok', text: 'The key was removed from this device.' };
  });

  const stop = () => run(async () => {
    const next = await update({ summaryModel: null });
    const by = next.useChatModel ? 'each chat\'s own model when it can, else by the local summariser' : 'the local summariser';
    return { kind: 'ok', text: `Summaries are written by ${by} again. The model's address and key were removed from this device.` };
  });

  /** Shown at once (a checkbox that waits for the background looks broken); the answer replaces it. Typed fields stay. */
  const useChatModel = (on: boolean) => {
    const before = view;
    setView((v) => v && { ...v, useChatModel: on });
    return run(async () => {
      try {
        setView(await callBackground('memory.settings.update', { useChatModel: on }));
      } catch (e) {
        setView(before);
        throw e;
      }
      return { kind: 'ok', text: on ? 'Saved. With no model set below, chats\' own models write their summaries.' : 'Saved. With no model set below, summaries are written by the local summariser.' };
    });
  };

  const saved = view?.summaryModel ?? null;
  return (
    <section aria-labelledby="memory-title">
      <h2 id="memory-title">Memory</h2>
      <p>Summaries of what a long chat left behind are written by the model you set here (any OpenAI-compatible endpoint); with none, by the chat's own model when allowed below; else on this device by Troupe's local summariser. The model receives the parts of your chats it summarises, and its API key stays on this device: it is sent only to that endpoint.</p>
      {view && (
        <>
          <p class="muted">{saved ? `Summaries are written by ${saved.model} at ${saved.url}.`
            : view.useChatModel ? 'Summaries are written by each chat\'s own model when it can, else by the local summariser.' : 'Summaries are written by the local summariser.'}</p>
          <label>
            <input type="checkbox" checked={view.useChatModel} disabled={busy} aria-describedby="memory-chat-model-note" onChange={(e) => void useChatModel(e.currentTarget.checked)} />
            Summarise with the chat's own model
          </label>
          <p id="memory-chat-model-note" class="muted">
            When no model is set below, a chat's summaries go to the endpoint and model the chat itself uses, with the API key or access code NextChat sends
            there: about {SUMMARY_REQUESTS_PER_100_MESSAGES} extra requests per 100 messages, paid like the chat's own. The key is kept only in memory
            until the browser closes and goes nowhere else. Only OpenAI-compatible chat endpoints can; chats on other providers are summarised locally.
          </p>
          <form onSubmit={(e) => void save(e)}>
            <label>Endpoint URL
              <input inputMode="url" value={url} disabled={busy} placeholder="https://api.openai.com/v1" spellcheck={false} onInput={(e) => setUrl(e.currentTarget.value)} />
            </label>
            <label>Model
              <input value={model} disabled={busy} placeholder="gpt-4o-mini" spellcheck={false} onInput={(e) => setModel(e.currentTarget.value)} />
            </label>
            <label>API key
              <input type="password" value={apiKey} disabled={busy} autocomplete="off" spellcheck={false}
                placeholder={saved?.hasKey ? 'Leave empty to keep the saved key' : 'Only if the endpoint needs one'} onInput={(e) => setApiKey(e.currentTarget.value)} />
            </label>
            <button type="submit" disabled={busy}>Save</button>
          </form>
          {saved?.hasKey && (
            <p>A key is saved on this device. <button type="button" disabled={busy} onClick={() => void removeKey()}>Remove key</button></p>
          )}
          {saved && (
            <p>
              <button type="button" disabled={busy} onClick={() => void test()}>Test</button>{' '}
              <button type="button" disabled={busy} onClick={() => void stop()}>Stop using a model</button>
            </p>
          )}
          {busy && <p class="muted">Working…</p>}
        </>
      )}
      {notice && <p role={notice.kind === 'error' ? 'alert' : 'status'} class={notice.kind}>{notice.text}</p>}
    </section>
  );
}

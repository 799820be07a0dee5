import { useEffect, useState } from 'preact/hooks';
import { browser } from '#imports';
import { callBackground } from '../../client/runtime-client.ts';
import { DEFAULT_MATCHES, originToMatchPattern } from '../../messaging/origins.ts';

/** Where Troupe runs: the default local origins and any site the user granted. */
export function SitesSection() {
  const [extra, setExtra] = useState<string[]>([]);
  const [input, setInput] = useState('');
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const reload = () => callBackground('origins.list', {}).then(setExtra, (e: Error) => setMessage({ kind: 'error', text: e.message }));
  useEffect(() => { void reload(); }, []);

  const add = async (event: Event) => {
    event.preventDefault();
    let pattern: string;
    try { pattern = originToMatchPattern(input); } catch (error) {
      return setMessage({ kind: 'error', text: (error as Error).message });
    }
    // Must run in the click's user gesture: Chrome asks the user to allow the site.
    const granted = await browser.permissions.request({ origins: [pattern] });
    if (!granted) return setMessage({ kind: 'error', text: `Troupe was not allowed on ${pattern}. Nothing changed.` });
    await callBackground('origins.enable', { pattern });
    setInput('');
    setMessage({ kind: 'ok', text: `Enabled on ${pattern}. Reload your NextChat tab there.` });
    await reload();
  };

  const remove = async (pattern: string) => {
    await callBackground('origins.disable', { pattern });
    await browser.permissions.remove({ origins: [pattern] });
    setMessage({ kind: 'ok', text: `Troupe no longer runs on ${pattern}.` });
    await reload();
  };

  return (
    <section aria-labelledby="sites-title">
      <h2 id="sites-title">Sites</h2>
      <p>Troupe runs on NextChat pages at {DEFAULT_MATCHES.join(' and ')} (any port). Add the address of any other NextChat you use.</p>
      <ul aria-label="Enabled sites">
        {extra.map((pattern) => (
          <li key={pattern}>
            <code>{pattern}</code> <button type="button" onClick={() => void remove(pattern)} aria-label={`Remove ${pattern}`}>Remove</button>
          </li>
        ))}
      </ul>
      <form onSubmit={add}>
        <label>NextChat address <input value={input} placeholder="https://chat.example.com" onInput={(e) => setInput(e.currentTarget.value)} /></label>
        <button type="submit">Enable Troupe there</button>
      </form>
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} class={message.kind}>{message.text}</p>}
    </section>
  );
}

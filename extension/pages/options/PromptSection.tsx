import { useEffect, useState } from 'preact/hooks';
import type { InsertionStrategy } from '@troupe/shared/lore';
import type { HostSystemMode } from '@troupe/shared/prompt';
import { callBackground } from '../../client/runtime-client.ts';
import { useLibraryChanges } from '../../client/use-library-changes.ts';
import type { PromptSettingsView } from '../../messaging/protocols/prompt-protocol.ts';
import { HOST_SYSTEM_MODES } from '../../messaging/chat-settings.ts';
import { INSERTION_STRATEGIES, type PromptSettingsPatch } from '../../messaging/prompt-settings.ts';
import { errorText } from '../../client/library-client.ts';
import { HOST_MODE_LABELS, STRATEGY_LABELS } from '../../ui/prompt-labels.ts';
import { MAX_CONTEXT_SIZE, MAX_MEMORY_PERCENT, MIN_CONTEXT_SIZE } from '../../messaging/limits/prompt.ts';

/**
 * What every character chat's prompt gets: lorebooks on in every chat (global World Info), how character
 * and global lore interleave, and what happens to NextChat's own system prompt. Each change saves at once.
 */
export function PromptSection() {
  const [view, setView] = useState<PromptSettingsView | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [changes, refreshLibrary] = useLibraryChanges();
  useEffect(() => { callBackground('prompt.settings.get', {}).then(setView, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) })); }, [changes]);

  const save = async (patch: PromptSettingsPatch) => {
    setBusy(true);
    // Shown at once (a checkbox that waits for the background looks broken); the answer replaces it.
    setView((v) => v && { ...v, settings: { ...v.settings, ...patch } });
    try {
      setView(await callBackground('prompt.settings.update', patch));
      setMessage({ kind: 'ok', text: 'Saved. The next message in every character chat uses it.' });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
      refreshLibrary();
    } finally {
      setBusy(false);
    }
  };

  const settings = view?.settings;
  const toggle = (id: string, on: boolean) => {
    if (!settings) return;
    void save({ globalLorebookIds: on ? [...settings.globalLorebookIds, id] : settings.globalLorebookIds.filter((g) => g !== id) });
  };

  return (
    <section aria-labelledby="prompt-title">
      <h2 id="prompt-title">World Info and prompt</h2>
      {view && settings && (
        <>
          <fieldset disabled={busy}>
            <legend>Global lorebooks (on in every chat)</legend>
            {view.lorebooks.length === 0 ? <p class="muted">No lorebooks in your library yet: import World Info above.</p> : (
              <ul aria-label="Global lorebooks">
                {view.lorebooks.map((book) => (
                  <li key={book.id}>
                    <label class="inline">
                      <input type="checkbox" checked={settings.globalLorebookIds.includes(book.id)} onChange={(e) => toggle(book.id, e.currentTarget.checked)} />
                      {book.name}
                    </label>
                    <span class="muted">{book.entries} {book.entries === 1 ? 'entry' : 'entries'}</span>
                  </li>
                ))}
              </ul>
            )}
            <p class="muted">Bind a book to one chat from the Troupe panel (Chat lore). A card's own book and its linked World Info are always on for that character.</p>
          </fieldset>
          <form onSubmit={(e) => e.preventDefault()}>
            <label>Insertion strategy
              <select value={settings.insertionStrategy} disabled={busy} onChange={(e) => void save({ insertionStrategy: e.currentTarget.value as InsertionStrategy })}>
                {INSERTION_STRATEGIES.map((s) => <option key={s} value={s}>{STRATEGY_LABELS[s]}</option>)}
              </select>
            </label>
            <label>NextChat's system prompt
              <select value={settings.hostSystemMode} disabled={busy} onChange={(e) => void save({ hostSystemMode: e.currentTarget.value as HostSystemMode })}>
                {HOST_SYSTEM_MODES.map((m) => <option key={m} value={m}>{HOST_MODE_LABELS[m]}</option>)}
              </select>
            </label>
          </form>
          <ContextSizeField key={settings.contextSize ?? 'model'} value={settings.contextSize} disabled={busy} onSave={(contextSize) => void save({ contextSize })} onInvalid={(text) => setMessage({ kind: 'error', text })} />
          <MemoryBudgetField key={settings.memoryPercent} value={settings.memoryPercent} disabled={busy} onSave={(memoryPercent) => void save({ memoryPercent })} onInvalid={(text) => setMessage({ kind: 'error', text })} />
          <p class="muted">Chat lore is scanned first, then character and global lore in the order chosen above (as in SillyTavern). NextChat's "You are ChatGPT…" prompt is left out while a character speaks unless you keep it; a chat can choose otherwise in the panel.</p>
        </>
      )}
      {message && <p role={message.kind === 'error' ? 'alert' : 'status'} class={message.kind}>{message.text}</p>}
    </section>
  );
}

/**
 * The model's context size in tokens: empty follows the model's name (right for OpenAI's models); a
 * local or proxied model's size is the user's to give. Saved on Enter or when the field loses focus.
 */
function ContextSizeField({ value, disabled, onSave, onInvalid }: { value: number | null; disabled: boolean; onSave: (size: number | null) => void; onInvalid: (message: string) => void }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const commit = () => {
    const trimmed = text.trim().replaceAll(/[,_\s]/g, '');
    if (trimmed === '') return value === null ? undefined : onSave(null);
    const size = Number(trimmed);
    if (!Number.isInteger(size) || size < MIN_CONTEXT_SIZE || size > MAX_CONTEXT_SIZE) {
      return onInvalid(`The context size must be a whole number of tokens from ${MIN_CONTEXT_SIZE.toLocaleString('en')} to ${MAX_CONTEXT_SIZE.toLocaleString('en')}, or empty to follow the model.`);
    }
    if (size !== value) onSave(size);
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); commit(); }}>
      <label>Context size (tokens)
        <input inputMode="numeric" value={text} disabled={disabled} placeholder="From the model's name (e.g. 128,000 for gpt-4o)" onInput={(e) => setText(e.currentTarget.value)} onBlur={commit} />
      </label>
    </form>
  );
}

/**
 * The share of the context a chat's memory may take once its history no longer fits (summaries and
 * recalled messages; pinned facts always go in). Saved on Enter or when the field loses focus.
 */
function MemoryBudgetField({ value, disabled, onSave, onInvalid }: { value: number; disabled: boolean; onSave: (percent: number) => void; onInvalid: (message: string) => void }) {
  const [text, setText] = useState(String(value));
  const commit = () => {
    const trimmed = text.trim().replace(/%$/, '').trim();
    const percent = Number(trimmed);
    if (trimmed === '' || !Number.isInteger(percent) || percent < 0 || percent > MAX_MEMORY_PERCENT) {
      return onInvalid(`The memory budget must be a whole number from 0 to ${MAX_MEMORY_PERCENT} (percent of the context).`);
    }
    if (percent !== value) onSave(percent);
  };
  return (
    <form onSubmit={(e) => { e.preventDefault(); commit(); }}>
      <label>Memory budget (% of the context)
        <input inputMode="numeric" value={text} disabled={disabled} aria-describedby="memory-budget-help" onInput={(e) => setText(e.currentTarget.value)} onBlur={commit} />
      </label>
      <p id="memory-budget-help" class="muted">Once a chat outgrows the context, its summaries and the earlier messages a new message recalls may take this share of the prompt (15% by default; 0 keeps only pinned facts).</p>
    </form>
  );
}

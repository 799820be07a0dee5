import { useEffect, useState } from 'preact/hooks';
import type { HostSystemMode } from '@troupe/shared/prompt';
import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';
import { callBackground } from '../../../client/runtime-client.ts';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import type { PromptSettingsView } from '../../../messaging/protocols/prompt-protocol.ts';
import { HOST_SYSTEM_MODES } from '../../../messaging/chat-settings.ts';
import { errorText } from '../../../client/library-client.ts';
import { HOST_MODE_LABELS } from '../../../ui/prompt-labels.ts';
import { MAX_LOREBOOK_LIST } from '../../../messaging/limits/library.ts';

/**
 * Chat lore: library lorebooks bound to this chat (SillyTavern's chat-bound World Info, scanned before
 * character and global lore), and this chat's choice for NextChat's own system prompt.
 */
function ChatLore() {
  const { state } = useOverlay();
  if (!state.chatKey || !state.settings) return null;
  return <ChatLoreForm key={state.settings.chatKey} view={state.settings} />;
}

function ChatLoreForm({ view }: { view: ChatSettingsView }) {
  const { actions } = useOverlay();
  const [library, setLibrary] = useState<PromptSettingsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  // The list is read when the panel opens, so books imported since then show up on the next open.
  useEffect(() => { callBackground('prompt.settings.get', {}).then(setLibrary, (e: unknown) => setLoadError(errorText(e))); }, []);

  // The choice being saved, shown at once; the saved settings replace it when the background answers.
  const [pending, setPending] = useState<string[] | null>(null);
  const bound = pending ?? view.settings.lorebookIds;
  const save = async (patch: { lorebookIds?: string[]; hostSystemMode?: HostSystemMode | null }) => {
    setBusy(true);
    setSaved(false);
    if (patch.lorebookIds) setPending(patch.lorebookIds);
    const ok = await actions.updateSettings(patch);
    setPending(null);
    setBusy(false);
    setSaved(ok);
  };
  const toggle = (id: string, on: boolean) => save({ lorebookIds: on ? [...bound, id] : bound.filter((b) => b !== id) });
  const global = new Set(library?.settings.globalLorebookIds ?? []);
  // Books deleted from the library stay bound until the next save drops them; offer that save. Only
  // when the list is whole: past MAX_LOREBOOK_LIST books, a bound one may just not be listed.
  const listed = library && library.lorebooks.length < MAX_LOREBOOK_LIST ? new Set(library.lorebooks.map((book) => book.id)) : null;
  const missing = listed ? bound.filter((id) => !listed.has(id)) : [];

  return (
    <div class="create small">
      <fieldset class="chat-lore" disabled={busy}>
        <legend>Chat lore</legend>
        {loadError && <p class="error" role="alert">{loadError}</p>}
        {library && library.lorebooks.length === 0 && <p class="muted">No lorebooks in your library yet. Import World Info in the library manager.</p>}
        {library && library.lorebooks.length > 0 && (
          <ul aria-label="Lorebooks for this chat">
            {library.lorebooks.map((book) => (
              <li key={book.id}>
                <label>
                  <input type="checkbox" checked={bound.includes(book.id)} onChange={(e) => void toggle(book.id, e.currentTarget.checked)} aria-describedby={`troupe-lore-${book.id}`} />
                  {book.name}
                </label>
                <span id={`troupe-lore-${book.id}`} class="muted"> {book.entries} {book.entries === 1 ? 'entry' : 'entries'}{global.has(book.id) ? ', on in every chat' : ''}</span>
              </li>
            ))}
          </ul>
        )}
        {missing.length > 0 && (
          <p class="warning">
            {missing.length === 1 ? 'A bound lorebook is' : `${missing.length} bound lorebooks are`} no longer in your library.{' '}
            <button type="button" class="link" onClick={() => void save({ lorebookIds: bound.filter((id) => !missing.includes(id)) })}>Unbind</button>
          </p>
        )}
        <label>NextChat's system prompt
          <select value={view.settings.hostSystemMode ?? ''} onChange={(e) => void save({ hostSystemMode: (e.currentTarget.value || null) as HostSystemMode | null })}>
            <option value="">As in Troupe's options ({HOST_MODE_LABELS[library?.settings.hostSystemMode ?? 'drop'].toLowerCase()})</option>
            {HOST_SYSTEM_MODES.map((mode) => <option key={mode} value={mode}>{HOST_MODE_LABELS[mode]}</option>)}
          </select>
        </label>
      </fieldset>
      {saved && <p class="muted small" role="status">Saved for this chat.</p>}
    </div>
  );
}

export const chatLore: PanelFeature = { id: 'chat-lore', title: 'Chat lore', Component: ChatLore };

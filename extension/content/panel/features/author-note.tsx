import { useState } from 'preact/hooks';
import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import { AUTHOR_NOTE_ROLES } from '../../../messaging/chat-settings.ts';
import { MAX_AUTHOR_NOTE, MAX_AUTHOR_NOTE_DEPTH, MAX_AUTHOR_NOTE_EVERY_N } from '../../../messaging/limits/prompt.ts';
import type { ChatRole } from '@troupe/shared/prompt';

/** The chat's author's note: a steering text inserted a few messages from the end of the history. */
function AuthorNote() {
  const { state } = useOverlay();
  if (!state.chatKey || !state.settings) return null;
  return <AuthorNoteForm key={state.settings.chatKey} view={state.settings} />;
}

function AuthorNoteForm({ view }: { view: ChatSettingsView }) {
  const { actions } = useOverlay();
  const note = view.settings.authorNote;
  const [text, setText] = useState(note.text);
  const [depth, setDepth] = useState(String(note.depth));
  const [everyN, setEveryN] = useState(String(note.everyN));
  const [role, setRole] = useState<ChatRole>(note.role);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const depthValue = wholeNumber(depth, MAX_AUTHOR_NOTE_DEPTH);
  const everyNValue = wholeNumber(everyN, MAX_AUTHOR_NOTE_EVERY_N);

  const save = async (event: Event) => {
    event.preventDefault();
    if (depthValue === null || everyNValue === null) return;
    setBusy(true);
    setSaved(false);
    const ok = await actions.updateSettings({ authorNote: { text, depth: depthValue, everyN: everyNValue, role } });
    setBusy(false);
    setSaved(ok);
  };

  return (
    <form class="create" aria-label="Author's note" onSubmit={save}>
      <label>Author's note<textarea rows={3} value={text} maxLength={MAX_AUTHOR_NOTE} onInput={(e) => { setText(e.currentTarget.value); setSaved(false); }} /></label>
      <div class="active">
        <label>Depth<input type="number" min={0} max={MAX_AUTHOR_NOTE_DEPTH} step={1} value={depth} onInput={(e) => setDepth(e.currentTarget.value)} /></label>
        <label>Every N turns<input type="number" min={0} max={MAX_AUTHOR_NOTE_EVERY_N} step={1} value={everyN} aria-describedby="troupe-every-n-help" onInput={(e) => setEveryN(e.currentTarget.value)} /></label>
        <label>Note role
          <select value={role} onChange={(e) => setRole(e.currentTarget.value as ChatRole)}>
            {AUTHOR_NOTE_ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
      </div>
      <p id="troupe-every-n-help" class="muted small">Depth counts messages from the newest. Every N turns: 0 inserts the note on every turn.</p>
      {(depthValue === null || everyNValue === null) && <p class="error">Depth and every N turns must be whole numbers from 0.</p>}
      <button type="submit" class="primary" disabled={busy || depthValue === null || everyNValue === null}>Save note</button>
      {saved && <p class="muted small" role="status">Saved for this chat.</p>}
    </form>
  );
}

function wholeNumber(text: string, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

export const authorNote: PanelFeature = {
  id: 'author-note',
  title: "Author's note",
  Component: AuthorNote,
  summary: ({ settings }) => (settings?.settings.authorNote.text.trim() ? `depth ${settings.settings.authorNote.depth}` : null),
};

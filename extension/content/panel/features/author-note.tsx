/** The chat's author's note: a steering text inserted a few messages from the end of the history. */
import { useState } from 'preact/hooks';
import type { ChatRole } from '@troupe/shared/prompt';
import type { ChatSettingsView } from '../../../messaging/protocols/chat-protocol.ts';
import { AUTHOR_NOTE_ROLES } from '../../../messaging/chat-settings.ts';
import { MAX_AUTHOR_NOTE, MAX_AUTHOR_NOTE_DEPTH, MAX_AUTHOR_NOTE_EVERY_N } from '../../../messaging/limits/prompt.ts';
import { readChatSettings, saveChatSettings } from '../chat-settings.ts';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

function AuthorNote({ data: view, scope, set }: FeatureProps<ChatSettingsView, 'chat'>) {
  // The form starts from the note as saved; later reloads (a save elsewhere) leave what the person types alone.
  const note = view.settings.authorNote;
  const [text, setText] = useState(note.text);
  const [depth, setDepth] = useState(String(note.depth));
  const [everyN, setEveryN] = useState(String(note.everyN));
  const [role, setRole] = useState<ChatRole>(note.role);
  const saving = useAction();
  const depthValue = wholeNumber(depth, MAX_AUTHOR_NOTE_DEPTH);
  const everyNValue = wholeNumber(everyN, MAX_AUTHOR_NOTE_EVERY_N);

  const save = (event: Event) => {
    event.preventDefault();
    if (depthValue === null || everyNValue === null) return;
    const authorNote = { text, depth: depthValue, everyN: everyNValue, role };
    void saving.run(async () => {
      set(await saveChatSettings(scope, { authorNote }));
      return 'Saved for this chat.';
    });
  };

  return (
    <form class="create" aria-label="Author's note" onSubmit={save}>
      <label>Author's note<textarea rows={3} value={text} maxLength={MAX_AUTHOR_NOTE} onInput={(e) => { setText(e.currentTarget.value); saving.clear(); }} /></label>
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
      <button type="submit" class="primary" disabled={saving.busy || depthValue === null || everyNValue === null}>Save note</button>
      <ActionOutcomeLine outcome={saving.outcome} />
    </form>
  );
}

function wholeNumber(text: string, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const value = Number(text);
  return value <= max ? value : null;
}

export const authorNote = defineFeature({
  id: 'author-note',
  title: "Author's note",
  needs: 'chat',
  load: readChatSettings,
  reloadOn: ['chat-changed'],
  Component: AuthorNote,
  summary: (view) => (view.settings.authorNote.text.trim() ? `depth ${view.settings.authorNote.depth}` : null),
});

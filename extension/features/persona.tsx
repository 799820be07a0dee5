import { useState } from 'preact/hooks';
import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../ui/overlay-context.ts';
import type { ChatSettingsView } from '../lib/messaging/protocols/chat-protocol.ts';
import { MAX_PERSONA_DESCRIPTION, MAX_PERSONA_NAME } from '../lib/prompt-service/limits.ts';

/** Who the user is in this chat (`{{user}}`): its own persona, or the default every chat shares. */
function Persona() {
  const { state } = useOverlay();
  if (!state.chatKey || !state.settings) return null;
  // Keyed by chat so switching chats starts from that chat's saved persona.
  return <PersonaForm key={state.settings.chatKey} view={state.settings} />;
}

function PersonaForm({ view }: { view: ChatSettingsView }) {
  const { actions } = useOverlay();
  const current = view.settings.persona ?? view.defaultPersona;
  const [name, setName] = useState(current.name);
  const [description, setDescription] = useState(current.description);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);

  const save = async (asDefault: boolean) => {
    setBusy(true);
    setSaved(null);
    const persona = { name: name.trim(), description };
    const ok = await actions.updateSettings(asDefault ? { persona: null, defaultPersona: persona } : { persona });
    setBusy(false);
    if (ok) setSaved(asDefault ? 'Saved as the default persona.' : 'Saved for this chat.');
  };

  return (
    <form class="create" aria-label="Persona" onSubmit={(e) => { e.preventDefault(); void save(false); }}>
      <label>Persona name<input value={name} maxLength={MAX_PERSONA_NAME} placeholder="User" onInput={(e) => setName(e.currentTarget.value)} /></label>
      <label>Persona description<textarea rows={2} value={description} maxLength={MAX_PERSONA_DESCRIPTION} onInput={(e) => setDescription(e.currentTarget.value)} /></label>
      <p class="muted small">{view.settings.persona ? 'This chat has its own persona.' : 'This chat uses the default persona.'}</p>
      <div class="active">
        <button type="submit" class="primary" disabled={busy}>Save persona</button>
        <button type="button" disabled={busy} onClick={() => void save(true)}>Save as default persona</button>
      </div>
      {saved && <p class="muted small" role="status">{saved}</p>}
    </form>
  );
}

export const persona: PanelFeature = {
  id: 'persona',
  title: 'Persona',
  Component: Persona,
  summary: ({ settings }) => (settings ? (settings.settings.persona ?? settings.defaultPersona).name.trim() || null : null),
};

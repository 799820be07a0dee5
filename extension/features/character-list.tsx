import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../ui/overlay-context.ts';
import { Avatar } from '../ui/avatar.tsx';

/** The library, compact: pick who speaks in this chat. */
function CharacterList() {
  const { state, actions } = useOverlay();
  const activeId = state.chat?.character?.id ?? null;
  if (state.characters.length === 0) return <p class="muted">Your library is empty. Create a character below.</p>;
  return (
    <ul class="characters" aria-label="Characters">
      {state.characters.map((c) => (
        <li key={c.id}>
          <Avatar name={c.name} src={c.avatar} />
          <span class="grow name" title={c.description}>{c.name}</span>
          <button type="button" disabled={c.id === activeId || !state.chatKey} onClick={() => void actions.activate(c.id)} aria-label={`Activate ${c.name}`}>
            {c.id === activeId ? 'Active' : 'Activate'}
          </button>
        </li>
      ))}
    </ul>
  );
}

export const characterList: PanelFeature = { id: 'character-list', title: 'Characters', Component: CharacterList };

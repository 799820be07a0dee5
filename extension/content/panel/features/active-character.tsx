import type { PanelFeature } from './feature.ts';
import { useOverlay } from '../overlay-context.ts';
import { Avatar } from '../../../ui/avatar.tsx';

/** The character speaking in this NextChat chat, with a way to stop. */
function ActiveCharacter() {
  const { state, actions } = useOverlay();
  const character = state.chat?.character ?? null;
  if (!state.chatKey) return <p class="muted">Open a chat in NextChat to give it a character.</p>;
  if (!character) return <p class="muted">No character in this chat: NextChat answers as usual.</p>;
  return (
    <div class="active">
      <Avatar name={character.name} src={character.avatar} />
      <div class="grow">
        <strong>{character.name}</strong>
        <div class="muted small">{state.chat?.logCount ?? 0} {(state.chat?.logCount ?? 0) === 1 ? 'reply' : 'replies'} remembered in this chat</div>
      </div>
      <button type="button" onClick={() => void actions.activate(null)} aria-label={`Deactivate ${character.name}`}>Deactivate</button>
    </div>
  );
}

export const activeCharacter: PanelFeature = {
  id: 'active-character',
  title: 'Active character',
  Component: ActiveCharacter,
  defaultOpen: true,
  summary: (state) => state.chat?.character?.name ?? null,
};

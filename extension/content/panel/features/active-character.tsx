/**
 * The character speaking in this NextChat chat, with a way to stop; and its name and avatar on each of
 * its replies in NextChat's own list, so the chat reads like a character chat.
 */
import { defineFeature, type FeatureProps } from '../feature.ts';
import { Avatar } from '../../../ui/avatar.tsx';
import { followAttribution } from '../../nextchat/attribution.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';

function ActiveCharacter({ overlay, actions, scope }: FeatureProps<undefined, 'site'>) {
  const deactivate = useAction();
  const share = useAction();
  const character = overlay.chat?.character ?? null;
  if (!overlay.chatKey) return <p class="muted">Open a chat in NextChat to give it a character.</p>;
  if (!character) return <p class="muted">No character in this chat: NextChat answers as usual.</p>;
  const replies = overlay.chat?.logCount ?? 0;
  return (
    <>
      <div class="active">
        <Avatar name={character.name} src={character.avatar} />
        <div class="grow">
          <strong>{character.name}</strong>
          <div class="muted small">{replies} {replies === 1 ? 'reply' : 'replies'} remembered in this chat</div>
        </div>
        <button type="button" onClick={() => void deactivate.run(() => actions.activate(null))} aria-label={`Deactivate ${character.name}`}>Deactivate</button>
      </div>
      {/* Publishing happens in Troupe's own page, where the person sees what goes out and confirms it. */}
      <button type="button" class="link" onClick={() => void share.run(async () => { await scope.call('library.openManager', { share: character.id }); })}>Share {character.name} as a link…</button>
      <ActionOutcomeLine outcome={deactivate.outcome ?? share.outcome} />
    </>
  );
}

export const activeCharacter = defineFeature({
  id: 'active-character',
  title: 'Active character',
  needs: 'site',
  defaultOpen: true,
  start({ signal }, run) {
    const speaking = () => run.overlay.get().chat?.character ?? null;
    const names = followAttribution(document, speaking, signal);
    // Another character, or the same one renamed or with a new avatar: the marks follow.
    let shown = speaking();
    run.watch(() => {
      const now = speaking();
      if (now?.id !== shown?.id || now?.name !== shown?.name || now?.avatar !== shown?.avatar) names.refresh();
      shown = now;
    });
  },
  Component: ActiveCharacter,
  summary: (_data, overlay) => overlay.chat?.character?.name ?? null,
});

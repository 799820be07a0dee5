/** The library, compact: find a character (search, sort, tag), pick who speaks in this chat, import cards. */
import { useState } from 'preact/hooks';
import type { CharacterSummary } from '../../../messaging/library-wire.ts';
import { defineFeature, type FeatureProps } from '../feature.ts';
import { ActionOutcomeLine, useAction } from '../use-action.tsx';
import { CharacterCards } from '../../../ui/library/CharacterCards.tsx';
import { ImportPanel } from '../../../ui/library/ImportPanel.tsx';
import { LibraryToolbar } from '../../../ui/library/LibraryToolbar.tsx';
import { DEFAULT_VIEW, useLibraryQuery, type LibraryView } from '../../../client/use-library-query.ts';
import css from '../../../ui/library/library.css?inline';

/** Characters the panel lists at first, and how many more each "Show more" adds: the panel is small. */
const PANEL_PAGE = 8;

// The list itself is the library query's (it follows the library on its own); the feature loads the count for its summary.
function CharacterList({ overlay, scope, actions }: FeatureProps<CharacterSummary[], 'site'>) {
  const [view, setView] = useState<LibraryView>({ ...DEFAULT_VIEW, view: 'list' });
  const [shown, setShown] = useState(PANEL_PAGE);
  const act = useAction();
  const { page, tags, error } = useLibraryQuery(view, shown);
  const activeId = overlay.chat?.character?.id ?? null;
  const filtered = view.search.trim() !== '' || view.tag !== null;

  return (
    <div class="tl-compact-library">
      <style>{css}</style>
      <LibraryToolbar view={view} tags={tags} onChange={(patch) => { setView({ ...view, ...patch, page: 0 }); setShown(PANEL_PAGE); }} />
      {error && <p class="error" role="alert">{error}</p>}
      <ActionOutcomeLine outcome={act.outcome} />
      {page?.total === 0 && <p class="muted">{filtered ? 'No character matches.' : 'Your library is empty. Create a character below or import cards.'}</p>}
      {page && page.items.length > 0 && (
        <CharacterCards
          compact
          items={page.items}
          view={view.view}
          actions={(c) => (
            <button type="button" disabled={c.id === activeId || !overlay.chatKey} onClick={() => void act.run(() => actions.activate(c.id))} aria-label={`Activate ${c.name}`}>
              {c.id === activeId ? 'Active' : 'Activate'}
            </button>
          )}
        />
      )}
      {page && page.total > page.items.length && (
        <button type="button" onClick={() => setShown(shown + PANEL_PAGE)}>Show more ({page.total - page.items.length} more)</button>
      )}
      <div class="tl-bar">
        <ImportPanel compact />
      </div>
      <button type="button" class="link" onClick={() => void act.run(async () => { await scope.call('library.openManager', {}); })}>
        Open the full library
      </button>
    </div>
  );
}

export const characterList = defineFeature({
  id: 'character-list',
  title: 'Characters',
  needs: 'site',
  load: ({ call }) => call('characters.list', {}),
  reloadOn: ['characters-changed'],
  Component: CharacterList,
  summary: (characters) => `${characters.length} in the library`,
});

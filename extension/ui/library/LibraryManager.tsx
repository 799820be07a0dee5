import { useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { CharacterCards, Pager } from './CharacterCards.tsx';
import { CharacterEditor } from './CharacterEditor.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { errorText } from '../../client/library-client.ts';
import { LibraryToolbar } from './LibraryToolbar.tsx';
import { LorebookLibrary } from './LorebookLibrary.tsx';
import { UndoBar, type PendingDelete } from './UndoBar.tsx';
import { DEFAULT_VIEW, useLibraryQuery, type LibraryView } from '../../client/use-library-query.ts';

/** Characters per page of the full manager: a few rows of the grid on a laptop screen. */
const PAGE_SIZE = 24;

/** The full library manager of the options page: import, browse, edit, lorebooks, export, delete with undo. */
export function LibraryManager() {
  const [view, setView] = useState<LibraryView>(DEFAULT_VIEW);
  const { page, tags, error } = useLibraryQuery(view, PAGE_SIZE);
  const [editing, setEditing] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingDelete | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const remove = async (kind: PendingDelete['kind'], id: string, name: string) => {
    try {
      const { undoUntil } = await callBackground('library.delete', { kind, id });
      if (kind === 'character' && editing === id) setEditing(null);
      setPending({ kind, id, name, undoUntil });
    } catch (e) { setActionError(errorText(e)); }
  };
  const undo = async (item: PendingDelete) => {
    setPending(null);
    try { await callBackground('library.undoDelete', { kind: item.kind, id: item.id }); } catch (e) { setActionError(errorText(e)); }
  };

  return (
    <div class="tl-manager">
      <ImportPanel />
      <section class="tl-characters" aria-labelledby="tl-characters-title">
        <h3 id="tl-characters-title">Characters</h3>
        <LibraryToolbar view={view} tags={tags} onChange={(patch) => setView({ ...view, ...patch })} />
        {(error ?? actionError) && <p role="alert" class="tl-error">{error ?? actionError}</p>}
        {page && (
          <p class="tl-muted tl-small" role="status" aria-label="Character count">
            {page.total === 0 ? (view.search || view.tag ? 'No character matches.' : 'No characters yet: import cards above or create one in the Troupe panel.') : `${page.total} ${page.total === 1 ? 'character' : 'characters'}`}
          </p>
        )}
        {page && page.items.length > 0 && (
          <CharacterCards
            items={page.items}
            view={view.view}
            actions={(item) => <button type="button" aria-label={`Edit ${item.name}`} aria-pressed={editing === item.id} onClick={() => setEditing(item.id)}>Edit</button>}
          />
        )}
        {page && <Pager page={view.page} pageSize={PAGE_SIZE} total={page.total} onPage={(p) => setView({ ...view, page: p })} />}
      </section>
      {editing && <CharacterEditor id={editing} onClose={() => setEditing(null)} onDelete={(id, name) => void remove('character', id, name)} />}
      <LorebookLibrary onDelete={(id, name) => void remove('lorebook', id, name)} />
      <UndoBar pending={pending} onUndo={(item) => void undo(item)} onExpire={() => setPending(null)} />
    </div>
  );
}

import { useEffect, useMemo, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { CharacterCards, Pager } from './CharacterCards.tsx';
import { CharacterEditor } from './CharacterEditor.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { openImportWorkers } from '../../client/import-workers.ts';
import { errorText } from '../../client/library-client.ts';
import { LibraryToolbar } from './LibraryToolbar.tsx';
import { LorebookLibrary } from './LorebookLibrary.tsx';
import { UndoBar, type PendingDelete } from './UndoBar.tsx';
import { DEFAULT_VIEW, useLibraryQuery, type LibraryView } from '../../client/use-library-query.ts';
import { LIBRARY_PAGE_SIZE } from '../../messaging/limits/library.ts';
import { MAX_PACK_CHARACTERS } from '@troupe/shared/packs';
import { SharePack } from '../packs/SharePack.tsx';
import { sharedFromHash } from '../../messaging/protocols/library-protocol.ts';

/** The full library manager of the options page: import, browse, edit, lorebooks, export, delete with undo. */
export function LibraryManager() {
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
      <ImportPanel openReaders={openImportWorkers} />
      <CharacterBrowser editing={editing} onEdit={setEditing} actionError={actionError} />
      {editing && <CharacterEditor id={editing} onClose={() => setEditing(null)} onDelete={(id, name) => void remove('character', id, name)} />}
      <LorebookLibrary onDelete={(id, name) => void remove('lorebook', id, name)} />
      <UndoBar pending={pending} onUndo={(item) => void undo(item)} onExpire={() => setPending(null)} />
    </div>
  );
}

/**
 * The character list with its search, sort, tag filter and pages. Its own component, so a keystroke
 * or an answer re-renders the list alone, not the import results or the lorebooks beside it.
 */
function CharacterBrowser({ editing, onEdit, actionError }: { editing: string | null; onEdit(id: string): void; actionError: string | null }) {
  const [view, setView] = useState<LibraryView>(DEFAULT_VIEW);
  // Characters picked to share as a link (kept across pages and searches), in the order picked.
  const [picked, setPicked] = useState<{ id: string; name: string }[]>([]);
  // Opened from the panel's "Share … as a link": that character comes picked, the share bar in view.
  useEffect(() => {
    const id = sharedFromHash(location.hash);
    if (!id) return;
    history.replaceState(null, '', location.pathname + location.search);
    callBackground('library.character.get', { id }).then((detail) => {
      setPicked((list) => (list.some((c) => c.id === id) ? list : [...list, { id, name: detail.item.name }]));
      requestAnimationFrame(() => document.querySelector('[aria-label="Share as link"]')?.scrollIntoView({ block: 'center' }));
    }, () => {});
  }, []);
  const pick = (id: string, name: string, on: boolean) => setPicked((list) => (on ? (list.length < MAX_PACK_CHARACTERS && !list.some((c) => c.id === id) ? [...list, { id, name }] : list) : list.filter((c) => c.id !== id)));
  const { page, tags, error } = useLibraryQuery(view, LIBRARY_PAGE_SIZE);
  // The same element while the page is the same, so a keystroke re-renders the search box, not the cards.
  const cards = useMemo(() => page && page.items.length > 0 && (
    <CharacterCards
      items={page.items}
      view={view.view}
      actions={(item) => (
        <>
          <label class="tl-inline" title="Pick to share as a link">
            <input type="checkbox" aria-label={`Pick ${item.name} to share`} checked={picked.some((c) => c.id === item.id)} onChange={(e) => pick(item.id, item.name, e.currentTarget.checked)} />
            Share
          </label>
          <button type="button" aria-label={`Edit ${item.name}`} aria-pressed={editing === item.id} onClick={() => onEdit(item.id)}>Edit</button>
        </>
      )}
    />
  ), [page, view.view, editing, onEdit, picked]);
  return (
    <section class="tl-characters" aria-labelledby="tl-characters-title">
      <h3 id="tl-characters-title">Characters</h3>
      <LibraryToolbar view={view} tags={tags} onChange={(patch) => setView({ ...view, ...patch })} />
      <SharePack picked={picked} onClear={() => setPicked([])} />
      {(error ?? actionError) && <p role="alert" class="tl-error">{error ?? actionError}</p>}
      {page && (
        <p class="tl-muted tl-small" role="status" aria-label="Character count">
          {page.total === 0 ? (view.search || view.tag ? 'No character matches.' : 'No characters yet: import cards above or create one in the Troupe panel.') : `${page.total} ${page.total === 1 ? 'character' : 'characters'}`}
        </p>
      )}
      {cards}
      {page && <Pager page={view.page} pageSize={LIBRARY_PAGE_SIZE} total={page.total} onPage={(p) => setView({ ...view, page: p })} />}
    </section>
  );
}

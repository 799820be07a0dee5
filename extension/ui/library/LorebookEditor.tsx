import { useEffect, useState } from 'preact/hooks';
import type { LorebookEntry } from '@troupe/shared/cards';
import { callBackground } from '../../client/runtime-client.ts';
import { useLibraryChanges } from '../../client/use-library-changes.ts';
import type { LoreBookFields, LoreTarget, LoreView } from '../../messaging/library-wire.ts';
import { applyEntryDraft, entryDraft, entryLabel, POSITIONS, SELECTIVE_LOGIC, type EntryDraft } from './entry-draft.ts';
import { errorText } from '../../client/library-client.ts';
import { Pager } from './CharacterCards.tsx';

const ENTRIES_PER_PAGE = 50;

/** A lorebook (a character's embedded book or a standalone World Info book): settings and entries. */
export function LorebookEditor({ target, title }: { target: LoreTarget; title: string }) {
  const [view, setView] = useState<LoreView | null>(null);
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [changes] = useLibraryChanges();
  useEffect(() => {
    callBackground('library.lore.get', { target, offset: page * ENTRIES_PER_PAGE, limit: ENTRIES_PER_PAGE }).then(setView, (e: unknown) => setError(errorText(e)));
  }, [target.kind, target.id, page, changes]);

  const act = async (task: () => Promise<unknown>) => {
    try {
      await task();
      setError(null);
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };

  return (
    <section class="tl-lore" aria-label={title}>
      <h4>{title}</h4>
      {error && <p role="alert" class="tl-error">{error}</p>}
      {view && view.exists && <BookSettings fields={view.fields} onSave={(fields) => act(() => callBackground('library.lore.updateBook', { target, fields }))} />}
      {view && !view.exists && <p class="tl-muted tl-small">No lorebook yet: add an entry to start one.</p>}
      {view && view.total > 0 && <p class="tl-muted tl-small">{view.total} {view.total === 1 ? 'entry' : 'entries'}</p>}
      <ul class="tl-entries" aria-label={`Entries of ${title}`}>
        {view?.entries.map(({ key, entry }, i) => {
          const label = entryLabel(entry, view.offset + i);
          return (
            <li key={key} class={entry.enabled ? '' : 'tl-disabled'}>
              <div class="tl-entry-head">
                <span class="tl-grow"><strong>{label}</strong> <span class="tl-muted tl-small">{entry.constant ? 'constant' : entry.keys.join(', ')}</span></span>
                <button type="button" aria-expanded={editing === key} aria-label={`Edit entry ${label}`} onClick={() => setEditing(editing === key ? null : key)}>Edit</button>
              </div>
              {editing === key && (
                <EntryForm
                  label={label}
                  entry={entry}
                  onSave={async (next) => { if (await act(() => callBackground('library.lore.upsertEntry', { target, key, entry: next }))) setEditing(null); }}
                  onDelete={async () => { if (await act(() => callBackground('library.lore.removeEntry', { target, key }))) setEditing(null); }}
                  onCancel={() => setEditing(null)}
                />
              )}
            </li>
          );
        })}
      </ul>
      {view && <Pager page={page} pageSize={ENTRIES_PER_PAGE} total={view.total} onPage={setPage} />}
      {editing === 'new'
        ? <EntryForm label="new entry" entry={null} onSave={async (next) => { if (await act(() => callBackground('library.lore.upsertEntry', { target, key: null, entry: next }))) setEditing(null); }} onCancel={() => setEditing(null)} />
        : <button type="button" onClick={() => setEditing('new')}>Add entry</button>}
    </section>
  );
}

function BookSettings({ fields, onSave }: { fields: LoreBookFields; onSave(fields: LoreBookFields): Promise<boolean> }) {
  const [draft, setDraft] = useState(fields);
  useEffect(() => setDraft(fields), [JSON.stringify(fields)]);
  const num = (text: string) => (text.trim() === '' ? null : Math.max(0, Math.floor(Number(text))));
  return (
    <details class="tl-book-settings">
      <summary>Book settings</summary>
      <form class="tl-form" aria-label="Book settings" onSubmit={(e) => { e.preventDefault(); void onSave(draft); }}>
        <label>Book name<input value={draft.name} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} /></label>
        <label>Book description<textarea rows={2} value={draft.description} onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })} /></label>
        <label>Scan depth<input type="number" min={0} value={draft.scan_depth ?? ''} onInput={(e) => setDraft({ ...draft, scan_depth: num(e.currentTarget.value) })} /></label>
        <label>Token budget<input type="number" min={0} value={draft.token_budget ?? ''} onInput={(e) => setDraft({ ...draft, token_budget: num(e.currentTarget.value) })} /></label>
        <label class="tl-check"><input type="checkbox" checked={draft.recursive_scanning} onChange={(e) => setDraft({ ...draft, recursive_scanning: e.currentTarget.checked })} />Recursive scanning</label>
        <div class="tl-form-actions"><button type="submit">Save book settings</button></div>
      </form>
    </details>
  );
}

/** One entry's settings: keys, secondary keys and their logic, constant, order, position, depth, probability, enabled, content, comment. */
function EntryForm({ label, entry, onSave, onDelete, onCancel }: {
  label: string;
  entry: LorebookEntry | null;
  onSave(entry: LorebookEntry): Promise<void>;
  onDelete?(): Promise<void>;
  onCancel(): void;
}) {
  const [draft, setDraft] = useState<EntryDraft>(() => entryDraft(entry));
  const set = <K extends keyof EntryDraft>(key: K, value: EntryDraft[K]) => setDraft({ ...draft, [key]: value });
  const int = (text: string, fallback: number) => (Number.isFinite(Number(text)) && text.trim() !== '' ? Math.floor(Number(text)) : fallback);
  return (
    <form class="tl-form tl-entry-form" aria-label={`Entry ${label}`} onSubmit={(e) => { e.preventDefault(); void onSave(applyEntryDraft(entry, draft)); }}>
      <label>Keys (one per line)<textarea rows={2} value={draft.keys} onInput={(e) => set('keys', e.currentTarget.value)} /></label>
      <label>Secondary keys (one per line)<textarea rows={2} value={draft.secondaryKeys} onInput={(e) => set('secondaryKeys', e.currentTarget.value)} /></label>
      <label>Secondary key logic
        <select aria-label="Secondary key logic" value={draft.selectiveLogic} onChange={(e) => set('selectiveLogic', Number(e.currentTarget.value))}>
          {SELECTIVE_LOGIC.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
        </select>
      </label>
      <div class="tl-row">
        <label class="tl-check"><input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.currentTarget.checked)} />Enabled</label>
        <label class="tl-check"><input type="checkbox" checked={draft.constant} onChange={(e) => set('constant', e.currentTarget.checked)} />Constant (always active)</label>
      </div>
      <div class="tl-row">
        <label>Order<input type="number" value={draft.order} onInput={(e) => set('order', int(e.currentTarget.value, draft.order))} /></label>
        <label>Position
          <select aria-label="Position" value={draft.position} onChange={(e) => set('position', Number(e.currentTarget.value))}>
            {POSITIONS.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
          </select>
        </label>
        <label>Depth<input type="number" min={0} value={draft.depth} onInput={(e) => set('depth', Math.max(0, int(e.currentTarget.value, draft.depth)))} /></label>
        <label>Probability (%)<input type="number" min={0} max={100} value={draft.probability} onInput={(e) => set('probability', Math.min(100, Math.max(0, int(e.currentTarget.value, draft.probability))))} /></label>
      </div>
      <label>Content<textarea rows={5} value={draft.content} onInput={(e) => set('content', e.currentTarget.value)} /></label>
      <label>Comment<input value={draft.comment} onInput={(e) => set('comment', e.currentTarget.value)} /></label>
      <div class="tl-form-actions">
        <button type="submit" class="tl-primary">Save entry</button>
        {onDelete && <button type="button" class="tl-danger" onClick={() => void onDelete()}>Delete entry</button>}
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

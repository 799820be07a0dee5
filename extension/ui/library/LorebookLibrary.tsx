import { useEffect, useState } from 'preact/hooks';
import { callBackground } from '../../client/runtime-client.ts';
import { useThrottledLibraryChanges } from '../../client/use-library-query.ts';
import type { LorebookExportFormat, LorebookItem } from '../../messaging/library-wire.ts';
import { MAX_SEARCH_CHARS } from '../../messaging/limits/library.ts';
import { downloadFile, errorText } from '../../client/library-client.ts';
import { LorebookEditor } from './LorebookEditor.tsx';

/** Standalone lorebooks (SillyTavern World Info): list, search, create, open, export, delete. */
export function LorebookLibrary({ onDelete }: { onDelete(id: string, name: string): void }) {
  const [books, setBooks] = useState<LorebookItem[]>([]);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [newName, setNewName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const changes = useThrottledLibraryChanges();
  useEffect(() => { callBackground('library.lorebooks', { search }).then(setBooks, (e: unknown) => setError(errorText(e))); }, [search, changes]);

  const exportAs = async (book: LorebookItem, format: LorebookExportFormat) => {
    try { downloadFile(await callBackground('library.export', { kind: 'lorebook', id: book.id, format })); } catch (e) { setError(errorText(e)); }
  };
  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const book = await callBackground('library.lorebook.create', { name: newName });
      setNewName('');
      setOpen(book.id);
    } catch (e) { setError(errorText(e)); }
  };

  return (
    <section class="tl-books" aria-labelledby="tl-books-title">
      <h3 id="tl-books-title">Lorebooks</h3>
      <p class="tl-muted tl-small">World Info books. A character uses the book named in its “Linked World Info”.</p>
      {error && <p role="alert" class="tl-error">{error}</p>}
      <div class="tl-toolbar">
        <input type="search" class="tl-search" aria-label="Search lorebooks" placeholder="Search lorebooks" maxLength={MAX_SEARCH_CHARS} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        <form class="tl-inline-form" aria-label="New lorebook" onSubmit={create}>
          <input aria-label="New lorebook name" placeholder="Name" value={newName} onInput={(e) => setNewName(e.currentTarget.value)} />
          <button type="submit" disabled={!newName.trim()}>Create lorebook</button>
        </form>
      </div>
      {books.length === 0 && <p class="tl-muted">No lorebooks{search ? ' match' : ' yet: import a World Info file above'}.</p>}
      <ul class="tl-book-list" aria-label="Lorebook list">
        {books.map((book) => (
          <li key={book.id}>
            <div class="tl-entry-head">
              <span class="tl-grow"><strong>{book.name}</strong> <span class="tl-muted tl-small">{book.entries} {book.entries === 1 ? 'entry' : 'entries'}{book.excerpt ? ` · ${book.excerpt}` : ''}</span></span>
              <button type="button" aria-expanded={open === book.id} aria-label={`Open ${book.name}`} onClick={() => setOpen(open === book.id ? null : book.id)}>{open === book.id ? 'Close' : 'Open'}</button>
              <button type="button" aria-label={`Export ${book.name} as World Info`} onClick={() => void exportAs(book, 'worldinfo')}>Export World Info</button>
              <button type="button" aria-label={`Export ${book.name} as lorebook_v3`} onClick={() => void exportAs(book, 'lorebook_v3')}>Export lorebook_v3</button>
              <button type="button" class="tl-danger" aria-label={`Delete ${book.name}`} onClick={() => { setOpen(null); onDelete(book.id, book.name); }}>Delete</button>
            </div>
            {open === book.id && <LorebookEditor target={{ kind: 'lorebook', id: book.id }} title={`Lorebook ${book.name}`} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

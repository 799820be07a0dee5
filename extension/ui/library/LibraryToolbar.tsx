import type { TagCount } from '../../messaging/library-wire.ts';
import { MAX_SEARCH_CHARS } from '../../messaging/limits/library.ts';
import type { LibraryView } from '../../client/use-library-query.ts';

const SORTS = [
  ['name', 'Name'],
  ['updated', 'Last changed'],
  ['created', 'Date added'],
] as const;

/** Search, sort, tag filter and grid/list toggle of a character list. */
export function LibraryToolbar({ view, tags, onChange }: { view: LibraryView; tags: TagCount[]; onChange(patch: Partial<LibraryView>): void }) {
  return (
    <div class="tl-toolbar" role="toolbar" aria-label="Character list options">
      <input
        type="search"
        class="tl-search"
        aria-label="Search characters"
        placeholder="Search name, tags, creator, description"
        value={view.search}
        maxLength={MAX_SEARCH_CHARS}
        onInput={(e) => onChange({ search: e.currentTarget.value, page: 0 })}
      />
      <label class="tl-inline">
        Sort by
        <select aria-label="Sort by" value={view.sort} onChange={(e) => onChange({ sort: e.currentTarget.value as LibraryView['sort'], page: 0 })}>
          {SORTS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <button
        type="button"
        aria-label={view.direction === 'asc' ? 'Sort descending' : 'Sort ascending'}
        title={view.direction === 'asc' ? 'A to Z, oldest first: switch' : 'Z to A, newest first: switch'}
        onClick={() => onChange({ direction: view.direction === 'asc' ? 'desc' : 'asc', page: 0 })}
      >
        {view.direction === 'asc' ? '↑' : '↓'}
      </button>
      <label class="tl-inline">
        Tag
        <select aria-label="Filter by tag" value={view.tag ?? ''} onChange={(e) => onChange({ tag: e.currentTarget.value || null, page: 0 })}>
          <option value="">All tags</option>
          {view.tag !== null && !tags.some((t) => t.tag.toLowerCase() === view.tag!.toLowerCase()) && <option value={view.tag}>{view.tag}</option>}
          {tags.map((t) => <option key={t.tag} value={t.tag}>{t.tag} ({t.count})</option>)}
        </select>
      </label>
      <span class="tl-views" role="group" aria-label="View">
        <button type="button" aria-pressed={view.view === 'grid'} aria-label="Grid view" onClick={() => onChange({ view: 'grid' })}>▦</button>
        <button type="button" aria-pressed={view.view === 'list'} aria-label="List view" onClick={() => onChange({ view: 'list' })}>☰</button>
      </span>
    </div>
  );
}

import type { ComponentChildren } from 'preact';
import type { LibraryItem } from '../../messaging/library-wire.ts';
import { Avatar } from '../avatar.tsx';
import type { ViewMode } from '../../client/use-library-query.ts';

/**
 * A page of characters as a grid of cards or a list of rows. Card text is rendered as text (never
 * as HTML). `actions` adds the buttons each context needs (edit in the manager, activate in the panel).
 */
export function CharacterCards({ items, view, actions, compact = false }: {
  items: LibraryItem[];
  view: ViewMode;
  actions(item: LibraryItem): ComponentChildren;
  compact?: boolean;
}) {
  return (
    <ul class={`tl-cards tl-${view}${compact ? ' tl-compact' : ''}`} aria-label="Characters">
      {items.map((item) => (
        <li key={item.id} class="tl-card">
          <Avatar name={item.name} src={item.avatar} />
          <div class="tl-card-body">
            <strong class="tl-name" title={item.name}>{item.name}</strong>
            {!compact && item.creator && <span class="tl-muted tl-small">by {item.creator}</span>}
            {item.tags.length > 0 && (
              <span class="tl-tags" aria-label={`Tags of ${item.name}`}>
                {item.tags.slice(0, compact ? 3 : 8).map((tag) => <span key={tag} class="tl-tag">{tag}</span>)}
              </span>
            )}
            {!compact && <span class="tl-excerpt tl-muted">{item.excerpt}</span>}
          </div>
          <div class="tl-card-actions">{actions(item)}</div>
        </li>
      ))}
    </ul>
  );
}

/** Previous/next page buttons with where we are. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage(page: number): void }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="tl-pager" aria-label="Pages">
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>Previous page</button>
      <span class="tl-muted">Page {page + 1} of {pages}</span>
      <button type="button" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>Next page</button>
    </nav>
  );
}

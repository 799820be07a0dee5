import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { callBackground } from './runtime-client.ts';
import { useLibraryChanges } from './use-library-changes.ts';
import type { LibraryPage, LibraryQuery, SortDirection, SortKey, TagCount } from '../messaging/library-wire.ts';
import { errorText } from './library-client.ts';

export type ViewMode = 'grid' | 'list';

export interface LibraryView {
  search: string;
  tag: string | null;
  sort: SortKey;
  direction: SortDirection;
  view: ViewMode;
  page: number;
}

export const DEFAULT_VIEW: LibraryView = { search: '', tag: null, sort: 'name', direction: 'asc', view: 'grid', page: 0 };

/** User Timing names the bench reads: the first page in the DOM, and each query from request to DOM update. */
export const FIRST_PAGE_MARK = 'troupe:library-first-page';
export const QUERY_MEASURE = 'troupe:library-query';

/**
 * The list the user is looking at: runs the query whenever the view changes or the background
 * announces a change, drops answers that arrive after a newer request, and marks when a page is on
 * screen (User Timing, for the bench).
 */
export function useLibraryQuery(view: LibraryView, pageSize: number, refreshKey: unknown = null) {
  const [page, setPage] = useState<LibraryPage | null>(null);
  const [tags, setTags] = useState<TagCount[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [changes] = useLibraryChanges();
  const latest = useRef(0);
  const rendered = useRef<{ started: number; search: string } | null>(null);

  useEffect(() => {
    const ticket = ++latest.current;
    const query: LibraryQuery = { search: view.search, tag: view.tag, sort: view.sort, direction: view.direction, offset: view.page * pageSize, limit: pageSize };
    const started = performance.now();
    callBackground('library.query', query).then((answer) => {
      if (ticket !== latest.current) return;
      rendered.current = { started, search: view.search };
      setPage(answer);
      setError(null);
    }, (e: unknown) => { if (ticket === latest.current) setError(errorText(e)); });
  }, [view.search, view.tag, view.sort, view.direction, view.page, pageSize, changes, refreshKey]);

  // Tags need the whole library; asked for once the first page is up, so they never delay it.
  const pageShown = page !== null;
  useEffect(() => {
    if (pageShown) callBackground('library.tags', {}).then(setTags, () => setTags([]));
  }, [pageShown, changes, refreshKey]);

  // Runs once the page's DOM is committed (the next frame paints it).
  useLayoutEffect(() => {
    const done = rendered.current;
    if (!done || !page) return;
    rendered.current = null;
    if (performance.getEntriesByName(FIRST_PAGE_MARK).length === 0) performance.mark(FIRST_PAGE_MARK);
    performance.measure(QUERY_MEASURE, { start: done.started, detail: { search: done.search } });
  }, [page]);

  return { page, tags, error };
}

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { callBackground } from './runtime-client.ts';
import { useLibraryChanges } from './use-library-changes.ts';
import { isFirstPageQuery, type FirstPageSnapshot, type LibraryPage, type LibraryQuery, type SortDirection, type SortKey, type TagCount } from '../messaging/library-wire.ts';
import { errorText } from './library-client.ts';
import { LIST_REFRESH_MS } from '../messaging/limits/library.ts';
import { readFirstPage } from '../messaging/storage/library-first-page.ts';

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
 * screen (User Timing, for the bench). On opening, the first page the background keeps in session
 * storage is shown until the background answers (a stopped worker takes 100-200 ms to start).
 */
export function useLibraryQuery(view: LibraryView, pageSize: number, refreshKey: unknown = null) {
  const [page, setPage] = useState<LibraryPage | null>(null);
  const [tags, setTags] = useState<TagCount[]>([]);
  const [error, setError] = useState<string | null>(null);
  const changes = useThrottledLibraryChanges();
  const latest = useRef(0);
  const rendered = useRef<{ started: number; search: string } | null>(null);
  const shown = useRef(false);
  const wanted = useRef<LibraryQuery | null>(null);
  wanted.current = { search: view.search, tag: view.tag, sort: view.sort, direction: view.direction, offset: view.page * pageSize, limit: pageSize };

  const show = (answer: LibraryPage, started: number, search: string) => {
    shown.current = true;
    rendered.current = { started, search };
    setPage(answer);
    setError(null);
  };

  // Opening on the first page: the one the background keeps is shown as soon as it is read (the
  // read began when this module loaded), unless the background answered first.
  useLayoutEffect(() => {
    const opening = wanted.current;
    if (!opening || !isFirstPageQuery(opening)) return;
    void storedFirstPage(opening.limit).then((stored) => {
      const now = wanted.current;
      if (stored && !shown.current && now && isFirstPageQuery(now) && now.limit === opening.limit) show(stored, storedFirstPageAsked, now.search);
    });
  }, []);

  useEffect(() => {
    const ticket = ++latest.current;
    const query = wanted.current!;
    const started = performance.now();
    callBackground('library.query', query).then((answer) => {
      if (ticket === latest.current) show(answer, started, query.search);
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

/**
 * The first page the background keeps, read once: as soon as an extension page loads this module,
 * before it renders and before its first call wakes a stopped background (starting the worker
 * keeps the browser busy, and a read made meanwhile waits for it).
 */
let storedFirstPageRead: Promise<FirstPageSnapshot | null> | null = null;
/** When that read began (User Timing clock): where the first page's "query to DOM" measure starts. */
let storedFirstPageAsked = 0;
function readStoredFirstPage(): Promise<FirstPageSnapshot | null> {
  if (!storedFirstPageRead) {
    storedFirstPageAsked = performance.now();
    // Content scripts cannot read session storage: the read fails, and they wait for the background.
    storedFirstPageRead = readFirstPage().catch(() => null);
  }
  return storedFirstPageRead;
}
if (typeof location !== 'undefined' && location.protocol === 'chrome-extension:') void readStoredFirstPage();

/** The first `limit` characters as the background last stored them, or null. */
async function storedFirstPage(limit: number): Promise<LibraryPage | null> {
  const stored = await readStoredFirstPage();
  if (stored?.format !== 1) return null;
  const { page } = stored;
  if (limit > stored.limit && page.total > page.items.length) return null;
  return { ...page, items: page.items.slice(0, limit) };
}

/**
 * The background's change count, passed on at most once per LIST_REFRESH_MS: the first change of a
 * quiet spell at once, a burst (an import) as one more refresh when the interval is up.
 */
export function useThrottledLibraryChanges(): number {
  const [changes] = useLibraryChanges();
  const [passed, setPassed] = useState(changes);
  const lastPassed = useRef(0);
  useEffect(() => {
    if (changes === passed) return undefined;
    const pass = () => {
      lastPassed.current = Date.now();
      setPassed(changes);
    };
    const wait = lastPassed.current + LIST_REFRESH_MS - Date.now();
    if (wait <= 0) {
      pass();
      return undefined;
    }
    const timer = setTimeout(pass, wait);
    return () => clearTimeout(timer);
  }, [changes, passed]);
  return passed;
}

/**
 * The library's first page (by name, A to Z), kept by the background in session storage so the
 * options page can list characters while Chrome starts a stopped background worker (100-200 ms that
 * would otherwise pass with an empty list). Written only by the background; removed at once when
 * the library changes and written again once changes settle, so it is never older than the library.
 * A page shows it, then whatever the background answers. Content scripts cannot read session storage.
 *
 * Plain getItem/setItem rather than a defined item: defining one reads it at once wherever the
 * module loads, and that read fails (unhandled) in a content script.
 */
import { storage } from '#imports';
import type { FirstPageSnapshot } from '../library-wire.ts';

/** The value carries its format (FirstPageSnapshot.format); an unknown one is ignored by readers. */
const FIRST_PAGE_KEY = 'session:library.firstPage';

/** The kept first page, or null (none kept; or this context may not read session storage: it rejects). */
export function readFirstPage(): Promise<FirstPageSnapshot | null> {
  return storage.getItem<FirstPageSnapshot>(FIRST_PAGE_KEY);
}

/** The background's side (the library's FirstPageStore). */
export const firstPageStore = {
  has: async (): Promise<boolean> => (await readFirstPage()) !== null,
  set: (snapshot: FirstPageSnapshot | null): Promise<void> => (snapshot ? storage.setItem(FIRST_PAGE_KEY, snapshot) : storage.removeItem(FIRST_PAGE_KEY)),
};

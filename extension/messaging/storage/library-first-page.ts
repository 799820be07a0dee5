/**
 * The library's first page (by name, A to Z), kept by the background in session storage so the
 * options page can list characters while Chrome starts a stopped background worker (100-200 ms that
 * would otherwise pass with an empty list). Written only by the background; removed at once when
 * the library changes and written again once changes settle, so it is never older than the library.
 * A page shows it, then whatever the background answers. Content scripts cannot read session storage.
 */
import { storage } from '#imports';
import type { FirstPageSnapshot } from '../library-wire.ts';

export const firstPageItem = storage.defineItem<FirstPageSnapshot | null>('session:library.firstPage', { fallback: null, version: 1 });

/** The background's side of the item (the library's FirstPageStore). */
export const firstPageStore = {
  has: async (): Promise<boolean> => (await firstPageItem.getValue()) !== null,
  set: (snapshot: FirstPageSnapshot | null): Promise<void> => firstPageItem.setValue(snapshot),
};


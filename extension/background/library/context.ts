/**
 * What every part of the library shares: the database, the image tools and the clock, and the two
 * duties that follow any write (keep search in step, tell listeners). The facade (library.ts) builds
 * one and hands it to each part, so no part needs to know the others to announce its writes.
 */
import type { TroupeDb } from '../db/database.ts';
import type { ImageTools } from './images.ts';
import type { IndexSource } from './search-index.ts';

export interface LibraryContext {
  readonly db: TroupeDb;
  /** Image decoding for thumbnails and PNG export; null where there is none (thumbnails are skipped). */
  readonly images: ImageTools | null;
  now(): number;
  /** Keeps search in step with a write to character `id` (null: gone or hidden). */
  indexed(id: string, source: IndexSource | null): void;
  /** These characters' thumbnails were written or removed (lists cache them). */
  thumbnailsChanged(ids: readonly string[]): void;
  /** Tells the library's listeners that something changed. */
  changed(): void;
}

/** Logs a failed background chore, except that the database was closed under it (shutdown, tests). */
export function reportUnlessClosed(what: string): (error: unknown) => void {
  return (error) => {
    if ((error as { name?: unknown } | null)?.name !== 'DatabaseClosedError') console.error(`Troupe: ${what}`, error);
  };
}

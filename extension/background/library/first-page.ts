/**
 * Keeps the library's first page ready where an extension page can read it without the background:
 * after Chrome stops the idle worker, opening the library would otherwise wait 100-200 ms for the
 * worker to start before listing anything. The stored page is removed as soon as the library
 * changes (never older than the library: only this worker writes either) and stored again once
 * changes settle; pages show it, then what the background answers (see use-library-query.ts).
 */
import { firstPageQuery, type FirstPageSnapshot, type LibraryPage, type LibraryQuery } from '../../messaging/library-wire.ts';
import { FIRST_PAGE_DELAY_MS, LIBRARY_PAGE_SIZE } from '../../messaging/limits/library.ts';
import { reportUnlessClosed } from './context.ts';

/** Where the first page is kept: session storage in the extension (see library-handlers.ts), a fake in tests. */
export interface FirstPageStore {
  has(): Promise<boolean>;
  set(snapshot: FirstPageSnapshot | null): Promise<void>;
}

/** The page kept: the options page's first page. */
const FIRST_PAGE_QUERY = firstPageQuery(LIBRARY_PAGE_SIZE);

export class FirstPageKeeper {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Grows with every change: a page read before the latest change is never stored. */
  private generation = 0;
  /**
   * Whether a stored page may exist. A waking worker cannot tell, and the one it finds is current
   * (nothing changes the library while the worker is stopped), so it starts out true.
   */
  private stored = true;

  constructor(private readonly store: FirstPageStore, private readonly firstPage: (query: LibraryQuery) => Promise<LibraryPage>) {}

  /** A waking worker's chore: stores the first page when none is kept (session storage starts empty with the browser). */
  async keep(): Promise<void> {
    if (!(await this.store.has())) await this.save();
  }

  /** The library changed: drop the stored page at once, store the new one once changes settle. */
  changed(): void {
    this.generation++;
    if (this.stored) {
      this.stored = false;
      this.store.set(null).catch(reportUnlessClosed('could not drop the stored first page'));
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.save().catch(reportUnlessClosed('could not store the first page'));
    }, FIRST_PAGE_DELAY_MS);
  }

  /** Stores the first page as it is now (unless the library changes meanwhile). */
  async save(): Promise<void> {
    const generation = this.generation;
    const page = await this.firstPage(FIRST_PAGE_QUERY);
    if (generation !== this.generation) return; // changed while reading: the next save follows
    await this.store.set({ format: 1, limit: FIRST_PAGE_QUERY.limit, page });
    // Storage applies one context's writes in order, so dropping it now cannot be overtaken.
    if (generation !== this.generation) await this.store.set(null);
    else this.stored = true;
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

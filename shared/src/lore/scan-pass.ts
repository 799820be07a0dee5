import type { ResolvedBooks } from './books.ts';
import type { CompiledEntry } from './compile.ts';
import type { Candidate } from './groups.ts';
import type { ScanBuffer } from './scan-buffer.ts';
import type { TimedEffects } from './timed-effects.ts';
import type { ActivationReason } from './types.ts';

/** What became of an entry in this activation; only PENDING entries are looked at again. */
export const EntryStatus = {
  PENDING: 0,
  ACTIVATED: 1,
  FAILED_PROBABILITY: 2,
  OVER_BUDGET: 3,
} as const;
export type EntryStatus = (typeof EntryStatus)[keyof typeof EntryStatus];

/**
 * The entries of one activation, in scan priority order, with what became of each. Each pass evaluates
 * only the entries the scanned text can reach, so a large book costs what its matching keys cost.
 */
export class EntryPool {
  private readonly status: Uint8Array;
  // Pass number that last queued each entry (passes never exceed MAX_SCAN_PASSES, so a byte holds it).
  private readonly queued: Uint8Array;

  constructor(
    private readonly resolved: ResolvedBooks,
    private readonly buffer: ScanBuffer,
    private readonly timed: TimedEffects,
    private readonly findEntry: (id: string) => CompiledEntry | undefined,
  ) {
    this.status = new Uint8Array(resolved.order.length);
    this.queued = new Uint8Array(resolved.order.length);
  }

  /** Records the outcome for the entry at `index`, which takes it out of later passes. */
  settle(index: number, status: EntryStatus): void {
    this.status[index] = status;
  }

  /**
   * The pending entries that fire in this pass, sticky ones first (inclusion groups favour them), each
   * group in scan priority order.
   */
  matchPass(pass: number, evaluate: (item: CompiledEntry, sticky: boolean) => ActivationReason | null): Candidate[] {
    const stickyFirst: Candidate[] = [];
    const others: Candidate[] = [];
    for (const i of this.reachable(pass)) {
      const item = this.resolved.order[i];
      if (!item) continue;
      const sticky = this.timed.isSticky(item);
      const reason = evaluate(item, sticky);
      if (reason) (sticky ? stickyFirst : others).push({ item, index: i, reason, sticky });
    }
    return [...stickyFirst, ...others];
  }

  /**
   * Positions of the pending entries that could activate in this pass, ascending: entries whose primary
   * keys occur somewhere in the scanned text, entries that need no key, and sticky ones. Every other
   * entry would be rejected by `evaluateEntry`, so skipping them changes nothing but the cost.
   */
  private reachable(pass: number): number[] {
    const { books, ranks } = this.resolved;
    const queue: number[] = [];
    const enqueue = (i: number) => {
      if (this.status[i] === EntryStatus.PENDING && this.queued[i] !== pass) {
        this.queued[i] = pass;
        queue.push(i);
      }
    };
    for (const book of books) {
      const rank = ranks.get(book);
      if (!rank) continue;
      const { start, slots, always } = book.index;
      for (const slot of always) enqueue(rank[slot] ?? 0);
      for (const p of this.buffer.hitsOf(book)) {
        for (let k = start[p] ?? 0; k < (start[p + 1] ?? 0); k++) enqueue(rank[slots[k] ?? 0] ?? 0);
      }
    }
    for (const id of this.timed.stickyIds()) {
      const item = this.findEntry(id);
      const rank = item && ranks.get(item.book);
      if (item && rank && item.slot >= 0) enqueue(rank[item.slot] ?? 0);
    }
    return queue.sort((a, b) => a - b);
  }
}

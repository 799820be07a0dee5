import type { CompiledBook, CompiledEntry } from './compile.ts';
import type { LoreSettings } from './types.ts';

/** An entry dropped because the budget (overall or its book's) was spent. */
export interface SkippedEntry {
  book: string;
  uid: number | string;
  id: string;
  comment: string;
  /** Tokens it would have cost; null when it was skipped before being counted. */
  tokens: number | null;
  scope: 'budget' | 'book-budget';
}

/** SillyTavern's budget: a percentage of the context, at least 1 token, optionally capped. */
export function loreBudget(settings: Pick<LoreSettings, 'budgetPercent' | 'budgetCap'>, contextSize: number): number {
  let budget = Math.round((settings.budgetPercent * contextSize) / 100) || 1;
  if (settings.budgetCap > 0 && budget > settings.budgetCap) budget = settings.budgetCap;
  return budget;
}

/**
 * The token budget of one activation: the overall limit, each book's own `tokenBudget` inside it, and
 * the entries turned away (reported so the user sees what the budget cost). `ignoreBudget` entries are
 * never charged nor turned away.
 */
export class BudgetLedger {
  used = 0;
  /** Set by the first entry that does not fit the overall budget; from then on no budgeted entry gets in. */
  overflowed = false;
  readonly skipped: SkippedEntry[] = [];
  private readonly bookUsed = new Map<CompiledBook, number>();

  constructor(readonly limit: number) {}

  /**
   * Turns a budgeted entry away once the budget has overflowed, before its probability is rolled or its
   * content counted (as SillyTavern does), and records the skip.
   */
  shutOut(item: CompiledEntry): boolean {
    if (!this.overflowed || item.entry.ignoreBudget) return false;
    this.skip(item, null, 'budget');
    return true;
  }

  /**
   * Charges `tokens` to the overall budget and the entry's book; false (and the skip recorded) when
   * either would go over. Only an overall overflow closes the budget: a full book stops only its own.
   */
  charge(item: CompiledEntry, tokens: number): boolean {
    if (item.entry.ignoreBudget) return true;
    const bookLimit = item.book.tokenBudget;
    const spentInBook = this.bookUsed.get(item.book) ?? 0;
    if (bookLimit !== null && spentInBook + tokens > bookLimit) {
      this.skip(item, tokens, 'book-budget');
      return false;
    }
    if (this.used + tokens > this.limit) {
      this.overflowed = true;
      this.skip(item, tokens, 'budget');
      return false;
    }
    this.used += tokens;
    this.bookUsed.set(item.book, spentInBook + tokens);
    return true;
  }

  summary(): { limit: number; used: number; overflowed: boolean } {
    return { limit: this.limit, used: this.used, overflowed: this.overflowed };
  }

  private skip(item: CompiledEntry, tokens: number | null, scope: SkippedEntry['scope']): void {
    this.skipped.push({ book: item.book.name, uid: item.entry.uid, id: item.id, comment: item.entry.comment, tokens, scope });
  }
}

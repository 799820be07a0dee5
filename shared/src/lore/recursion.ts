import type { CompiledBook } from './compile.ts';
import type { PassPhase } from './entry-match.ts';
import { MAX_SCAN_PASSES } from './limits.ts';
import type { LoreSettings, LoreWarning } from './types.ts';

/**
 * Decides whether another scan pass runs: while activated entries feed new text, and then once per
 * `delayUntilRecursion` level (lowest first) so delayed entries get their turn even when nothing feeds
 * them. Bounded by the user's step limit and by MAX_SCAN_PASSES, whichever is lower.
 */
export class RecursionSchedule implements PassPhase {
  /** Passes started so far (1 = the chat only). */
  passes = 0;
  recursion = false;
  delayLevel: number;
  private readonly levels: number[];
  /** Whether a recursion pass has run at the current delay level; each level gets at least one. */
  private levelScanned = false;
  private readonly anyRecursion: boolean;
  private readonly passLimit: number;

  constructor(
    books: readonly Pick<CompiledBook, 'delayLevels' | 'recursiveScanning'>[],
    private readonly settings: Pick<LoreSettings, 'recursive' | 'maxRecursionSteps'>,
  ) {
    this.levels = [...new Set(books.flatMap((book) => book.delayLevels))].sort((a, b) => a - b);
    this.delayLevel = this.levels.shift() ?? 0;
    this.anyRecursion = settings.recursive || books.some((book) => book.recursiveScanning === true);
    this.passLimit = Math.min(settings.maxRecursionSteps > 0 ? settings.maxRecursionSteps : Infinity, MAX_SCAN_PASSES);
  }

  /** Starts the next pass, or returns false when the pass limit is reached. */
  startPass(warnings: LoreWarning[]): boolean {
    if (this.passes >= this.passLimit) {
      // Warn only when our ceiling, not the user's own step limit, cut recursion short.
      if (!(this.settings.maxRecursionSteps > 0 && this.settings.maxRecursionSteps <= MAX_SCAN_PASSES)) {
        warnings.push({ code: 'lore/recursion-limit', book: '', message: `Recursion stopped after ${MAX_SCAN_PASSES} scan passes` });
      }
      return false;
    }
    this.passes++;
    return true;
  }

  /**
   * Called after each pass: whether a recursion pass follows. `fed` says the pass activated entries
   * whose content feeds recursion and the budget is still open; otherwise the next delay level, if any,
   * gets a pass of its own.
   */
  continueAfter(fed: boolean): boolean {
    let again = fed;
    if (!again && this.anyRecursion && this.delayLevel > 0) {
      if (!this.levelScanned) again = true;
      else if (this.levels.length > 0) {
        this.delayLevel = this.levels.shift() ?? this.delayLevel;
        again = true;
      }
    }
    if (again) {
      this.recursion = true;
      this.levelScanned = true;
    }
    return again;
  }
}

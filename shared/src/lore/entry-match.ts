import type { CompiledBook, CompiledEntry, CompiledKey } from './compile.ts';
import type { TimedEffects } from './timed-effects.ts';
import { SelectiveLogic, type ActivationReason } from './types.ts';

/** Whether `key` occurs in the text `item` may see (its own scan depth, this pass's segments). */
export type KeyMatcher = (item: CompiledEntry, key: CompiledKey) => boolean;

/** What stays the same for every entry of every pass of one activation. */
export interface MatchContext {
  readonly timed: TimedEffects;
  readonly matches: KeyMatcher;
  /** Whether the book's activated entries feed later passes (its own setting, else the global one). */
  readonly recursive: (book: CompiledBook) => boolean;
}

/** Where the scan is: delayed entries and `excludeRecursion` depend on it. */
export interface PassPhase {
  /** False on the first pass over the chat; true once recursion segments are scanned. */
  readonly recursion: boolean;
  /** Entries with a `delayUntilRecursion` level up to this one may fire in a recursion pass. */
  readonly delayLevel: number;
}

/**
 * Why `item` fires in this pass, or null when it does not: timed effects and recursion rules first, then
 * decorators, constant, sticky, and finally the primary, secondary and exclude keys. Sticky entries skip
 * cooldown and the recursion rules, since SillyTavern keeps them in the prompt whatever the pass.
 */
export function evaluateEntry(item: CompiledEntry, sticky: boolean, context: MatchContext, phase: PassPhase): ActivationReason | null {
  const { entry, decorators } = item;
  const { timed, matches, recursive } = context;
  if (timed.isDelayed(item)) return null;
  if (!sticky) {
    if (timed.isCoolingDown(item)) return null;
    if (!phase.recursion && item.delayLevel > 0) return null;
    if (phase.recursion && item.delayLevel > phase.delayLevel) return null;
    if (phase.recursion && recursive(item.book) && entry.excludeRecursion) return null;
  }
  if (decorators.activate) return { kind: 'decorator', decorator: '@@activate' };
  if (decorators.dontActivate) return null;
  if (entry.constant) return { kind: 'constant' };
  if (sticky) return { kind: 'sticky' };
  let primary: CompiledKey | undefined;
  for (const key of item.primary) {
    if (matches(item, key)) {
      primary = key;
      break;
    }
  }
  if (!primary) return null;
  let secondary: string[] = [];
  if (entry.selective && item.secondary.length > 0) {
    const found = secondaryMatch(item, entry.selectiveLogic, (key) => matches(item, key));
    if (!found) return null;
    secondary = found;
  }
  if (item.exclude.some((key) => matches(item, key))) return null;
  return { kind: 'key', primary: primary.text, secondary };
}

/**
 * SillyTavern's inclusion-group score: how many of the entry's keys match. Secondary keys count only
 * when the logic is AND_ANY, or AND_ALL with every one of them matching.
 */
export function groupScore(item: CompiledEntry, matches: KeyMatcher): number {
  if (item.primary.length === 0) return 0;
  const primaryScore = item.primary.filter((key) => matches(item, key)).length;
  const secondaryScore = item.secondary.filter((key) => matches(item, key)).length;
  if (item.secondary.length > 0) {
    if (item.entry.selectiveLogic === SelectiveLogic.AND_ANY) return primaryScore + secondaryScore;
    if (item.entry.selectiveLogic === SelectiveLogic.AND_ALL && secondaryScore === item.secondary.length) return primaryScore + secondaryScore;
  }
  return primaryScore;
}

/**
 * Evaluates secondary keys by the entry's logic. Returns the secondary keys that justify activation
 * (the matching ones for AND_ANY / AND_ALL, none for the NOT_ forms), or null when the logic fails.
 */
function secondaryMatch(item: CompiledEntry, logic: SelectiveLogic, matches: (key: CompiledKey) => boolean): string[] | null {
  const keys = item.secondary;
  switch (logic) {
    case SelectiveLogic.AND_ANY: {
      const hit = keys.find(matches);
      return hit ? [hit.text] : null;
    }
    case SelectiveLogic.NOT_ALL:
      return keys.some((key) => !matches(key)) ? [] : null;
    case SelectiveLogic.NOT_ANY:
      return keys.some(matches) ? null : [];
    case SelectiveLogic.AND_ALL:
      return keys.every(matches) ? keys.map((key) => key.text) : null;
    default:
      // Unknown numbers behave as AND_ANY, like SillyTavern's `selectiveLogic ?? 0` for missing values.
      return secondaryMatch(item, SelectiveLogic.AND_ANY, matches);
  }
}

import { resolveBooks, type LoreBookSet } from './books.ts';
import type { CompiledBook, CompiledEntry, CompiledKey } from './compile.ts';
import { DEFAULT_LORE_SETTINGS } from './defaults.ts';
import { applyInclusionGroups, type Candidate } from './groups.ts';
import { MAX_SCAN_DEPTH, MAX_SCAN_PASSES } from './limits.ts';
import { arrangeForPrompt, type ActivatedEntry, type LoreBuckets } from './output.ts';
import { ScanBuffer } from './scan-buffer.ts';
import { readTimedState, TimedEffects } from './timed-effects.ts';
import { SelectiveLogic, type ActivationReason, type LoreSettings, type LoreTimedState, type LoreWarning } from './types.ts';

export interface ActivateInput {
  books: LoreBookSet;
  /** Chat history, oldest first, newest last, each as SillyTavern scans it (`Name: text`). */
  messages: readonly string[];
  /** Context size of the model in tokens; the budget is a share of it. */
  contextSize: number;
  /** Token counter for entry contents. Pass the same function each time to reuse cached counts. */
  countTokens: (text: string) => number;
  settings?: Partial<LoreSettings>;
  /** State returned by the previous activation of this chat; missing = fresh chat. */
  timedState?: LoreTimedState | null;
  /** Messages in the whole chat, when `messages` is only its tail. Timed effects count in it. */
  chatLength?: number;
  /** Random source in [0, 1) for probability and group draws. */
  rng?: () => number;
  /** Macro substitution applied to macro-bearing keys and to the content of activated entries. */
  substitute?: (text: string) => string;
  /** Extra scanned text that is not chat (an author's note that allows scanning). */
  injected?: readonly string[];
  /** Preview: timed effects are honoured but not advanced; the returned state equals the given one. */
  dryRun?: boolean;
}

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

export interface ActivationResult {
  /** Inserted entries in prompt order (see `arrangeForPrompt`). */
  entries: ActivatedEntry[];
  buckets: LoreBuckets;
  warnings: LoreWarning[];
  budget: { limit: number; used: number; overflowed: boolean };
  skippedForBudget: SkippedEntry[];
  /** Persist this for the chat and pass it to the next activation. */
  timedState: LoreTimedState;
  /** Scan passes run (1 = no recursion). */
  passes: number;
}

const PENDING = 0;
const ACTIVATED = 1;
const FAILED_PROBABILITY = 2;
const OVER_BUDGET = 3;

const tokenMemo = new WeakMap<CompiledEntry, { counter: (text: string) => number; text: string; tokens: number }>();

function countFor(item: CompiledEntry, text: string, counter: (text: string) => number): number {
  const memo = tokenMemo.get(item);
  if (memo && memo.counter === counter && memo.text === text) return memo.tokens;
  const tokens = counter(text);
  tokenMemo.set(item, { counter, text, tokens });
  return tokens;
}

/** SillyTavern's budget: a percentage of the context, at least 1 token, optionally capped. */
export function loreBudget(settings: Pick<LoreSettings, 'budgetPercent' | 'budgetCap'>, contextSize: number): number {
  let budget = Math.round((settings.budgetPercent * contextSize) / 100) || 1;
  if (settings.budgetCap > 0 && budget > settings.budgetCap) budget = settings.budgetCap;
  return budget;
}

/**
 * Decides which lorebook entries go into the prompt for this turn, with SillyTavern's World Info
 * semantics: scan depth, plain and regex keys, whole words, secondary keys, constant entries, decorators,
 * probability, inclusion groups, sticky/cooldown/delay, recursion and the token budget. Books must be
 * compiled once (`compileBook`) or are compiled and cached on first use. Synchronous and deterministic
 * for a given `rng`; never throws on bad book data (problems come back as warnings).
 *
 * @example
 * const tokenizer = await tokenizerFor('gpt-4o');
 * const result = activate({ books: { character: [book] }, messages, contextSize: 128_000, countTokens: tokenizer.count, timedState });
 * saveTimedState(result.timedState); // then build the prompt from result.buckets
 */
export function activate(input: ActivateInput): ActivationResult {
  const settings: LoreSettings = { ...DEFAULT_LORE_SETTINGS, ...input.settings };
  const warnings: LoreWarning[] = [];
  const rng = input.rng ?? Math.random;
  const options = { caseSensitive: settings.caseSensitive, matchWholeWords: settings.matchWholeWords };
  const { books, order, ranks } = resolveBooks(input.books, settings.insertionStrategy, options, warnings);
  for (const book of books) warnings.push(...book.warnings);

  const chatLength = input.chatLength ?? input.messages.length;
  const stored = readTimedState(input.timedState, warnings);
  const findEntry = (id: string): CompiledEntry | undefined => {
    for (const book of books) {
      const item = book.byId.get(id);
      if (item) return item;
    }
    return undefined;
  };
  const timed = new TimedEffects(input.dryRun ? readTimedState(stored, []) : stored, chatLength, findEntry);

  const defaultDepth = Math.max(0, Math.min(MAX_SCAN_DEPTH, Math.floor(settings.scanDepth)));
  const maxDepth = books.reduce((max, book) => Math.max(max, book.maxScanDepth ?? 0), defaultDepth);
  const buffer = new ScanBuffer(input.messages, maxDepth, input.injected ?? [], input.substitute);
  const recursive = (book: CompiledBook) => book.recursiveScanning ?? settings.recursive;
  const depthOf = (item: CompiledEntry) => item.scanDepth ?? defaultDepth;
  const matches = (item: CompiledEntry, key: CompiledKey) => buffer.matches(item.book, key, depthOf(item));

  const limit = loreBudget(settings, input.contextSize);
  const passLimit = Math.min(settings.maxRecursionSteps > 0 ? settings.maxRecursionSteps : Infinity, MAX_SCAN_PASSES);
  const status = new Uint8Array(order.length);
  // Pass number that last queued each entry (passes never exceed MAX_SCAN_PASSES, so a byte holds it).
  const queued = new Uint8Array(order.length);
  const activated: ActivatedEntry[] = [];
  const activatedItems: CompiledEntry[] = [];
  const activatedGroups = new Set<string>();
  const bookUsed = new Map<CompiledBook, number>();
  const skippedForBudget: SkippedEntry[] = [];
  let used = 0;
  let overflowed = false;

  const delayLevels = [...new Set(books.flatMap((book) => book.delayLevels))].sort((a, b) => a - b);
  let delayLevel = delayLevels.shift() ?? 0;
  // Whether a recursion pass has run at the current delay level; each level gets at least one.
  let levelScanned = false;
  const anyRecursion = settings.recursive || books.some((book) => book.recursiveScanning === true);
  let recursion = false;
  let passes = 0;

  const evaluate = (item: CompiledEntry, sticky: boolean): ActivationReason | null => {
    const { entry, decorators } = item;
    if (timed.isDelayed(item)) return null;
    if (!sticky) {
      if (timed.isCoolingDown(item)) return null;
      if (!recursion && item.delayLevel > 0) return null;
      if (recursion && item.delayLevel > delayLevel) return null;
      if (recursion && recursive(item.book) && entry.excludeRecursion) return null;
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
  };

  const score = (item: CompiledEntry): number => {
    if (item.primary.length === 0) return 0;
    const primaryScore = item.primary.filter((key) => matches(item, key)).length;
    const secondaryScore = item.secondary.filter((key) => matches(item, key)).length;
    if (item.secondary.length > 0) {
      if (item.entry.selectiveLogic === SelectiveLogic.AND_ANY) return primaryScore + secondaryScore;
      if (item.entry.selectiveLogic === SelectiveLogic.AND_ALL && secondaryScore === item.secondary.length) return primaryScore + secondaryScore;
    }
    return primaryScore;
  };

  /**
   * Positions of the pending entries that could activate in this pass, ascending: entries whose primary
   * keys occur somewhere in the scanned text, entries that need no key, and sticky ones. Every other
   * entry would be rejected by `evaluate`, so skipping them changes nothing but the cost.
   */
  const reachable = (pass: number): number[] => {
    const queue: number[] = [];
    const enqueue = (i: number) => {
      if (status[i] === PENDING && queued[i] !== pass) {
        queued[i] = pass;
        queue.push(i);
      }
    };
    for (const book of books) {
      const rank = ranks.get(book);
      if (!rank) continue;
      const { start, slots, always } = book.index;
      for (const slot of always) enqueue(rank[slot] ?? 0);
      for (const p of buffer.hitsOf(book)) {
        for (let k = start[p] ?? 0; k < (start[p + 1] ?? 0); k++) enqueue(rank[slots[k] ?? 0] ?? 0);
      }
    }
    for (const id of timed.stickyIds()) {
      const item = findEntry(id);
      const rank = item && ranks.get(item.book);
      if (item && rank && item.slot >= 0) enqueue(rank[item.slot] ?? 0);
    }
    return queue.sort((a, b) => a - b);
  };

  const skip = (item: CompiledEntry, tokens: number | null, scope: SkippedEntry['scope']) => {
    skippedForBudget.push({ book: item.book.name, uid: item.entry.uid, id: item.id, comment: item.entry.comment, tokens, scope });
  };

  for (;;) {
    if (passes >= passLimit) {
      // Warn only when our ceiling, not the user's own step limit, cut recursion short.
      if (!(settings.maxRecursionSteps > 0 && settings.maxRecursionSteps <= MAX_SCAN_PASSES)) {
        warnings.push({ code: 'lore/recursion-limit', book: '', message: `Recursion stopped after ${MAX_SCAN_PASSES} scan passes` });
      }
      break;
    }
    passes++;

    const stickyFirst: Candidate[] = [];
    const others: Candidate[] = [];
    for (const i of reachable(passes)) {
      const item = order[i];
      if (!item) continue;
      const sticky = timed.isSticky(item);
      const reason = evaluate(item, sticky);
      if (reason) (sticky ? stickyFirst : others).push({ item, index: i, reason, sticky });
    }
    const candidates = applyInclusionGroups([...stickyFirst, ...others], {
      activatedGroups,
      useGroupScoring: settings.useGroupScoring,
      rng,
      score,
    });

    const feed: string[] = [];
    for (const candidate of candidates) {
      const { item } = candidate;
      const { entry } = item;
      if (overflowed && !entry.ignoreBudget) {
        status[candidate.index] = OVER_BUDGET;
        skip(item, null, 'budget');
        continue;
      }
      const rolls = entry.useProbability && entry.probability < 100 && !candidate.sticky;
      if (rolls && !(rng() * 100 < entry.probability)) {
        status[candidate.index] = FAILED_PROBABILITY;
        continue;
      }
      const content = input.substitute ? input.substitute(item.content) : item.content;
      const tokens = countFor(item, content, input.countTokens);
      if (!entry.ignoreBudget) {
        const bookLimit = item.book.tokenBudget;
        const spentInBook = bookUsed.get(item.book) ?? 0;
        if (bookLimit !== null && spentInBook + tokens > bookLimit) {
          status[candidate.index] = OVER_BUDGET;
          skip(item, tokens, 'book-budget');
          continue;
        }
        if (used + tokens > limit) {
          overflowed = true;
          status[candidate.index] = OVER_BUDGET;
          skip(item, tokens, 'budget');
          continue;
        }
        used += tokens;
        bookUsed.set(item.book, spentInBook + tokens);
      }
      status[candidate.index] = ACTIVATED;
      activatedItems.push(item);
      for (const group of item.groups) activatedGroups.add(group);
      activated.push({
        book: item.book.name,
        uid: entry.uid,
        id: item.id,
        comment: entry.comment,
        content,
        position: item.position,
        depth: item.depth,
        role: item.role,
        order: entry.order,
        tokens,
        ignoreBudget: entry.ignoreBudget,
        reason: candidate.reason,
        step: passes,
      });
      if (!entry.preventRecursion && recursive(item.book)) feed.push(content);
    }

    let again = feed.length > 0 && !overflowed;
    if (!again && anyRecursion && delayLevel > 0) {
      if (!levelScanned) again = true;
      else if (delayLevels.length > 0) {
        delayLevel = delayLevels.shift() ?? delayLevel;
        again = true;
      }
    }
    if (!again) break;
    buffer.addSegment(feed.join('\n'));
    recursion = true;
    levelScanned = true;
  }

  buffer.release();
  if (!input.dryRun) timed.record(activatedItems);
  const { entries, buckets } = arrangeForPrompt(activated);
  return {
    entries,
    buckets,
    warnings,
    budget: { limit, used, overflowed },
    skippedForBudget,
    timedState: input.dryRun ? stored : timed.state,
    passes,
  };
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

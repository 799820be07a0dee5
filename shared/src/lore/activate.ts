import { admitCandidates, type AdmitContext, type Admitted } from './admit.ts';
import { resolveBooks, type LoreBookSet, type ResolvedBooks } from './books.ts';
import { BudgetLedger, loreBudget, type SkippedEntry } from './budget-ledger.ts';
import type { CompiledBook, CompiledEntry } from './compile.ts';
import { DEFAULT_LORE_SETTINGS } from './defaults.ts';
import { evaluateEntry, groupScore, type KeyMatcher, type MatchContext } from './entry-match.ts';
import { applyInclusionGroups } from './groups.ts';
import { MAX_SCAN_DEPTH } from './limits.ts';
import { arrangeForPrompt, type ActivatedEntry, type LoreBuckets } from './output.ts';
import { RecursionSchedule } from './recursion.ts';
import { ScanBuffer } from './scan-buffer.ts';
import { EntryPool } from './scan-pass.ts';
import { readTimedState, TimedEffects } from './timed-effects.ts';
import type { LoreSettings, LoreTimedState, LoreWarning } from './types.ts';

// Moved beside the budget they describe; re-exported so importers of this module keep working.
export { loreBudget, type SkippedEntry } from './budget-ledger.ts';

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
  const resolved = loadBooks(input.books, settings, warnings);
  const { timed, stored, findEntry } = startTimedEffects(input, resolved.books, warnings);
  const { buffer, matches } = prepareScan(input, resolved.books, settings);
  const recursive = (book: CompiledBook) => book.recursiveScanning ?? settings.recursive;

  const ledger = new BudgetLedger(loreBudget(settings, input.contextSize));
  const pool = new EntryPool(resolved, buffer, timed, findEntry);
  const schedule = new RecursionSchedule(resolved.books, settings);
  const admitted: Admitted = { entries: [], items: [], groups: new Set() };
  const matching: MatchContext = { timed, matches, recursive };
  const admission: AdmitContext = { pool, ledger, rng, substitute: input.substitute, countTokens: input.countTokens, recursive };

  while (schedule.startPass(warnings)) {
    const matched = pool.matchPass(schedule.passes, (item, sticky) => evaluateEntry(item, sticky, matching, schedule));
    const candidates = applyInclusionGroups(matched, {
      activatedGroups: admitted.groups,
      useGroupScoring: settings.useGroupScoring,
      rng,
      score: (item) => groupScore(item, matches),
    });
    const feed = admitCandidates(candidates, schedule.passes, admission, admitted);
    if (!schedule.continueAfter(feed.length > 0 && !ledger.overflowed)) break;
    buffer.addSegment(feed.join('\n'));
  }

  buffer.release();
  if (!input.dryRun) timed.record(admitted.items);
  const { entries, buckets } = arrangeForPrompt(admitted.entries);
  return {
    entries,
    buckets,
    warnings,
    budget: ledger.summary(),
    skippedForBudget: ledger.skipped,
    timedState: input.dryRun ? stored : timed.state,
    passes: schedule.passes,
  };
}

/** Compiles and orders the books; their compile warnings join this activation's so the caller sees them every turn. */
function loadBooks(set: LoreBookSet, settings: LoreSettings, warnings: LoreWarning[]): ResolvedBooks {
  const options = { caseSensitive: settings.caseSensitive, matchWholeWords: settings.matchWholeWords };
  const resolved = resolveBooks(set, settings.insertionStrategy, options, warnings);
  for (const book of resolved.books) warnings.push(...book.warnings);
  return resolved;
}

/**
 * Reads the stored sticky/cooldown state and expires what has run out. A dry run works on a copy, so the
 * state handed back is exactly the one given.
 */
function startTimedEffects(
  input: ActivateInput,
  books: readonly CompiledBook[],
  warnings: LoreWarning[],
): { timed: TimedEffects; stored: LoreTimedState; findEntry: (id: string) => CompiledEntry | undefined } {
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
  return { timed, stored, findEntry };
}

/**
 * The scanned text, deep enough for the deepest entry or book scan depth, and the key test each entry
 * runs against it at its own depth.
 */
function prepareScan(input: ActivateInput, books: readonly CompiledBook[], settings: LoreSettings): { buffer: ScanBuffer; matches: KeyMatcher } {
  const defaultDepth = Math.max(0, Math.min(MAX_SCAN_DEPTH, Math.floor(settings.scanDepth)));
  const maxDepth = books.reduce((max, book) => Math.max(max, book.maxScanDepth ?? 0), defaultDepth);
  const buffer = new ScanBuffer(input.messages, maxDepth, input.injected ?? [], input.substitute);
  const matches: KeyMatcher = (item, key) => buffer.matches(item.book, key, item.scanDepth ?? defaultDepth);
  return { buffer, matches };
}

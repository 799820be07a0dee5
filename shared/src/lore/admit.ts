import type { BudgetLedger } from './budget-ledger.ts';
import type { CompiledBook, CompiledEntry } from './compile.ts';
import type { Candidate } from './groups.ts';
import type { ActivatedEntry } from './output.ts';
import { EntryStatus, type EntryPool } from './scan-pass.ts';

/** What admission needs from the activation it runs in. */
export interface AdmitContext {
  readonly pool: EntryPool;
  readonly ledger: BudgetLedger;
  readonly rng: () => number;
  readonly substitute: ((text: string) => string) | undefined;
  readonly countTokens: (text: string) => number;
  readonly recursive: (book: CompiledBook) => boolean;
}

/** Everything inserted so far in this activation, across passes. */
export interface Admitted {
  /** In activation order; `arrangeForPrompt` sorts them for the prompt. */
  readonly entries: ActivatedEntry[];
  /** The same entries compiled, for timed effects to start on. */
  readonly items: CompiledEntry[];
  /** Inclusion groups with an inserted member: later passes add no other member. */
  readonly groups: Set<string>;
}

const tokenMemo = new WeakMap<CompiledEntry, { counter: (text: string) => number; text: string; tokens: number }>();

/** Token count of an entry's content, remembered per entry so an unchanged entry is not recounted every turn. */
function countFor(item: CompiledEntry, text: string, counter: (text: string) => number): number {
  const memo = tokenMemo.get(item);
  if (memo && memo.counter === counter && memo.text === text) return memo.tokens;
  const tokens = counter(text);
  tokenMemo.set(item, { counter, text, tokens });
  return tokens;
}

/** The probability roll; sticky entries skip it because they already won it when they first fired. */
function failsProbability(candidate: Candidate, rng: () => number): boolean {
  const { entry } = candidate.item;
  const rolls = entry.useProbability && entry.probability < 100 && !candidate.sticky;
  return rolls && !(rng() * 100 < entry.probability);
}

/**
 * Takes one pass's surviving candidates, in priority order, through the closed-budget check, the
 * probability roll, macro substitution, token counting and the budget, in that order: an entry turned
 * away draws no random number and one that lost its roll runs no macros, so the rng and the macro
 * variables advance only for entries that get that far. Returns the content that feeds recursion.
 */
export function admitCandidates(candidates: readonly Candidate[], pass: number, context: AdmitContext, admitted: Admitted): string[] {
  const { pool, ledger } = context;
  const feed: string[] = [];
  for (const candidate of candidates) {
    const { item } = candidate;
    if (ledger.shutOut(item)) {
      pool.settle(candidate.index, EntryStatus.OVER_BUDGET);
      continue;
    }
    if (failsProbability(candidate, context.rng)) {
      pool.settle(candidate.index, EntryStatus.FAILED_PROBABILITY);
      continue;
    }
    const content = context.substitute ? context.substitute(item.content) : item.content;
    const tokens = countFor(item, content, context.countTokens);
    if (!ledger.charge(item, tokens)) {
      pool.settle(candidate.index, EntryStatus.OVER_BUDGET);
      continue;
    }
    pool.settle(candidate.index, EntryStatus.ACTIVATED);
    admitted.items.push(item);
    for (const group of item.groups) admitted.groups.add(group);
    admitted.entries.push(activatedEntry(candidate, content, tokens, pass));
    if (!item.entry.preventRecursion && context.recursive(item.book)) feed.push(content);
  }
  return feed;
}

function activatedEntry(candidate: Candidate, content: string, tokens: number, step: number): ActivatedEntry {
  const { item } = candidate;
  const { entry } = item;
  return {
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
    step,
  };
}

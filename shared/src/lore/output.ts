import type { ActivationReason, LorePosition, LoreRole } from './types.ts';

/** One entry that made it into the prompt, with where it goes and why it fired. */
export interface ActivatedEntry {
  book: string;
  uid: number | string;
  /** `book.uid` */
  id: string;
  comment: string;
  /** Content as inserted: decorators removed, macros substituted when a substitute hook was given. */
  content: string;
  position: LorePosition;
  /** Messages from the end, for `at_depth`. */
  depth: number;
  role: LoreRole;
  order: number;
  tokens: number;
  ignoreBudget: boolean;
  reason: ActivationReason;
  /** Scan pass that activated it: 1 = the chat, 2+ = recursion. */
  step: number;
}

/** Entries of one depth and role, in insertion order: one injected message each. */
export interface DepthInsertion {
  depth: number;
  role: LoreRole;
  contents: string[];
}

/** Entry contents per prompt slot, each list in the order SillyTavern inserts them. */
export interface LoreBuckets {
  before: string[];
  after: string[];
  anTop: string[];
  anBottom: string[];
  emTop: string[];
  emBottom: string[];
  atDepth: DepthInsertion[];
}

/**
 * Puts activated entries (given in activation order) into SillyTavern's insertion order: it walks them by
 * descending order and prepends each to its slot, so every slot reads lowest order first, and among equal
 * orders the later-activated entry comes first. Depth slots are created in the order their first
 * (highest-order) entry is met. Entries with empty content are left out, as SillyTavern does.
 */
export function arrangeForPrompt(activated: readonly ActivatedEntry[]): { entries: ActivatedEntry[]; buckets: LoreBuckets } {
  const descending = [...activated].sort((a, b) => b.order - a.order);
  const entries = descending.filter((entry) => entry.content.length > 0).reverse();
  const buckets: LoreBuckets = { before: [], after: [], anTop: [], anBottom: [], emTop: [], emBottom: [], atDepth: [] };
  const slot: Record<Exclude<LorePosition, 'at_depth'>, string[]> = {
    before_char: buckets.before,
    after_char: buckets.after,
    an_top: buckets.anTop,
    an_bottom: buckets.anBottom,
    em_top: buckets.emTop,
    em_bottom: buckets.emBottom,
  };
  for (const entry of descending) {
    if (entry.content.length === 0) continue;
    if (entry.position !== 'at_depth') {
      slot[entry.position].unshift(entry.content);
      continue;
    }
    const group = buckets.atDepth.find((g) => g.depth === entry.depth && g.role === entry.role);
    if (group) group.contents.unshift(entry.content);
    else buckets.atDepth.push({ depth: entry.depth, role: entry.role, contents: [entry.content] });
  }
  return { entries, buckets };
}

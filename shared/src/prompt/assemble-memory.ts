/**
 * Memory beyond the window. While the whole history fits, every message is there itself and memory is
 * only the pinned facts. Once it does not, `share` of the prompt's room (the context less the reply's
 * reserve; facts included) is kept for memory,
 * the history is fitted into the rest (newest first, as always), and the budget is filled from the part
 * left out only:
 *   1. summaries none of whose messages the history holds; where two overlap, the one standing for more
 *      messages (the higher level) wins, so no message is stood for twice and the fewest are used;
 *      newest first, up to MEMORY_SUMMARY_SHARE of the budget;
 *   2. the left-out messages the caller's `recall` scores highest for the new turn (`selectMemory`);
 *   3. more summaries with what recall left.
 * What memory does not use goes back to the history. A recalled message the history then holds again
 * leaves memory (its room going back too), so a message is never sent twice word for word. A summary
 * stays while at least one of its messages is still left out (the rest is read twice, once in gist:
 * dropping it would lose the gist of every message before the cut for a few kept word for word), and
 * leaves once all of them are back. The result is never emptier than the build without memory: the
 * history always fills the room the memory does not take.
 *
 * Memory is text people wrote: no macros run on it. Each kind is one system message after the facts,
 * chronological inside, so the same picks give the same bytes and the prompt before them (the card,
 * the facts) never changes from turn to turn.
 */
import { selectMemory, type MemoryItem } from '../memory/index.ts';
import type { BuildContext } from './assemble-context.ts';
import { FACTS_PARTS } from './assemble-fixed.ts';
import { countHistory, fitHistory, type ContextBudget, type HistoryFit } from './assemble-fit.ts';
import type { Slot } from './assemble-slots.ts';
import type { MemoryReport, MemorySummaryInput } from './assemble-types.ts';
import { DEFAULT_MEMORY_SHARE, MEMORY_SUMMARY_SHARE } from './limits.ts';
import { messageTokens } from './token-cache.ts';
import { messageText, type ChatRole } from './types.ts';

/** First line of the summaries part. */
export const MEMORY_SUMMARIES_HEADER = '[Earlier in this chat]';
/** First line of the recalled messages part. */
export const MEMORY_RECALLED_HEADER = '[From earlier in this chat]';
const SUMMARY_SEPARATOR = '\n\n';
const LINE_SEPARATOR = '\n';
const SYSTEM_SPEAKER = 'System';

/** What the memory phase needs from the build around it. */
export interface MemoryFitInput {
  /** The history slots, oldest first (the greeting first when there); counted here. */
  history: readonly Slot[];
  /** Whether `history` starts with the card's greeting (not one of the body's messages). */
  greeted: boolean;
  /** Everything before the history; the pinned facts' part is in it. */
  head: readonly Slot[];
  /** Tokens of every part that is always sent (the facts and the long-term part included) plus the reply priming. */
  fixed: number;
  /** Tokens the long-term part took (assemble-long-term.ts): the memory budget has paid them already. */
  longTerm: number;
  budget: ContextBudget;
}

export interface MemoryFit {
  /** The history kept beside the fixed parts and memory. */
  fit: HistoryFit;
  /** The memory parts, in prompt order: after the facts, before the start-of-chat marker. */
  slots: Slot[];
  /** Present when the input has `memory`. */
  report?: MemoryReport;
}

interface SummaryPick {
  id: string;
  text: string;
  /** Position in the input (oldest first): the order in the prompt. */
  order: number;
  covers: number;
  tokens: number;
  /** Oldest history position among the messages it stands for; null when the history holds none. */
  oldest: number | null;
}

interface RecalledPick {
  id: string;
  line: string;
  /** Position in the history: the order in the prompt. */
  at: number;
  tokens: number;
  score: number;
}

/** The memory share asked for, within [0, 1]; the default when it is not a number. */
export function memoryShare(share: number | undefined): number {
  return typeof share === 'number' && Number.isFinite(share) ? Math.min(1, Math.max(0, share)) : DEFAULT_MEMORY_SHARE;
}

/** What a memory part costs before its items: the message overhead and its header line. */
const partBase = (header: string, count: (text: string) => number) => messageTokens({ role: 'system', content: header }, count);

/** Tokens of the pinned facts' parts (this chat's and the character's other chats'). */
export function factsTokens(head: readonly Slot[], cost: (slot: Slot) => number): number {
  return head.reduce((sum, slot) => sum + (FACTS_PARTS.has(slot.id) ? cost(slot) : 0), 0);
}

/**
 * The summaries that can stand for left-out messages: none of their messages is in `kept`, and no two
 * stand for one message (the one that stands for more wins, then the older). Oldest first.
 */
function usableSummaries(summaries: readonly MemorySummaryInput[], kept: ReadonlySet<string>, positions: ReadonlyMap<string, number>, count: (text: string) => number): SummaryPick[] {
  const usable: { summary: MemorySummaryInput; order: number }[] = [];
  summaries.forEach((summary, order) => {
    if (summary.covers.length > 0 && summary.text.trim().length > 0 && !summary.covers.some((id) => kept.has(id))) usable.push({ summary, order });
  });
  usable.sort((a, b) => b.summary.covers.length - a.summary.covers.length || a.order - b.order);
  const claimed = new Set<string>();
  const picks: SummaryPick[] = [];
  const separator = count(SUMMARY_SEPARATOR);
  for (const { summary, order } of usable) {
    if (summary.covers.some((id) => claimed.has(id))) continue;
    let oldest: number | null = null;
    for (const id of summary.covers) {
      claimed.add(id);
      const at = positions.get(id);
      if (at !== undefined && (oldest === null || at < oldest)) oldest = at;
    }
    const text = summary.text.trim();
    picks.push({ id: summary.id, text, order, covers: new Set(summary.covers).size, tokens: separator + count(text), oldest });
  }
  return picks.sort((a, b) => a.order - b.order);
}

/** Takes summaries newest first while the summaries' part stays within `limit` tokens; returns the part's tokens. */
function takeSummaries(usable: readonly SummaryPick[], taken: Set<SummaryPick>, limit: number, base: number): number {
  let tokens = partTokens(taken, base);
  for (let i = usable.length - 1; i >= 0; i--) {
    const summary = usable[i]!;
    if (taken.has(summary)) continue;
    const next = tokens + summary.tokens + (taken.size === 0 ? base : 0);
    if (next > limit) continue;
    taken.add(summary);
    tokens = next;
  }
  return tokens;
}

function partTokens(items: Iterable<{ tokens: number }>, base: number): number {
  let tokens = 0;
  let any = false;
  for (const item of items) {
    tokens += item.tokens;
    any = true;
  }
  return any ? base + tokens : 0;
}

/** The left-out messages `recall` scores highest for the new turn, within `budget` tokens (the part's header excluded). */
function recallMessages(build: BuildContext, history: readonly Slot[], count: (text: string) => number, where: { positions: ReadonlyMap<string, number>; dropped: ReadonlySet<string>; kept: ReadonlySet<string> }, budget: number): RecalledPick[] {
  const recall = build.input.memory?.recall;
  const newest = history[history.length - 1];
  const { positions, dropped, kept } = where;
  if (!recall || !newest || dropped.size === 0 || budget <= 0) return [];
  const scores = recall(messageText(newest.message), dropped);
  const speakers: Readonly<Record<ChatRole, string>> = { user: build.userName, assistant: build.charName, system: SYSTEM_SPEAKER };
  const separator = count(LINE_SEPARATOR);
  const items = new Map<string, MemoryItem>();
  for (const [id, score] of scores) {
    const at = positions.get(id);
    if (!(score > 0) || !dropped.has(id) || at === undefined) continue;
    const message = history[at]!.message;
    const text = messageText(message).trim();
    if (text.length === 0) continue;
    const speaker = `${speakers[message.role] ?? SYSTEM_SPEAKER}: `;
    // Counted in pieces the token cache already holds (the history counted the text): no new count per turn.
    items.set(id, { id, kind: 'message', text: `${speaker}${text}`, tokens: separator + count(speaker) + count(text), order: at });
  }
  if (items.size === 0) return [];
  const { picked } = selectMemory({ items, scores, budgetTokens: budget, exclude: kept });
  return picked.map(({ item, score }) => ({ id: item.id, line: item.text, at: item.order, tokens: item.tokens, score }));
}

/** The parts memory adds, with their token counts set (the sums the budget was kept with). */
function memorySlots(summaries: readonly SummaryPick[], recalled: readonly RecalledPick[], count: (text: string) => number): Slot[] {
  const slots: Slot[] = [];
  if (summaries.length > 0) {
    slots.push({
      message: { role: 'system', content: `${MEMORY_SUMMARIES_HEADER}${LINE_SEPARATOR}${summaries.map((s) => s.text).join(SUMMARY_SEPARATOR)}` },
      id: 'memory-summaries',
      label: 'Memory: summary of earlier messages',
      source: 'memory',
      tokens: partTokens(summaries, partBase(MEMORY_SUMMARIES_HEADER, count)),
    });
  }
  if (recalled.length > 0) {
    slots.push({
      message: { role: 'system', content: `${MEMORY_RECALLED_HEADER}${LINE_SEPARATOR}${recalled.map((r) => r.line).join(LINE_SEPARATOR)}` },
      id: 'memory-recalled',
      label: 'Memory: recalled messages',
      source: 'memory',
      tokens: partTokens(recalled, partBase(MEMORY_RECALLED_HEADER, count)),
    });
  }
  return slots;
}

/** Where each known message is in the history, and which ids the history keeps or leaves out at `cut`. */
function placeIds(ids: readonly (string | null)[], offset: number, cut: number) {
  const positions = new Map<string, number>();
  const kept = new Set<string>();
  ids.forEach((id, i) => {
    if (id === null) return;
    positions.set(id, i + offset);
    if (i + offset >= cut) kept.add(id);
  });
  const dropped = new Set<string>();
  for (let i = 0; i < cut - offset; i++) {
    const id = ids[i];
    if (typeof id === 'string' && !kept.has(id)) dropped.add(id);
  }
  return { positions, kept, dropped };
}

/**
 * Fits the history beside the chat's memory (see the file's comment for the policy) and makes the
 * memory parts. Without summaries or recall, or while the whole history fits, this is the plain fit.
 * Token counts are sums of per-line counts (each line's text is one the token cache already holds, and
 * a page-side counter learns them once), so a part's count can be a token or so above its exact count.
 */
export function fitWithMemory(build: BuildContext, { history, greeted, head, fixed, longTerm, budget: { available, contextSize } }: MemoryFitInput, cost: (slot: Slot) => number, count: (text: string) => number): MemoryFit {
  const memory = build.input.memory;
  const historyTokens = countHistory(history, cost);
  const facts = factsTokens(head, cost);
  // A share of what the prompt may hold (the context less the reply's reserve), so memory is never more than that share of a full prompt.
  const budget = Math.floor(memoryShare(memory?.share) * available);
  const plain: MemoryFit = { fit: fitHistory(fixed, historyTokens, available), slots: [], ...(memory ? { report: { budget, used: facts, facts, summaries: [], recalled: [] } } : {}) };
  const offset = greeted ? 1 : 0;
  const ids = memory?.historyIds;
  if (!memory || plain.fit.keepFrom === 0 || !plain.fit.fits || !ids || ids.length !== history.length - offset) return plain;
  if (!memory.recall && (memory.summaries?.length ?? 0) === 0) return plain;

  // The room memory may take: its budget after the facts, never so much that the new message cannot fit.
  const room = Math.min(budget - facts - longTerm, available - fixed - (historyTokens[historyTokens.length - 1] ?? 0));
  if (room <= 0) return plain;
  const where = placeIds(ids, offset, fitHistory(fixed + room, historyTokens, available).keepFrom);

  const summaryBase = partBase(MEMORY_SUMMARIES_HEADER, count);
  const recallBase = partBase(MEMORY_RECALLED_HEADER, count);
  const usable = usableSummaries(memory.summaries ?? [], where.kept, where.positions, count);
  const taken = new Set<SummaryPick>();
  const summaryTokens = takeSummaries(usable, taken, Math.floor(room * MEMORY_SUMMARY_SHARE), summaryBase);
  let recalled = recallMessages(build, history, count, where, room - summaryTokens - recallBase);
  takeSummaries(usable, taken, room - partTokens(recalled, recallBase), summaryBase);
  let summaries = usable.filter((summary) => taken.has(summary));

  // What memory left goes back to the history; what the history then holds leaves memory, until none does.
  let fit = plain.fit;
  for (;;) {
    if (summaries.length === 0 && recalled.length === 0) return plain;
    fit = fitHistory(fixed + partTokens(summaries, summaryBase) + partTokens(recalled, recallBase), historyTokens, available);
    const keepFrom = fit.keepFrom;
    const stillSummaries = summaries.filter((summary) => summary.oldest === null || summary.oldest < keepFrom);
    const stillRecalled = recalled.filter((message) => message.at < keepFrom);
    if (stillSummaries.length === summaries.length && stillRecalled.length === recalled.length) break;
    summaries = stillSummaries;
    recalled = stillRecalled;
  }

  const slots = memorySlots(summaries, recalled, count);
  return {
    fit,
    slots,
    report: {
      budget,
      used: facts + slots.reduce((sum, slot) => sum + (slot.tokens ?? 0), 0),
      facts,
      summaries: summaries.map(({ id, tokens, covers }) => ({ id, tokens, covers })),
      recalled: recalled.map(({ id, tokens, score }) => ({ id, tokens, score })),
    },
  };
}

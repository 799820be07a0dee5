/**
 * Long-term memory: the passages of a character's other chats (their messages and summaries) that the
 * new turn recalls, in one system part placed last among the memory parts (it changes from turn to turn,
 * so everything before it stays a stable prefix). Chosen before this chat's own memory and history are
 * fitted, within LONG_TERM_SHARE of the memory budget left after the pinned facts, and only from what the
 * new turn matches: a turn that recalls nothing adds nothing. Passages are text people or summarisers
 * wrote: no macros run on them.
 */
import { selectMemory, type MemoryItem } from '../memory/index.ts';
import type { BuildContext } from './assemble-context.ts';
import type { ContextBudget } from './assemble-fit.ts';
import type { Slot } from './assemble-slots.ts';
import type { MemoryReport } from './assemble-types.ts';
import { memoryShare } from './assemble-memory.ts';
import { LONG_TERM_SHARE } from './limits.ts';
import { messageTokens } from './token-cache.ts';
import { messageText, type ChatRole } from './types.ts';

/** First line of the long-term part. */
export const LONG_TERM_HEADER_PREFIX = '[From earlier chats with ';
const LINE_SEPARATOR = '\n';
const SUMMARY_SPEAKER = 'Summary';

export interface LongTermFit {
  /** The part (none when nothing was recalled). */
  slots: Slot[];
  /** Tokens the part takes (0 without one). */
  tokens: number;
  /** For the memory report; absent when the input has no long-term memory. */
  report?: NonNullable<MemoryReport['longTerm']>;
}

/**
 * The long-term part for this build. `facts`: tokens of the pinned facts' parts (this chat's and the
 * other chats'), which the memory budget pays first; `fixed`: tokens of everything always sent.
 */
export function recallLongTerm(build: BuildContext, history: readonly Slot[], { facts, longTermFacts, fixed, budget }: { facts: number; longTermFacts: number; fixed: number; budget: ContextBudget }, count: (text: string) => number): LongTermFit {
  const longTerm = build.input.memory?.longTerm;
  if (!longTerm) return { slots: [], tokens: 0 };
  const none: LongTermFit = { slots: [], tokens: 0, report: { facts: longTermFacts, passages: [] } };
  const newest = history[history.length - 1];
  const passages = longTerm.passages ?? [];
  if (!longTerm.recall || !newest || passages.length === 0) return none;
  const memoryBudget = Math.floor(memoryShare(build.input.memory?.share) * budget.available);
  const header = `${LONG_TERM_HEADER_PREFIX}${build.charName}]`;
  const base = messageTokens({ role: 'system', content: header }, count);
  // Never so much that the new message could not fit beside what is always sent.
  const room = Math.min(Math.floor(LONG_TERM_SHARE * (memoryBudget - facts)), budget.available - fixed - messageTokens(newest.message, count)) - base;
  if (room <= 0) return none;

  const byId = new Map(passages.map((passage, order) => [passage.id, { passage, order }]));
  let scores: ReadonlyMap<string, number>;
  try {
    scores = longTerm.recall(messageText(newest.message), new Set(byId.keys()));
  } catch {
    // A recall that fails costs the build its long-term passages, never the prompt.
    return none;
  }
  const speakers: Readonly<Record<ChatRole, string>> = { user: build.userName, assistant: build.charName, system: SUMMARY_SPEAKER };
  const separator = count(LINE_SEPARATOR);
  const items = new Map<string, MemoryItem>();
  for (const [id, score] of scores) {
    const found = byId.get(id);
    const text = found?.passage.text.trim() ?? '';
    if (!found || !(score > 0) || text.length === 0) continue;
    const speaker = `${speakers[found.passage.role] ?? SUMMARY_SPEAKER}: `;
    items.set(id, { id, kind: found.passage.role === 'system' ? 'summary' : 'message', text: `${speaker}${text}`, tokens: separator + count(speaker) + count(text), order: found.order });
  }
  if (items.size === 0) return none;
  const { picked } = selectMemory({ items, scores, budgetTokens: room });
  if (picked.length === 0) return none;
  const tokens = base + picked.reduce((sum, { item }) => sum + item.tokens, 0);
  return {
    slots: [{
      message: { role: 'system', content: [header, ...picked.map(({ item }) => item.text)].join(LINE_SEPARATOR) },
      id: 'memory-long-term',
      label: "Memory: recalled from the character's other chats",
      source: 'memory',
      tokens,
    }],
    tokens,
    report: { facts: longTermFacts, passages: picked.map(({ item, score }) => ({ id: item.id, tokens: item.tokens, score })) },
  };
}

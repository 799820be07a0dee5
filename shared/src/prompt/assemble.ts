import { startBuild } from './assemble-context.ts';
import { contextBudget, fitReport, fixedTokens } from './assemble-fit.ts';
import { LONG_TERM_FACTS_PART, layoutHead, layoutTail, withMemory } from './assemble-fixed.ts';
import { buildHistory, splitHostBody } from './assemble-history.ts';
import { collectInsertions, planAuthorNote } from './assemble-insertions.ts';
import { activateLore } from './assemble-lore.ts';
import { recallLongTerm } from './assemble-long-term.ts';
import { factsTokens, fitWithMemory } from './assemble-memory.ts';
import { insertionSlot, renderParts, type Slot } from './assemble-slots.ts';
import type { AssembledPrompt, AssembleInput } from './assemble-types.ts';
import { PromptError } from './errors.ts';
import { groupInsertions, placeInsertions } from './insertions.ts';
import { cachedCounter, messageTokens } from './token-cache.ts';

/** Refuses what no prompt can be built from; returns the context size as a whole number of tokens. */
function checkInput(input: AssembleInput): number {
  if (typeof input.contextSize !== 'number' || !Number.isFinite(input.contextSize) || input.contextSize < 1) {
    throw new PromptError('prompt/bad-context-size', `The context size must be a positive number of tokens, not ${String(input.contextSize)}`);
  }
  if (!Array.isArray(input.body.messages) || input.body.messages.length === 0) {
    throw new PromptError('prompt/empty-body', 'The request has no messages to build a prompt on');
  }
  return Math.floor(input.contextSize);
}

/**
 * Builds the chat-completion messages for a character from NextChat's request body, in SillyTavern's
 * order: main prompt (or the card's `system_prompt`), World Info before, persona, description,
 * personality, scenario, World Info after, example dialogues, NextChat's kept context (memory, mask
 * context), the "[Start a new Chat]" marker, the chat history with the author's note, the card's depth
 * prompt and at-depth lore inserted from the end, then post-history instructions. Macros run on every
 * part with one context and the chat's variables are threaded through; the lorebook scans the history
 * as `Name: text` lines. The oldest history goes first when the context is short (never the new user
 * message, never a card or system part); when even that is not enough, `fit.fits` is false with a
 * readable message and the best fit is returned. Once the history does not fit, the chat's memory
 * (summaries of the messages left out, the left-out messages that matter to the new turn) takes up to
 * `memory.share` of the context after the pinned facts (see assemble-memory.ts). Pure and synchronous; never throws on bad card or book
 * data (lore problems come back in `lore.warnings`).
 *
 * The phases run in a fixed order because macro variables thread through them (see the README's
 * "Macros"): greeting, author's note, lore, the parts before the history, depth prompt, post-history.
 *
 * @example
 * const { count } = await tokenizerFor(body.model);
 * const built = assemblePrompt({ body, character, hostSystemPrefix: 1, countTokens: count, contextSize: contextSizeFor(body.model), lore: { timedState } });
 * send(built.body); saveTimedState(built.timedState); saveVariables(built.variables);
 */
export function assemblePrompt(input: AssembleInput): AssembledPrompt {
  const budget = contextBudget(input.body, checkInput(input));
  const host = splitHostBody(input);
  const build = startBuild(input, host.chat);
  const { history, greeted } = buildHistory(build, host.chat);
  const note = planAuthorNote(build, history);
  const lore = activateLore(build, history, budget.available, note.scanned);
  const head = layoutHead(build, lore.buckets, host);
  const groups = groupInsertions(collectInsertions(build, note, lore.buckets));
  const groupSlots = new Map(groups.map((group) => [group, insertionSlot(group)]));
  const tail = layoutTail(build);

  const count = cachedCounter(input.countTokens);
  const cost = (slot: Slot) => messageTokens(slot.message, count);
  const fixed = fixedTokens([head, groupSlots.values(), tail], cost);
  const longTermFactsPart = head.find((slot) => slot.id === LONG_TERM_FACTS_PART);
  const longTerm = recallLongTerm(build, history, { facts: factsTokens(head, cost), longTermFacts: longTermFactsPart ? cost(longTermFactsPart) : 0, fixed, budget }, count);
  const memory = fitWithMemory(build, { history, greeted, head, fixed: fixed + longTerm.tokens, longTerm: longTerm.tokens, budget }, cost, count);
  const { fit } = memory;
  const report = memory.report && { ...memory.report, used: memory.report.used + longTerm.tokens, ...(longTerm.report ? { longTerm: longTerm.report } : {}) };
  const kept = history.slice(fit.keepFrom);
  const placed = placeInsertions(kept, groups).map((item) => ('message' in item ? item : (groupSlots.get(item) ?? insertionSlot(item))));
  const ordered: Slot[] = [...withMemory(head, [...memory.slots, ...longTerm.slots]), ...placed, ...tail];
  const parts = renderParts(ordered, cost);
  const messages = ordered.map((slot) => slot.message);

  return {
    body: { ...input.body, messages },
    messages,
    parts,
    lore: { entries: lore.entries, warnings: lore.warnings, budget: lore.budget, skippedForBudget: lore.skippedForBudget, passes: lore.passes },
    trimmed: { historyDropped: fit.keepFrom, historyKept: kept.length, greetingDropped: greeted && fit.keepFrom > 0 },
    fit: fitReport(budget, fit),
    authorNoteInserted: note.due && groups.some((group) => group.kinds.includes('author-note')),
    ...(report ? { memory: report } : {}),
    timedState: lore.timedState,
    variables: build.macros.variables,
  };
}

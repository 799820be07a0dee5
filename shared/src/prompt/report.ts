import type { AssembledPrompt, MemoryReport } from './assemble-types.ts';

/** Longest text of one part the inspector keeps (the whole prompt is in the request itself). */
export const MAX_REPORT_PART_CHARS = 4_000;

/** Which of SillyTavern's lore roles a book played in one build (Troupe has no persona-bound books yet). */
export type LoreSource = 'chat' | 'character' | 'global';

/** What the service knows about the books beyond the assembled prompt: each book's role, and books it could not use. */
export interface LoreBookInfo {
  /** By book name, as the engine reports it; a name not listed is the card's own book (character lore). */
  sources: ReadonlyMap<string, LoreSource>;
  warnings: readonly string[];
}

/** What the prompt inspector shows about the last request of a chat: plain JSON, safe to message. */
export interface PromptReport {
  at: number;
  characterName: string;
  model: string;
  /** NextChat's provider the request went through ("Anthropic (Claude)"); absent in reports stored before it was kept. */
  provider?: string | null;
  parts: { id: string; label: string; role: string; tokens: number; source: string; text: string }[];
  lore: {
    entries: { id: string; comment: string; book: string; source: LoreSource; position: string; tokens: number; why: string }[];
    warnings: string[];
    budget: { limit: number; used: number; overflowed: boolean };
    skipped: number;
  };
  trimmed: { historyDropped: number; historyKept: number; greetingDropped: boolean };
  /** Where the history came from: the whole chat NextChat stored, or only its window (and why); absent in older reports. */
  history?: ReportHistory;
  fit: { contextSize: number; reserved: number; total: number; fits: boolean; message?: string };
  /** What the chat's memory took (facts, summaries, recalled messages, each with its source id); absent in older reports. */
  memory?: MemoryReport;
}

/** How a request's history was made: the whole chat NextChat stored, or only NextChat's window. */
export type HistorySource = 'whole-chat' | 'nextchat-window';

export interface ReportHistory {
  source: HistorySource;
  /** Messages of the stored chat put before NextChat's window. */
  added: number;
  /** Why only NextChat's window was used. */
  reason?: string;
}

/** Turns an assembled prompt into the inspector's report: why each lore entry fired and from which book, what was trimmed. */
export function toPromptReport(built: AssembledPrompt, characterName: string, { model, provider }: { model: string; provider: string | null }, at: number, books: LoreBookInfo = { sources: new Map(), warnings: [] }, history?: ReportHistory): PromptReport {
  return {
    at,
    characterName,
    model,
    provider,
    parts: built.parts.map((p) => ({ id: p.id, label: p.label, role: p.role, tokens: p.tokens, source: p.source, text: p.text.slice(0, MAX_REPORT_PART_CHARS) })),
    lore: {
      entries: built.lore.entries.map((e) => ({ id: e.id, comment: e.comment, book: e.book, source: books.sources.get(e.book) ?? 'character', position: e.position === 'at_depth' ? `at depth ${e.depth} (${e.role})` : e.position, tokens: e.tokens, why: describeReason(e.reason, e.step) })),
      warnings: [...books.warnings, ...built.lore.warnings.map((w) => w.message)],
      budget: built.lore.budget,
      skipped: built.lore.skippedForBudget.length,
    },
    trimmed: built.trimmed,
    ...(history ? { history } : {}),
    fit: { contextSize: built.fit.contextSize, reserved: built.fit.reserved, total: built.fit.total, fits: built.fit.fits, ...(built.fit.message ? { message: built.fit.message } : {}) },
    ...(built.memory ? { memory: memoryReport(built.memory) } : {}),
  };
}

/** A copy of the build's memory report: plain data the message channel and storage may keep. */
function memoryReport(memory: MemoryReport): MemoryReport {
  return {
    budget: memory.budget,
    used: memory.used,
    facts: memory.facts,
    summaries: memory.summaries.map(({ id, tokens, covers }) => ({ id, tokens, covers })),
    recalled: memory.recalled.map(({ id, tokens, score }) => ({ id, tokens, score })),
    ...(memory.longTerm ? { longTerm: { facts: memory.longTerm.facts, passages: memory.longTerm.passages.map(({ id, tokens, score }) => ({ id, tokens, score })) } } : {}),
  };
}

function describeReason(reason: AssembledPrompt['lore']['entries'][number]['reason'], step: number): string {
  const pass = step > 1 ? ` (recursion, pass ${step})` : '';
  switch (reason.kind) {
    case 'constant': return `always on${pass}`;
    case 'decorator': return `${reason.decorator}${pass}`;
    case 'sticky': return `sticky from an earlier message${pass}`;
    case 'key': return `key "${reason.primary}"${reason.secondary.length ? ` with "${reason.secondary.join('", "')}"` : ''}${pass}`;
  }
}

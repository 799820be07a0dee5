/**
 * The summaries a prompt may use now: every stored summary that still describes its part of the chat
 * (none whose messages were edited or deleted since), each with the ids of the MESSAGES it stands for
 * (a merged summary's are its parts' messages), oldest part first.
 */
import { planSummaries } from './summary-plan.ts';
import type { Summary, TranscriptMessage } from './types.ts';

export interface UsableSummary {
  id: string;
  text: string;
  /** Message ids, oldest first. */
  covers: string[];
}

export function currentSummaries(messages: readonly TranscriptMessage[], summaries: readonly Summary[]): UsableSummary[] {
  // Only the verdict on existing summaries is wanted: message sizes do not matter to it.
  const stale = new Set(planSummaries(messages.map((m) => ({ ...m, tokens: 0 })), summaries).stale.map((s) => s.id));
  const valid = summaries.filter((s) => !stale.has(s.id));
  const byId = new Map(valid.map((s) => [s.id, s]));
  const position = new Map(messages.map((m, i) => [m.id, i]));
  const flatten = (summary: Summary, seen: Set<string>): string[] => summary.covers.flatMap((id) => {
    const part = byId.get(id);
    if (!part) return [id];
    if (seen.has(id)) return [];
    seen.add(id);
    return flatten(part, seen);
  });
  return valid
    .map((s) => ({ id: s.id, text: s.text, covers: flatten(s, new Set([s.id])) }))
    .filter((s) => s.covers.length > 0 && s.covers.every((id) => position.has(id)))
    .sort((a, b) => position.get(a.covers[0]!)! - position.get(b.covers[0]!)! || b.covers.length - a.covers.length || (a.id < b.id ? -1 : 1));
}

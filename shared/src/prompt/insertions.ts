import { DEFAULT_INSERTION_DEPTH, MAX_INSERTION_DEPTH } from './limits.ts';
import type { ChatRole } from './types.ts';

/** What an in-chat insertion comes from, in the order SillyTavern joins them at one depth and role. */
export type InsertionKind = 'author-note' | 'depth-prompt' | 'lore';

export interface Insertion {
  depth: number;
  role: ChatRole;
  kind: InsertionKind;
  text: string;
}

/** One injected message: every insertion of one depth and role, joined by newlines. */
export interface InsertionMessage {
  depth: number;
  role: ChatRole;
  kinds: InsertionKind[];
  text: string;
}

// SillyTavern joins a depth's extension prompts sorted by their keys: '2_floating_prompt' (author's
// note) < 'DEPTH_PROMPT' (card) < 'customDepthWI_*' (lore).
const KIND_ORDER: Readonly<Record<InsertionKind, number>> = { 'author-note': 0, 'depth-prompt': 1, lore: 2 };
// At one depth SillyTavern splices [system, user, assistant] into the newest-first list and then reverses
// it, so in reading order the assistant message comes first and the system one sits nearest the end.
const ROLE_ORDER: Readonly<Record<ChatRole, number>> = { assistant: 0, user: 1, system: 2 };

/** A depth as a whole number in [0, MAX_INSERTION_DEPTH]; anything that is not a finite number gives `fallback`. */
export function insertionDepth(value: unknown, fallback = DEFAULT_INSERTION_DEPTH): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(MAX_INSERTION_DEPTH, Math.max(0, Math.floor(value)));
}

/**
 * Merges insertions into one message per depth and role, as SillyTavern does, and orders the messages
 * for `placeInsertions`: deepest first, and within one depth assistant, user, system. Blank texts are
 * left out.
 */
export function groupInsertions(items: readonly Insertion[]): InsertionMessage[] {
  const groups = new Map<string, Insertion[]>();
  for (const item of items) {
    const text = item.text.trim();
    if (text.length === 0) continue;
    const key = `${item.depth}|${item.role}`;
    const list = groups.get(key);
    if (list) list.push({ ...item, text });
    else groups.set(key, [{ ...item, text }]);
  }
  const messages: InsertionMessage[] = [];
  for (const list of groups.values()) {
    const sorted = [...list].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    const first = sorted[0];
    if (!first) continue;
    messages.push({ depth: first.depth, role: first.role, kinds: [...new Set(sorted.map((item) => item.kind))], text: sorted.map((item) => item.text).join('\n') });
  }
  return messages.sort((a, b) => b.depth - a.depth || ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
}

/**
 * Puts each insertion `depth` messages from the end of `history` (0 = after the last message); a depth
 * beyond the history puts it at the start, deeper ones first, as SillyTavern does. `groups` must come
 * from `groupInsertions`.
 */
export function placeInsertions<T>(history: readonly T[], groups: readonly InsertionMessage[]): (T | InsertionMessage)[] {
  const out: (T | InsertionMessage)[] = [];
  const n = history.length;
  let next = 0;
  for (let k = 0; k <= n; k++) {
    while (next < groups.length) {
      const group = groups[next];
      if (!group || Math.max(0, n - group.depth) !== k) break;
      out.push(group);
      next++;
    }
    const message = history[k];
    if (k < n && message !== undefined) out.push(message);
  }
  return out;
}

import type { LoreBuckets } from '../lore/index.ts';
import type { BuildContext } from './assemble-context.ts';
import type { Slot } from './assemble-slots.ts';
import type { AuthorNoteInput, PromptCard } from './assemble-types.ts';
import { insertionDepth, type Insertion } from './insertions.ts';
import type { ChatRole } from './types.ts';

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];

/** Card and book data are untrusted: an unknown role becomes a system message rather than a bad request. */
const chatRole = (value: unknown): ChatRole => (ROLES as readonly unknown[]).includes(value) ? (value as ChatRole) : 'system';

function depthPromptOf(card: PromptCard): { prompt: string; depth: number; role: ChatRole } | null {
  const raw = card.extensions?.['depth_prompt'];
  if (typeof raw !== 'object' || raw === null) return null;
  const { prompt, depth, role } = raw as Record<string, unknown>;
  if (typeof prompt !== 'string' || prompt.trim().length === 0) return null;
  return { prompt: prompt.trim(), depth: insertionDepth(depth), role: chatRole(role) };
}

/** The author's note for this turn, decided before lore runs because a scannable note feeds the lore scan. */
export interface AuthorNotePlan {
  /** The note as the caller set it (depth, role); null when there is none. */
  readonly settings: AuthorNoteInput | null;
  /** Whether this is one of its every-N turns. */
  readonly due: boolean;
  /** Its macro-expanded text; '' when not due. */
  readonly text: string;
  /** What the lore scan sees of it: its text when it allows scanning (SillyTavern's "allow WI scan"). */
  readonly scanned: readonly string[];
}

/**
 * Whether the author's note comes up on this turn: every N user turns, SillyTavern's interval, except
 * that 0 and 1 both mean every turn. No user turn yet means not due when N > 1.
 */
export function authorNoteDue(everyN: number, userTurns: number): boolean {
  return !(everyN > 1) || (userTurns > 0 && userTurns % everyN === 0);
}

/** Decides the author's note for this turn; its macros run now, right after the greeting's. */
export function planAuthorNote(build: BuildContext, history: readonly Slot[]): AuthorNotePlan {
  const note = build.input.authorNote ?? null;
  const everyN = Math.floor(note?.everyN ?? 1);
  const userTurns = build.input.userTurns ?? history.filter((slot) => slot.message.role === 'user').length;
  const due = authorNoteDue(everyN, userTurns);
  const text = note && due ? build.macros.run(note.text.trim(), 'author-note').trim() : '';
  return { settings: note, due, text, scanned: note?.scan && text ? [text] : [] };
}

/**
 * The in-chat insertions: the author's note with the lore `an_top` / `an_bottom` entries around it (on
 * its turns only), the card's depth prompt, and the `at_depth` lore. They are placed once we know how
 * much history is kept.
 */
export function collectInsertions(build: BuildContext, note: AuthorNotePlan, buckets: Pick<LoreBuckets, 'anTop' | 'anBottom' | 'atDepth'>): Insertion[] {
  const insertions: Insertion[] = [];
  if (note.due) {
    const text = [...buckets.anTop, note.text, ...buckets.anBottom].filter((part) => part.trim().length > 0).join('\n');
    insertions.push({ depth: insertionDepth(note.settings?.depth), role: chatRole(note.settings?.role ?? 'system'), kind: 'author-note', text });
  }
  const depthPrompt = depthPromptOf(build.card);
  if (depthPrompt) insertions.push({ depth: depthPrompt.depth, role: depthPrompt.role, kind: 'depth-prompt', text: build.macros.run(depthPrompt.prompt, 'depth-prompt') });
  for (const group of buckets.atDepth) {
    insertions.push({ depth: insertionDepth(group.depth), role: chatRole(group.role), kind: 'lore', text: group.contents.join('\n') });
  }
  return insertions;
}

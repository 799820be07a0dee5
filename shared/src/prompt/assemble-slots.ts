import type { PartSource, PromptPart } from './assemble-types.ts';
import type { InsertionKind, InsertionMessage } from './insertions.ts';
import { messageText, type ChatMessage, type ChatRole } from './types.ts';

/** One message of the prompt before token counting, with what the inspector says about it. */
export interface Slot {
  message: ChatMessage;
  id: string;
  label: string;
  source: PartSource;
  /** Known once counted (history messages), so the parts list does not count them twice. */
  tokens?: number;
}

/** A part given as text, before it becomes a message. */
export interface TextSpec {
  id: string;
  label: string;
  source: PartSource;
  role: ChatRole;
  text: string;
}

/** Adds a text part trimmed; a blank one is left out, as SillyTavern leaves out empty prompts. */
export function pushText(list: Slot[], part: TextSpec): void {
  const content = part.text.trim();
  if (content.length > 0) list.push({ message: { role: part.role, content }, id: part.id, label: part.label, source: part.source });
}

const INSERTION_SOURCE: Readonly<Record<InsertionKind, PartSource>> = { 'author-note': 'author-note', 'depth-prompt': 'card', lore: 'lore' };
const INSERTION_LABEL: Readonly<Record<InsertionKind, string>> = { 'author-note': "author's note", 'depth-prompt': 'character depth prompt', lore: 'lore' };

/** The slot of one injected message; a message merged from several kinds is labelled an injection. */
export function insertionSlot(group: InsertionMessage): Slot {
  const [only] = group.kinds;
  return {
    message: { role: group.role, content: group.text },
    id: `depth-${group.depth}-${group.role}`,
    label: `At depth ${group.depth} (${group.role}): ${group.kinds.map((kind) => INSERTION_LABEL[kind]).join(' + ')}`,
    source: group.kinds.length === 1 && only ? INSERTION_SOURCE[only] : 'injection',
  };
}

/** The inspector's view of the final prompt: one part per message, reusing the history counts made while fitting. */
export function renderParts(ordered: readonly Slot[], cost: (slot: Slot) => number): PromptPart[] {
  return ordered.map((slot) => ({
    id: slot.id,
    label: slot.label,
    role: slot.message.role,
    tokens: slot.tokens ?? cost(slot),
    text: messageText(slot.message),
    source: slot.source,
  }));
}

import type { LoreSource } from '@troupe/shared/prompt';

/** One library book a build should use, with the role it plays. */
export interface BookRef {
  id: string;
  source: LoreSource;
}

/**
 * The library books of one build, each once, in SillyTavern's precedence: a globally enabled book is
 * global lore even when the chat binds it or the card links it; a chat-bound book linked by the card is
 * chat lore (SillyTavern skips chat lore already global and character lore already global or chat).
 *
 * @example bookRoles(['g'], ['c', 'g'], 'c') // [{ id: 'g', source: 'global' }, { id: 'c', source: 'chat' }]
 */
export function bookRoles(globalIds: readonly string[], chatIds: readonly string[], linkedId: string | null): BookRef[] {
  const seen = new Set<string>();
  const refs: BookRef[] = [];
  const add = (id: string, source: LoreSource) => {
    if (seen.has(id)) return;
    seen.add(id);
    refs.push({ id, source });
  };
  for (const id of globalIds) add(id, 'global');
  for (const id of chatIds) add(id, 'chat');
  if (linkedId !== null) add(linkedId, 'character');
  return refs;
}

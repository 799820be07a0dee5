import type { Character } from '@troupe/shared/cards';

/**
 * The World Info a card links to, by name (`data.extensions.world`, SillyTavern's "character lore"
 * link), or null when it links none.
 */
export function linkedWorldName(character: Character): string | null {
  const world = character.data.extensions['world'];
  if (typeof world !== 'string') return null;
  const name = world.trim();
  return name === '' ? null : name;
}

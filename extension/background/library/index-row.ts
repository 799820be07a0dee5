/** What a character's or lorebook's index row says about it: derived from the card, never edited directly. */
import { DEFAULT_ASSET_URI, type Character, type Lorebook } from '@troupe/shared/cards';
import { excerptOf, type CharacterRow, type LorebookRow } from '../db/database.ts';

/** The row fields that come from the card (id, dates, avatar and doc are the store's business). */
export type CharacterIndexFields = Pick<CharacterRow, 'name' | 'sortName' | 'excerpt' | 'tags' | 'creator' | 'world' | 'bookEntries'>;

/** Index fields of a character: name, tags (trimmed, unique), creator, linked World Info, excerpt. */
export function characterIndexFields(character: Character): CharacterIndexFields {
  const { data } = character;
  const world = data.extensions['world'];
  return {
    name: data.name,
    sortName: data.name.toLowerCase(),
    excerpt: excerptOf(data.description),
    tags: uniqueTags(data.tags),
    creator: data.creator,
    world: typeof world === 'string' ? world.trim() : '',
    bookEntries: data.character_book?.entries.length ?? 0,
  };
}

export type LorebookIndexFields = Pick<LorebookRow, 'name' | 'sortName' | 'excerpt' | 'entries'>;

/** Index fields of a standalone lorebook. `fallbackName` names a book that has none. */
export function lorebookIndexFields(book: Lorebook, fallbackName = 'Untitled lorebook'): LorebookIndexFields {
  const name = book.name?.trim() || fallbackName;
  return { name, sortName: name.toLowerCase(), excerpt: excerptOf(book.description ?? ''), entries: book.entries.length };
}

/** Tags trimmed, empty ones dropped, duplicates (ignoring case) removed, first spelling kept. */
export function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const trimmed = tag.trim();
    const key = trimmed.toLowerCase();
    if (trimmed && !seen.has(key)) {
      seen.add(key);
      out.push(trimmed);
    }
  }
  return out;
}

/**
 * The URI of the asset shown as the character's avatar: its `icon` asset named `main` (else its
 * first icon), or `ccdefault:` when the card lists no assets (the V3 default: the PNG itself).
 */
export function avatarUri(character: Character): string | null {
  const list = character.data.assets;
  if (list === undefined) return DEFAULT_ASSET_URI;
  const icons = list.filter((asset) => asset.type === 'icon');
  return (icons.find((asset) => asset.name === 'main') ?? icons[0])?.uri ?? null;
}

/** Same URI? `embeded://` and `embedded://` spell the same thing; case does not matter in the scheme. */
export function sameUri(a: string, b: string): boolean {
  const norm = (uri: string) => uri.replace(/^embedded:\/\//i, 'embeded://').replace(/^[a-z]+:/i, (scheme) => scheme.toLowerCase());
  return norm(a) === norm(b);
}

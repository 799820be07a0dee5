/**
 * How each item of an opened pack relates to the library: imported from this pack before (found by
 * the record of that import), the very character of the publisher (a paired device, or the publisher
 * itself), a library item of the same name, or new. Reads only; the import page shows the result and
 * the import writes by it.
 */
import type { Character, Lorebook } from '@troupe/shared/cards';
import type { Pack } from '@troupe/shared/packs';
import type { ImportedPackItem, ImportedPackRow } from '../db/database.ts';
import type { PackItemStatus } from '../../messaging/packs-wire.ts';
import { characterDifferences, lorebookDifferences, type ComparableAsset } from './differences.ts';
import { characterDigest, characterKey, lorebookDigest, lorebookKey, publisherCharacterId } from './pack-items.ts';

/** What matching reads of the library. */
export interface LibraryLookup {
  /** A live character's card and asset bytes, or null. */
  character(id: string): Promise<{ card: Character; assets: ComparableAsset[] } | null>;
  /** The id of a live character with this name (ignoring case), or null. */
  characterNamed(name: string): Promise<string | null>;
  /** A live standalone lorebook, or null. */
  lorebook(id: string): Promise<Lorebook | null>;
  /** The id of a live lorebook with this name (ignoring case), or null. */
  lorebookNamed(name: string): Promise<string | null>;
}

export interface MatchedItem {
  index: number;
  key: string;
  name: string;
  digest: string;
  status: PackItemStatus;
  libraryId: string | null;
  changes: string[];
}

export interface PackMatch {
  characters: MatchedItem[];
  lorebooks: MatchedItem[];
}

/** Matches every item of `pack` against the library and the record of an earlier import of it (or null). */
export async function matchPack(pack: Pack, record: ImportedPackRow | null, library: LibraryLookup): Promise<PackMatch> {
  const recorded = (items: readonly ImportedPackItem[] | undefined, key: string) => items?.find((item) => item.key === key) ?? null;
  const characters: MatchedItem[] = [];
  for (const [index, character] of pack.characters.entries()) {
    const key = characterKey(character, index);
    const digest = await characterDigest(character);
    const name = character.card.data.name;
    const base = { index, key, name, digest };
    const earlier = recorded(record?.characters, key);
    const earlierMine = earlier ? await library.character(earlier.libraryId) : null;
    if (earlier && earlierMine) {
      const changed = earlier.digest !== digest;
      characters.push({ ...base, status: changed ? 'update' : 'unchanged', libraryId: earlier.libraryId, changes: changed ? characterDifferences(earlierMine.card, earlierMine.assets, character.card, character.assets) : [] });
      continue;
    }
    const publisherId = publisherCharacterId(character);
    const same = publisherId ? await library.character(publisherId) : null;
    if (publisherId && same) {
      const changes = characterDifferences(same.card, same.assets, character.card, character.assets);
      characters.push({ ...base, status: changes.length > 0 ? 'update' : 'unchanged', libraryId: publisherId, changes });
      continue;
    }
    const namedId = await library.characterNamed(name);
    const named = namedId ? await library.character(namedId) : null;
    if (namedId && named) {
      const changes = characterDifferences(named.card, named.assets, character.card, character.assets);
      characters.push({ ...base, status: changes.length > 0 ? 'same-name' : 'unchanged', libraryId: namedId, changes });
      continue;
    }
    characters.push({ ...base, status: 'new', libraryId: null, changes: [] });
  }

  const lorebooks: MatchedItem[] = [];
  for (const [index, book] of pack.lorebooks.entries()) {
    const key = lorebookKey(book, index);
    const digest = await lorebookDigest(book);
    const name = book.name?.trim() || 'Untitled lorebook';
    const base = { index, key, name, digest };
    const earlier = recorded(record?.lorebooks, key);
    const earlierMine = earlier ? await library.lorebook(earlier.libraryId) : null;
    if (earlier && earlierMine) {
      const changed = earlier.digest !== digest;
      lorebooks.push({ ...base, status: changed ? 'update' : 'unchanged', libraryId: earlier.libraryId, changes: changed ? lorebookDifferences(earlierMine, book) : [] });
      continue;
    }
    const namedId = await library.lorebookNamed(name);
    const named = namedId ? await library.lorebook(namedId) : null;
    if (namedId && named) {
      const changes = lorebookDifferences(named, book);
      lorebooks.push({ ...base, status: changes.length > 0 ? 'same-name' : 'unchanged', libraryId: namedId, changes });
      continue;
    }
    lorebooks.push({ ...base, status: 'new', libraryId: null, changes: [] });
  }
  return { characters, lorebooks };
}

/** How many items a pack would add or change. */
export function changedCount(match: PackMatch): number {
  return [...match.characters, ...match.lorebooks].filter((item) => item.status !== 'unchanged').length;
}

/**
 * A pack of library characters, as the publisher shares it: each card (its own lorebook and the
 * settings that travel in it, such as its voice in `data.extensions.troupe.voice`), every stored
 * asset's bytes, and the World Info books the cards link to. Never Troupe's own per-character
 * options (long-term memory), chats, memory or any key: none of them is in a card.
 */
import type { Character, Lorebook } from '@troupe/shared/cards';
import { PACK_FORMAT, type Pack, type PackCharacter } from '@troupe/shared/packs';
import type { AssetRow } from '../db/database.ts';
import { PacksError } from './errors.ts';
import { PACK_ITEM_SETTING } from './pack-items.ts';

/** What building a pack reads of the library (the Library facade has all of it). */
export interface PackLibrary {
  readCard(id: string): Promise<Character | null>;
  assetsOf(characterId: string): Promise<AssetRow[]>;
  linkedLorebookRef(characterId: string): Promise<{ id: string } | null>;
  readLorebook(id: string): Promise<Lorebook | null>;
}

export interface BuiltPack {
  pack: Pack;
  /** The characters found, in order (ids and names), and those no longer in the library. */
  characterIds: string[];
  characterNames: string[];
  missing: string[];
}

/**
 * Builds the pack of `characterIds` (in that order). With `skipMissing`, characters deleted since
 * are left out (an Update); otherwise one missing character refuses the whole share. Throws
 * PacksError('packs/no-characters') when none is left.
 */
export async function buildPack(library: PackLibrary, characterIds: readonly string[], now: number, { skipMissing = false } = {}): Promise<BuiltPack> {
  const characters: PackCharacter[] = [];
  const found: string[] = [];
  const names: string[] = [];
  const missing: string[] = [];
  const books = new Map<string, Lorebook>();
  for (const id of characterIds) {
    const card = await library.readCard(id);
    if (!card) {
      if (!skipMissing) throw new PacksError('packs/character-gone');
      missing.push(id);
      continue;
    }
    const rows = await library.assetsOf(id);
    const assets = await Promise.all(rows.map(async (row) => ({ uri: row.uri, name: row.name, mime: row.mime, bytes: new Uint8Array(await row.blob.arrayBuffer()) })));
    characters.push({ card, assets, settings: { [PACK_ITEM_SETTING]: id } });
    found.push(id);
    names.push(card.data.name);
    const linked = await library.linkedLorebookRef(id);
    if (linked && !books.has(linked.id)) {
      const book = await library.readLorebook(linked.id);
      if (book) books.set(linked.id, book);
    }
  }
  if (characters.length === 0) throw new PacksError('packs/no-characters');
  return { pack: { format: PACK_FORMAT, createdAt: now, characters, lorebooks: [...books.values()] }, characterIds: found, characterNames: names, missing };
}

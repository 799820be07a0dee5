/**
 * How the extension names the items of a pack so a later version finds the same ones: each character
 * carries its publisher's library id in its travelling settings (`settings.packItem`), so reordering
 * or deleting characters between versions never sends an update to the wrong one; a lorebook is
 * named by its name (characters link World Info by name). Plus a digest of each item, which says
 * whether a new version changed it.
 */
import { exportCharacterJson, exportLorebookJson, type Lorebook } from '@troupe/shared/cards';
import { bytesToBase64Url } from '@troupe/shared/bytes';
import type { PackCharacter } from '@troupe/shared/packs';

/** The settings key holding the publisher's id of a character. */
export const PACK_ITEM_SETTING = 'packItem';
/** Longest item id read from a pack (a UUID is 36). */
const MAX_ITEM_ID_CHARS = 100;

/** The key of the pack's character at `index`: its publisher's id, else its position. */
export function characterKey(character: PackCharacter, index: number): string {
  const id = character.settings?.[PACK_ITEM_SETTING];
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ITEM_ID_CHARS ? `id:${id}` : `#${index}`;
}

/** The publisher's library id a character carries, or null. */
export function publisherCharacterId(character: PackCharacter): string | null {
  const key = characterKey(character, 0);
  return key.startsWith('id:') ? key.slice(3) : null;
}

/** The key of a pack lorebook: its name, else its position. */
export function lorebookKey(book: Lorebook, index: number): string {
  const name = book.name?.trim();
  return name ? `name:${name.toLowerCase()}` : `#${index}`;
}

const encoder = new TextEncoder();

/** SHA-256 of everything a character brings: its card (as the card library writes it) and each asset's name, type and bytes. */
export async function characterDigest(character: PackCharacter): Promise<string> {
  const parts: Uint8Array[] = [encoder.encode(exportCharacterJson(character.card))];
  for (const asset of character.assets) {
    parts.push(encoder.encode(`\u0000${asset.uri}\u0000${asset.name}\u0000${asset.mime}\u0000${asset.bytes.length}\u0000`), asset.bytes);
  }
  return digest(parts);
}

/** SHA-256 of a lorebook as the card library writes it. */
export function lorebookDigest(book: Lorebook): Promise<string> {
  return digest([encoder.encode(exportLorebookJson(book))]);
}

async function digest(parts: readonly Uint8Array[]): Promise<string> {
  const size = parts.reduce((sum, part) => sum + part.length, 0);
  const all = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', all)));
}

/**
 * The files a SillyTavern user downloads for a character: a V3 PNG card (its avatar with `chara`
 * and `ccv3` chunks, as SillyTavern itself writes) and a CHARX (card.json plus every asset). Pure:
 * the page turns the bytes into a Blob.
 */
import { CardError, exportCharacterCharx, exportCharacterPng } from '@troupe/shared/cards';
import type { PackCharacter } from '@troupe/shared/packs';
import { avatarOf } from './character-summary.ts';
import { fileNameFor } from './file-name.ts';

export type CardFormat = 'png' | 'charx';

export interface CardFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
  /** True when the avatar could not be embedded and the PNG carries a blank 1x1 image instead. */
  blankImage?: boolean;
}

/**
 * The card file for one character. For a PNG, `image` is the PNG to carry the card: the avatar when
 * it is a PNG (pass the page's conversion for other formats). An image that is not a valid PNG is
 * replaced by a blank one rather than failing the download; the card text is what matters.
 */
export function cardFile(character: PackCharacter, format: CardFormat, image?: Uint8Array): CardFile {
  const name = fileNameFor(character.card.data.name, format);
  if (format === 'charx') return { name, mime: 'application/zip', bytes: exportCharacterCharx(character.card, character.assets) };
  if (image !== undefined) {
    try {
      return { name, mime: 'image/png', bytes: exportCharacterPng(character.card, { image }) };
    } catch (error) {
      if (!(error instanceof CardError)) throw error;
    }
  }
  return { name, mime: 'image/png', bytes: exportCharacterPng(character.card), blankImage: image !== undefined || avatarOf(character) !== null };
}

/** The avatar's bytes when they can carry a PNG card as they are; null when they need converting (or there is none). */
export function avatarPng(character: PackCharacter): Uint8Array | null {
  const avatar = avatarOf(character);
  return avatar?.mime === 'image/png' ? avatar.asset.bytes : null;
}

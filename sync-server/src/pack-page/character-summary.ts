/**
 * What the page lists for each character: name, a short blurb, how many lorebook entries travel
 * with it, and its avatar's bytes with the type read from them (never the type the pack declares).
 */
import { sniffRaster, type RasterMime } from '@troupe/shared/bytes';
import { DEFAULT_ASSET_URI } from '@troupe/shared/cards';
import type { PackAsset, PackCharacter } from '@troupe/shared/packs';
import { MAX_BLURB_CHARS } from './limits.ts';

export interface CharacterSummary {
  name: string;
  /** Creator's notes when the card has them (written for people), else the start of its description. */
  blurb: string;
  /** Entries in the character's own book (0 without one). */
  lorebookEntries: number;
  /** Files besides the avatar (sprites, backgrounds, sounds): they travel in the CHARX only. */
  otherAssets: number;
  avatar: { asset: PackAsset; mime: RasterMime } | null;
}

/** The list entry for one character of an opened pack. */
export function summariseCharacter(character: PackCharacter): CharacterSummary {
  const data = character.card.data;
  const notes = oneLine(data.creator_notes);
  const avatar = avatarOf(character);
  return {
    name: data.name,
    blurb: shorten(notes === '' ? oneLine(data.description) : notes, MAX_BLURB_CHARS),
    lorebookEntries: data.character_book?.entries.length ?? 0,
    otherAssets: character.assets.filter((asset) => asset !== avatar?.asset).length,
    avatar,
  };
}

/**
 * The character's avatar: the `ccdefault:` asset (what a PNG card's own image becomes), else the
 * asset of the card's first `icon`, when its bytes are a raster image. SVG and anything else that is
 * not a plain raster image is never shown or embedded: it could carry script.
 */
export function avatarOf(character: PackCharacter): { asset: PackAsset; mime: RasterMime } | null {
  const icons = (character.card.data.assets ?? []).filter((entry) => entry.type === 'icon').map((entry) => entry.uri);
  const candidates = [DEFAULT_ASSET_URI, ...icons];
  for (const uri of candidates) {
    const asset = character.assets.find((item) => item.uri === uri);
    const mime = asset ? sniffRaster(asset.bytes) : null;
    if (asset && mime) return { asset, mime };
  }
  return null;
}

/** Pluralised counts, e.g. `1 lorebook entry`, `12 lorebook entries`. */
export function countLabel(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (whole code points), cut at a word where one is near, with an ellipsis. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

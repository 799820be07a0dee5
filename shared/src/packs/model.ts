/**
 * A character pack as programs see it: the plain content before sealing and after opening. Every
 * character is a normalised CCv3 card (@troupe/shared/cards), so what the library imports from a
 * card file it imports from a pack the same way.
 */
import type { CardWarning, Character, JsonObject, Lorebook } from '../cards/index.ts';

/** Content format written by this code; a pack with a higher one is refused as `pack/newer-format`. */
export const PACK_FORMAT = 1;

/** The bytes of one asset, as the library stores them (avatar, sprite, background, sound). */
export interface PackAsset {
  /** How the card refers to it (`ccdefault:`, `embeded://assets/happy.png`): matched against `data.assets[].uri`. */
  uri: string;
  /** File name, e.g. `happy.png`. */
  name: string;
  /** Declared type. Nothing trusts it: whatever shows an asset sniffs its bytes first. */
  mime: string;
  bytes: Uint8Array;
}

export interface PackCharacter {
  /** A CCv3 card; its own `character_book` travels inside it. */
  card: Character;
  assets: PackAsset[];
  /**
   * Per-character settings that travel with the character (a voice, once voice lands). A small plain
   * JSON object whose keys the extension defines and validates; the pack only bounds its size.
   */
  settings?: JsonObject;
}

/** A saved persona (the user's side of a chat). */
export interface PackPersona {
  name: string;
  description: string;
  /** A raster image (PNG, JPEG, WebP, GIF, AVIF), checked from its bytes. */
  avatar?: { name: string; mime: string; bytes: Uint8Array };
}

/** The plain content of a pack, format 1. */
export interface Pack {
  format: typeof PACK_FORMAT;
  /** When the publisher made it (Unix ms). */
  createdAt: number;
  /** One or more characters, each with its assets. */
  characters: PackCharacter[];
  /** Standalone lorebooks that travel with the characters (lorebook_v3 data). */
  lorebooks: Lorebook[];
  personas?: PackPersona[];
}

/**
 * Something the card reader fixed or dropped inside the pack instead of refusing it (a `__proto__`
 * key, a number where text belongs): the card warning, with the item it came from.
 */
export interface PackWarning extends CardWarning {
  /** `characters[0]`, `lorebooks[2]`. */
  item: string;
}

/** What opening a pack gives: the content, read through the card library, and its warnings. */
export interface OpenedPack {
  pack: Pack;
  warnings: PackWarning[];
}

/**
 * Limits of character packs, each with its reason. A pack comes from a stranger's link, so every
 * count and every size read from it is bounded here before anything is allocated or parsed. The
 * cards inside also pass the card library's own limits (@troupe/shared/cards), exactly as a card
 * file dropped into the library would.
 */
import { MAX_CARD_FILE_BYTES } from '../cards/limits.ts';

const MiB = 1024 * 1024;

/**
 * Largest sealed pack (what the relay stores and a link downloads). A few characters with full
 * sprite sets fit; the relay and a browser tab hold it in memory a couple of times over while
 * uploading or opening, which stays comfortable at 64 MiB.
 */
export const MAX_SEALED_PACK_BYTES = 64 * MiB;

/**
 * Largest pack once decompressed. Images do not compress, so a full pack of images is ~64 MiB
 * plain; text compresses 5-10x, so twice the sealed size leaves room for text-heavy packs while
 * stopping a gzip bomb long before it exhausts memory.
 */
export const MAX_PLAIN_PACK_BYTES = 2 * MAX_SEALED_PACK_BYTES;

/**
 * Largest manifest (the JSON table of contents: names, types and sizes, no card text). 2,000
 * assets at ~300 bytes each is 600 KB; 4 MiB bounds the one JSON.parse a pack costs before the
 * card parser takes over.
 */
export const MAX_PACK_MANIFEST_BYTES = 4 * MiB;

/** Most characters in one pack: a cast or a group chat has a handful; 100 refuses floods. */
export const MAX_PACK_CHARACTERS = 100;

/** Most standalone lorebooks in one pack: a world with its regions, not a library dump. */
export const MAX_PACK_LOREBOOKS = 100;

/** Most personas in one pack: people share one or two; the extension keeps at most 100 anyway. */
export const MAX_PACK_PERSONAS = 20;

/**
 * Most assets in one pack, all characters together: the library's per-character bound (a full
 * sprite set is a few hundred), which also bounds the manifest walk.
 */
export const MAX_PACK_ASSETS = 2_000;

/** Largest single asset: the library's own bound (the card parser's file limit). */
export const MAX_PACK_ASSET_BYTES = MAX_CARD_FILE_BYTES;

/**
 * Most lorebook entries in one pack, cards' books and standalone books together. One book may hold
 * the card library's MAX_LOREBOOK_ENTRIES (20,000); a pack may hold two such books and change.
 */
export const MAX_PACK_LOREBOOK_ENTRIES = 50_000;

/** Longest persona name: the extension's chat persona bound (a display name). */
export const MAX_PERSONA_NAME_CHARS = 200;

/** Longest persona description: the extension's chat persona bound (prompt text). */
export const MAX_PERSONA_DESCRIPTION_CHARS = 20_000;

/**
 * Largest persona avatar. The extension keeps a 96 px thumbnail of a few KB; 1 MiB lets the
 * publisher send a sharper original without letting a persona smuggle a large payload.
 */
export const MAX_PERSONA_AVATAR_BYTES = 1 * MiB;

/**
 * Largest per-character settings object (as JSON text): settings are switches and short values
 * (a voice, a rate), never content.
 */
export const MAX_CHARACTER_SETTINGS_CHARS = 64 * 1024;

/** Deepest per-character settings object: real settings nest two or three levels. */
export const MAX_CHARACTER_SETTINGS_DEPTH = 8;

/** Longest asset file name, as file systems allow. */
export const MAX_ASSET_NAME_CHARS = 255;

/** Longest asset URI: `embeded://path/in/zip` or `ccdefault:`; a path is well under this. */
export const MAX_ASSET_URI_CHARS = 1024;

/** Longest asset MIME type (`image/png`, `audio/mpeg`); RFC 6838 caps each half at 127. */
export const MAX_ASSET_MIME_CHARS = 255;

/**
 * Longest share link. A link travels in chat messages, QR codes and tweets; 120 characters stays
 * on one line and in a small QR code. The id and key take 69 of them (see link.ts).
 */
export const MAX_PACK_LINK_CHARS = 120;

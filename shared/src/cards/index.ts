/**
 * Character cards and lorebooks in every SillyTavern format, read and written losslessly.
 * Pure TypeScript: runs in Node, browsers and workers.
 */
export { CardError, isCardError, type CardErrorCode, type CardWarning } from './errors.ts';
export {
  DEFAULT_CARD_LIMITS,
  MAX_CARD_FILE_BYTES,
  MAX_JSON_BYTES,
  MAX_JSON_DEPTH,
  MAX_LOREBOOK_ENTRIES,
  MAX_PNG_TEXT_BYTES,
  MAX_STRING_LENGTH,
  MAX_ZIP_ENTRIES,
  MAX_ZIP_TOTAL_UNCOMPRESSED,
  resolveLimits,
  type CardLimits,
} from './limits.ts';
export {
  CHARACTER_LIST_FIELDS,
  CHARACTER_SPEC,
  CHARACTER_SPEC_VERSION,
  CHARACTER_TEXT_FIELDS,
  LOREBOOK_SPEC,
  type Asset,
  type CardAsset,
  type Character,
  type CharacterData,
  type JsonObject,
  type JsonPrimitive,
  type JsonValue,
  type Lorebook,
  type LorebookEntry,
  type LorebookPosition,
} from './model.ts';
export {
  fileStem,
  parseCardFile,
  parseCardObject,
  type CharacterSourceFormat,
  type LorebookSourceFormat,
  type ParsedCharacterFile,
  type ParsedFile,
  type ParsedLorebookFile,
  type ParseOptions,
} from './parse.ts';
export {
  exportCharacterCharx,
  exportCharacterJson,
  exportCharacterPng,
  exportLorebookJson,
  exportWorldInfoJson,
  toV2Card,
  toV3Card,
  toWorldInfo,
} from './export.ts';
export { BOOK_FIELDS_CARRIER, ST_FIELDS_CARRIER, type WorldInfoEntry, type WorldInfoFile } from './worldinfo.ts';
export { createMinimalPng, encodePng, type PngChunk } from './png.ts';
export { DEFAULT_ASSET_URI, EMBEDDED_URI_PREFIX, embeddedPath } from './charx.ts';
export type { CardVersion } from './normalize-character.ts';

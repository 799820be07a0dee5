/** Runtime messages of the character library (the options page's manager and the panel's compact list). */
import type { CharacterSummary } from '../library-wire.ts';
import { MAX_AVATAR_DATA_URL, MAX_CHARACTER_DESCRIPTION, MAX_CHARACTER_NAME } from '../limits/general.ts';
import { RASTER_DATA_URL } from '@troupe/shared/bytes';
import {
  MAX_ASSET_BYTES,
  MAX_ASSETS_PER_CHARACTER,
  MAX_ENTRY_JSON_CHARS,
  MAX_FIELD_CHARS,
  MAX_IMPORT_BATCH_ITEMS,
  MAX_LANGUAGE_CHARS,
  MAX_LANGUAGES,
  MAX_LIST_ITEMS,
  MAX_LORE_PAGE,
  MAX_PAGE_SIZE,
  MAX_SEARCH_CHARS,
  MAX_TAG_CHARS,
  MAX_WARNINGS_PER_ITEM,
} from '../limits/library.ts';
import {
  EDITABLE_LIST_FIELDS,
  EDITABLE_TEXT_FIELDS,
  IMPORT_FORMAT,
  type AssetInfo,
  type CharacterDetail,
  type CharacterExportFormat,
  type CharacterPatch,
  type ExportFile,
  type ImportResult,
  type LibraryPage,
  type LibraryQuery,
  type LoreBookFields,
  type LorebookExportFormat,
  type LorebookItem,
  type LoreTarget,
  type LoreView,
  type TagCount,
  type WireAsset,
  type WireImportItem,
} from '../library-wire.ts';
import type { CardWarning, Character, CharacterSourceFormat, JsonObject, Lorebook, LorebookSourceFormat } from '@troupe/shared/cards';
import { base64, MessageError, nullable, object, oneOf, string, type Fields } from '../validate.ts';
import { emptyRequest, type Validators } from './define.ts';
import { voiceSettings } from './voice-protocol.ts';

export type { AssetInfo };

type Kind = 'character' | 'lorebook';

export interface LibraryApi {
  'characters.list': { req: Record<string, never>; res: CharacterSummary[] };
  'characters.create': { req: { name: string; description: string; avatar: string | null }; res: CharacterSummary };
  'library.query': { req: LibraryQuery; res: LibraryPage };
  'library.tags': { req: Record<string, never>; res: TagCount[] };
  'library.import': { req: { format: typeof IMPORT_FORMAT; items: WireImportItem[] }; res: { results: ImportResult[] } };
  'library.character.get': { req: { id: string }; res: CharacterDetail };
  'library.character.update': { req: { id: string; patch: CharacterPatch }; res: CharacterDetail };
  'library.asset.get': { req: { id: string }; res: { id: string; mime: string; dataUrl: string } };
  'library.asset.add': { req: { characterId: string; type: AssetType; name: string; base64: string }; res: CharacterDetail };
  'library.asset.remove': { req: { characterId: string; assetId: string }; res: CharacterDetail };
  'library.export': {
    req: { kind: 'character'; id: string; format: CharacterExportFormat } | { kind: 'lorebook'; id: string; format: LorebookExportFormat };
    res: ExportFile;
  };
  'library.delete': { req: { kind: Kind; id: string }; res: { undoUntil: number } };
  'library.undoDelete': { req: { kind: Kind; id: string }; res: Record<string, never> };
  'library.lorebooks': { req: { search: string }; res: LorebookItem[] };
  'library.lorebook.create': { req: { name: string }; res: LorebookItem };
  'library.lore.get': { req: { target: LoreTarget; offset: number; limit: number }; res: LoreView };
  'library.lore.upsertEntry': { req: { target: LoreTarget; key: string | null; entry: JsonObject }; res: { key: string } };
  'library.lore.removeEntry': { req: { target: LoreTarget; key: string }; res: Record<string, never> };
  'library.lore.updateBook': { req: { target: LoreTarget; fields: LoreBookFields }; res: Record<string, never> };
  /** Opens the full library (the options page) from the panel. */
  /** Opens the library (options page); `share`: with that character picked to share as a link. */
  'library.openManager': { req: { share?: string }; res: Record<string, never> };
}

/** Asset types the editor offers (CCv3 names; `other` for anything else). */
export const ASSET_TYPES = ['icon', 'emotion', 'background', 'user_icon', 'other'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** Asset names become zip paths: letters, digits, dot, dash, underscore only. */
const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
/** Longest id we issue (UUIDs, entry keys) with room to spare. */
const MAX_ID = 100;
/** Longest file name, URI or path an import item may carry. */
const MAX_LABEL = 1_000;
const MAX_URI = 4_096;
const MAX_OFFSET = 10_000_000;

const CHARACTER_SOURCES: readonly CharacterSourceFormat[] = ['v1-json', 'v1-png', 'v1-charx', 'v2-json', 'v2-png', 'v2-charx', 'v3-json', 'v3-png', 'v3-charx'];
const LOREBOOK_SOURCES: readonly LorebookSourceFormat[] = ['lorebook_v3', 'st_world_info', 'character_book'];

const id = (v: unknown, field = 'id') => string(v, field, MAX_ID, { min: 1 });

/** The options page's address fragment `#share=<character id>`: the library opens with that character picked to share. */
export const SHARE_HASH_KEY = 'share';

/** The character id of a `#share=<id>` fragment, or null. */
export function sharedFromHash(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get(SHARE_HASH_KEY);
  return value && value.length <= MAX_ID ? value : null;
}
const kind = (v: unknown) => oneOf(v, 'kind', ['character', 'lorebook'] as const);

function integer(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new MessageError(`${field} must be a whole number from ${min} to ${max}`);
  return v;
}

function boolean(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw new MessageError(`${field} must be true or false`);
  return v;
}

function array(v: unknown, field: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new MessageError(`${field} must be a list`);
  if (v.length > max) throw new MessageError(`${field} has more than ${max} items`);
  return v;
}

function textList(v: unknown, field: string, maxItems: number, maxChars: number): string[] {
  return array(v, field, maxItems).map((item, i) => string(item, `${field}[${i}]`, maxChars));
}

function target(v: unknown): LoreTarget {
  const o = object(v, 'target');
  return { kind: kind(o.kind), id: id(o.id) };
}

function warnings(v: unknown): CardWarning[] {
  return array(v, 'warnings', MAX_WARNINGS_PER_ITEM).map((w) => {
    const o = object(w, 'warning');
    return { path: string(o.path, 'warning.path', MAX_LABEL), message: string(o.message, 'warning.message', MAX_LABEL * 2) };
  });
}

/** An asset with its bytes as base64 (runtime messages) or a Blob (the service worker channel), never both. */
function wireAsset(v: unknown): WireAsset {
  const o = object(v, 'asset');
  const asset: WireAsset = {
    uri: string(o.uri, 'asset.uri', MAX_URI, { min: 1 }),
    name: string(o.name, 'asset.name', MAX_LABEL),
    mime: string(o.mime, 'asset.mime', 255),
  };
  if (o.base64 !== undefined) asset.base64 = base64(o.base64, 'asset.base64', MAX_ASSET_BYTES);
  else if (typeof Blob !== 'undefined' && o.blob instanceof Blob) {
    if (o.blob.size > MAX_ASSET_BYTES) throw new MessageError(`asset.blob is larger than ${MAX_ASSET_BYTES} bytes`);
    asset.blob = o.blob;
  } else throw new MessageError('asset must carry its bytes (base64 or a Blob)');
  if (o.path !== undefined) asset.path = string(o.path, 'asset.path', MAX_URI);
  return asset;
}

/** Checks an import item's shape; its card is read again by the card parser in the background. */
function importItem(v: unknown): WireImportItem {
  const o = object(v, 'item');
  const label = string(o.label, 'label', MAX_LABEL);
  if (o.kind === 'lorebook') {
    return { kind: 'lorebook', label, lorebook: object(o.lorebook, 'lorebook') as unknown as Lorebook, sourceFormat: oneOf(o.sourceFormat, 'sourceFormat', LOREBOOK_SOURCES), warnings: warnings(o.warnings) };
  }
  if (o.kind !== 'character') throw new MessageError('kind must be one of character, lorebook');
  return {
    kind: 'character',
    label,
    character: object(o.character, 'character') as unknown as Character,
    assets: array(o.assets, 'assets', MAX_ASSETS_PER_CHARACTER).map(wireAsset),
    sourceFormat: oneOf(o.sourceFormat, 'sourceFormat', CHARACTER_SOURCES),
    warnings: warnings(o.warnings),
  };
}

/** Text fields checked alike (the name has its own rule: trimmed, never empty). */
const TEXT_FIELDS = EDITABLE_TEXT_FIELDS.filter((field): field is Exclude<typeof field, 'name'> => field !== 'name');
const LIST_FIELDS = EDITABLE_LIST_FIELDS;

/** The editor's changes: only known fields, each of its type and within its limit. */
export function characterPatch(v: unknown): CharacterPatch {
  const o = object(v, 'patch');
  const patch: CharacterPatch = {};
  for (const key of Object.keys(o)) {
    if (!(EDITABLE_TEXT_FIELDS as readonly string[]).includes(key) && !(LIST_FIELDS as readonly string[]).includes(key) && key !== 'creator_notes_multilingual' && key !== 'voice') {
      throw new MessageError(`${key} is not a field the editor changes`);
    }
  }
  if (o.name !== undefined) {
    const name = string(o.name, 'Name', MAX_CHARACTER_NAME).trim();
    if (!name) throw new MessageError('Name must not be empty');
    patch.name = name;
  }
  for (const field of TEXT_FIELDS) if (o[field] !== undefined) patch[field] = string(o[field], field, MAX_FIELD_CHARS);
  for (const field of LIST_FIELDS) {
    if (o[field] !== undefined) patch[field] = textList(o[field], field, MAX_LIST_ITEMS, field === 'tags' ? MAX_TAG_CHARS : MAX_FIELD_CHARS);
  }
  if (o.creator_notes_multilingual !== undefined) {
    const notes = object(o.creator_notes_multilingual, 'creator_notes_multilingual');
    const keys = Object.keys(notes);
    if (keys.length > MAX_LANGUAGES) throw new MessageError(`creator_notes_multilingual has more than ${MAX_LANGUAGES} languages`);
    const out: Record<string, string> = {};
    for (const lang of keys) {
      if (!/^[A-Za-z0-9-]+$/.test(lang) || lang.length > MAX_LANGUAGE_CHARS) throw new MessageError(`"${lang.slice(0, 40)}" is not a language code`);
      out[lang] = string(notes[lang], `creator_notes_multilingual.${lang}`, MAX_FIELD_CHARS);
    }
    patch.creator_notes_multilingual = out;
  }
  if (o.voice !== undefined) patch.voice = o.voice === null ? null : voiceSettings(o.voice);
  return patch;
}

function optionalNumber(v: unknown, field: string, min: number, max: number): number | null {
  return nullable(v, (n) => integer(n, field, min, max));
}

function bookFields(v: unknown): LoreBookFields {
  const o = object(v, 'fields');
  return {
    name: string(o.name, 'Book name', MAX_CHARACTER_NAME),
    description: string(o.description, 'Book description', MAX_FIELD_CHARS),
    scan_depth: optionalNumber(o.scan_depth, 'Scan depth', 0, 1_000),
    token_budget: optionalNumber(o.token_budget, 'Token budget', 0, 10_000_000),
    recursive_scanning: boolean(o.recursive_scanning, 'Recursive scanning'),
  };
}

function entry(v: unknown): JsonObject {
  const o: Fields = object(v, 'entry');
  if (JSON.stringify(o).length > MAX_ENTRY_JSON_CHARS) throw new MessageError(`The entry is larger than ${MAX_ENTRY_JSON_CHARS} characters`);
  return o as JsonObject;
}

export const LIBRARY_VALIDATORS: Validators<LibraryApi> = {
  'characters.list': emptyRequest,
  'characters.create': (p) => {
    const o = object(p, 'payload');
    const name = string(o.name, 'Name', MAX_CHARACTER_NAME).trim();
    if (name.length === 0) throw new MessageError('Name must not be empty');
    const avatar = nullable(o.avatar, (v) => string(v, 'Avatar', MAX_AVATAR_DATA_URL));
    if (avatar !== null && !RASTER_DATA_URL.test(avatar)) throw new MessageError('Avatar must be a PNG, JPEG, WebP or GIF image');
    return { name, description: string(o.description, 'Description', MAX_CHARACTER_DESCRIPTION), avatar };
  },
  'library.query': (p) => {
    const o = object(p, 'payload');
    return {
      search: string(o.search, 'search', MAX_SEARCH_CHARS),
      tag: nullable(o.tag, (v) => string(v, 'tag', MAX_TAG_CHARS)),
      sort: oneOf(o.sort, 'sort', ['name', 'updated', 'created'] as const),
      direction: oneOf(o.direction, 'direction', ['asc', 'desc'] as const),
      offset: integer(o.offset, 'offset', 0, MAX_OFFSET),
      limit: integer(o.limit, 'limit', 1, MAX_PAGE_SIZE),
    };
  },
  'library.tags': emptyRequest,
  'library.import': (p) => {
    const o = object(p, 'payload');
    if (o.format !== IMPORT_FORMAT) throw new MessageError(`format must be ${IMPORT_FORMAT}: reload the page`);
    return { format: IMPORT_FORMAT, items: array(o.items, 'items', MAX_IMPORT_BATCH_ITEMS).map(importItem) };
  },
  'library.character.get': (p) => ({ id: id(object(p, 'payload').id) }),
  'library.character.update': (p) => {
    const o = object(p, 'payload');
    return { id: id(o.id), patch: characterPatch(o.patch) };
  },
  'library.asset.get': (p) => ({ id: id(object(p, 'payload').id) }),
  'library.asset.add': (p) => {
    const o = object(p, 'payload');
    const name = string(o.name, 'Asset name', 64, { min: 1 });
    if (!ASSET_NAME.test(name)) throw new MessageError('Asset name may use letters, digits, "_", "-" and "." only');
    return { characterId: id(o.characterId, 'characterId'), type: oneOf(o.type, 'Asset type', ASSET_TYPES), name, base64: base64(o.base64, 'image', MAX_ASSET_BYTES) };
  },
  'library.asset.remove': (p) => {
    const o = object(p, 'payload');
    return { characterId: id(o.characterId, 'characterId'), assetId: id(o.assetId, 'assetId') };
  },
  'library.export': (p) => {
    const o = object(p, 'payload');
    if (o.kind === 'lorebook') return { kind: 'lorebook', id: id(o.id), format: oneOf(o.format, 'format', ['worldinfo', 'lorebook_v3'] as const) };
    if (o.kind !== 'character') throw new MessageError('kind must be one of character, lorebook');
    return { kind: 'character', id: id(o.id), format: oneOf(o.format, 'format', ['png', 'json', 'charx', 'worldinfo'] as const) };
  },
  'library.delete': (p) => {
    const o = object(p, 'payload');
    return { kind: kind(o.kind), id: id(o.id) };
  },
  'library.undoDelete': (p) => {
    const o = object(p, 'payload');
    return { kind: kind(o.kind), id: id(o.id) };
  },
  'library.lorebooks': (p) => ({ search: string(object(p, 'payload').search, 'search', MAX_SEARCH_CHARS) }),
  'library.lorebook.create': (p) => {
    const name = string(object(p, 'payload').name, 'Book name', MAX_CHARACTER_NAME).trim();
    if (!name) throw new MessageError('Book name must not be empty');
    return { name };
  },
  'library.lore.get': (p) => {
    const o = object(p, 'payload');
    return { target: target(o.target), offset: integer(o.offset, 'offset', 0, MAX_OFFSET), limit: integer(o.limit, 'limit', 1, MAX_LORE_PAGE) };
  },
  'library.lore.upsertEntry': (p) => {
    const o = object(p, 'payload');
    return { target: target(o.target), key: nullable(o.key, (v) => id(v, 'key')), entry: entry(o.entry) };
  },
  'library.lore.removeEntry': (p) => {
    const o = object(p, 'payload');
    return { target: target(o.target), key: id(o.key, 'key') };
  },
  'library.lore.updateBook': (p) => {
    const o = object(p, 'payload');
    return { target: target(o.target), fields: bookFields(o.fields) };
  },
  'library.openManager': (p) => {
    const o = object(p, 'payload');
    return o.share === undefined ? {} : { share: id(o.share) };
  },
};

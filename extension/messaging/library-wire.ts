/**
 * What the library sends across the runtime channel (JSON): import items, list rows, details,
 * results. Imports carry `format` so a page from an older build is refused with a reason.
 *
 * Decision: the options page (or panel) parses card files itself (parsing is pure and bounded,
 * see @troupe/shared/cards) and sends the normalised card JSON plus each asset as base64. The
 * background re-reads that JSON with the same parser before storing anything, so a page cannot
 * store what a file could not. Parsing where the file is spares a second base64 trip of the whole
 * file, and spreads work across two processes on big imports.
 */
import type { VoiceSettings } from '@troupe/shared/voice';
import { CHARACTER_LIST_FIELDS, CHARACTER_TEXT_FIELDS, type CardWarning, type Character, type CharacterSourceFormat, type JsonObject, type Lorebook, type LorebookEntry, type LorebookSourceFormat } from '@troupe/shared/cards';

/** Version of the import item format. */
export const IMPORT_FORMAT = 1;

/** An asset's bytes: a Blob over the service worker channel, base64 over runtime messages (JSON). */
export interface WireAsset {
  uri: string;
  name: string;
  path?: string;
  mime: string;
  base64?: string;
  blob?: Blob;
}

/** One parsed file on its way to the background. `label` names it in results (usually the file name). */
export type WireImportItem =
  | { kind: 'character'; label: string; character: Character; assets: WireAsset[]; sourceFormat: CharacterSourceFormat; warnings: CardWarning[] }
  | { kind: 'lorebook'; label: string; lorebook: Lorebook; sourceFormat: LorebookSourceFormat; warnings: CardWarning[] };

/** The outcome of one file: stored (with the reader's warnings) or refused with a code and a reason. */
export type ImportResult =
  | { label: string; ok: true; kind: 'character' | 'lorebook'; id: string; name: string; warnings: CardWarning[] }
  | { label: string; ok: false; code: string; message: string };

export type SortKey = 'name' | 'updated' | 'created';
export type SortDirection = 'asc' | 'desc';

/** A request for one page of the character list. */
export interface LibraryQuery {
  /** Words matched (all of them, anywhere, ignoring case) against name, tags, creator and description. */
  search: string;
  tag: string | null;
  sort: SortKey;
  direction: SortDirection;
  offset: number;
  limit: number;
}

/** One character in a list: the index row and its thumbnail, never the doc. */
export interface LibraryItem {
  id: string;
  name: string;
  excerpt: string;
  tags: string[];
  creator: string;
  /** The thumbnail as a data URL, or null. */
  avatar: string | null;
  world: string;
  bookEntries: number;
  createdAt: number;
  updatedAt: number;
}

export interface LibraryPage {
  total: number;
  offset: number;
  items: LibraryItem[];
}

export interface TagCount {
  tag: string;
  count: number;
}

/** An asset as the editor lists it (bytes only on request). */
export interface AssetInfo {
  id: string;
  uri: string;
  name: string;
  mime: string;
  size: number;
  /** The card's `data.assets` type for this URI ('icon', 'emotion', ...), or '' when the card does not list it. */
  type: string;
  isAvatar: boolean;
}

/** Everything the editor needs about one character. */
export interface CharacterDetail {
  item: LibraryItem;
  character: Character;
  assets: AssetInfo[];
  /** The World Info book the card links to, and whether the library has a book of that name. */
  linkedWorld: { name: string; lorebookId: string | null } | null;
}

/** One standalone lorebook in a list. */
export interface LorebookItem {
  id: string;
  name: string;
  excerpt: string;
  entries: number;
  createdAt: number;
  updatedAt: number;
}

/** Which lorebook an edit is about: a character's embedded book, or a standalone one. */
export type LoreTarget = { kind: 'character'; id: string } | { kind: 'lorebook'; id: string };

/** Book-level fields the editor changes. */
export interface LoreBookFields {
  name: string;
  description: string;
  scan_depth: number | null;
  token_budget: number | null;
  recursive_scanning: boolean;
}

/** One page of a lorebook's entries, each with its stable key. */
export interface LoreView {
  exists: boolean;
  fields: LoreBookFields;
  /** Everything else on the book (kept verbatim, shown read-only). */
  extensions: JsonObject;
  total: number;
  offset: number;
  entries: { key: string; entry: LorebookEntry }[];
}

export type CharacterExportFormat = 'png' | 'json' | 'charx' | 'worldinfo';
export type LorebookExportFormat = 'worldinfo' | 'lorebook_v3';

/** An exported file, ready to download. */
export interface ExportFile {
  fileName: string;
  mime: string;
  base64: string;
}

/** The editor's text fields: the card's, its V3 nickname, and `world` (`data.extensions.world`: the World Info book the character uses, '' for none). */
export const EDITABLE_TEXT_FIELDS = ['name', 'nickname', ...CHARACTER_TEXT_FIELDS, 'world'] as const;
/** The editor's lists of text: every list the card has. */
export const EDITABLE_LIST_FIELDS = CHARACTER_LIST_FIELDS;

/**
 * The editable character fields (everything but the book, assets, extensions and dates), plus the linked
 * book name and the character's voice (`data.extensions.troupe.voice`; null removes it).
 */
export type CharacterPatch = { [K in (typeof EDITABLE_TEXT_FIELDS)[number]]?: string }
  & { [K in (typeof EDITABLE_LIST_FIELDS)[number]]?: string[] }
  & { creator_notes_multilingual?: Record<string, string>; voice?: VoiceSettings | null };

/**
 * What other contexts see of a character: its index row without the Y.Doc. `description` is the
 * full description for one character (`getCharacter`, which the chat prompt uses) and the list
 * excerpt in lists; `avatar` is the list thumbnail (a data URL) or null.
 */
export interface CharacterSummary {
  id: string;
  name: string;
  description: string;
  avatar: string | null;
  updatedAt: number;
}

export interface NewCharacter {
  name: string;
  description: string;
  /** A PNG, JPEG, WebP or GIF data URL (validated by the runtime protocol), stored as the card's image. */
  avatar: string | null;
}

/**
 * The first page as the background keeps it for pages to show while it starts (session storage,
 * see storage/library-first-page.ts). Format 1: `page` answers firstPageQuery(limit).
 */
export interface FirstPageSnapshot {
  format: 1;
  limit: number;
  page: LibraryPage;
}

/** The query a list opens on (no search, no tag, by name from A), for `limit` characters. */
export function firstPageQuery(limit: number): LibraryQuery {
  return { search: '', tag: null, sort: 'name', direction: 'asc', offset: 0, limit };
}

/** Whether `query` asks for the page a list opens on, whatever its length (a blank search is no search). */
export function isFirstPageQuery(query: LibraryQuery): boolean {
  return query.search.trim() === '' && query.tag === null && query.sort === 'name' && query.direction === 'asc' && query.offset === 0;
}

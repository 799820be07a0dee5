/**
 * What the pack features send across the runtime channel (JSON): the packs this device shares, the
 * packs it imported and whether they changed, and the preview of a pack link before it is imported.
 * Never a pack key's twin, the publisher secret: it stays in the background.
 */
import { PACK_EXPIRY_MS } from './limits/packs.ts';

/** How long a shared pack stays up: none, or a day, a week, a month from the last publish. */
export type PackExpiry = keyof typeof PACK_EXPIRY_MS;
export const PACK_EXPIRIES = Object.keys(PACK_EXPIRY_MS) as PackExpiry[];

/** A pack this device published (options page → My shared packs). */
export interface SharedPackView {
  id: string;
  /** The share link, `<relay>/p/<id>#<key>`. */
  link: string;
  relayUrl: string;
  /** The names of its characters as last published. */
  characterNames: string[];
  /** How many of its characters were deleted from the library since (Update leaves them out). */
  missing: number;
  version: number;
  size: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  expiry: PackExpiry;
}

/**
 * How an item of a pack relates to the library: `new` (not there), `update` (imported from this pack
 * before, and the pack's version differs), `unchanged` (imported before, the same), `same-name` (a
 * library item of the same name that did not come from this pack: replaced only if the person says so).
 */
export type PackItemStatus = 'new' | 'update' | 'unchanged' | 'same-name';

export interface PackPreviewCharacter {
  index: number;
  name: string;
  /** The start of the description (text; never rendered as HTML). */
  description: string;
  creator: string;
  tags: string[];
  /** A thumbnail data URL of the avatar (a raster image checked from its bytes), or null. */
  avatar: string | null;
  /** Entries of the card's own lorebook. */
  lorebookEntries: number;
  assets: number;
  status: PackItemStatus;
  /** The library character it would replace (update, unchanged, same-name), or null. */
  libraryId: string | null;
  /** What differs from the library's character, in words ("description", "avatar", "lorebook: 2 → 4 entries"). */
  changes: string[];
}

export interface PackPreviewLorebook {
  index: number;
  name: string;
  entries: number;
  status: PackItemStatus;
  libraryId: string | null;
  changes: string[];
}

/** What the import page shows of a pack before anything is stored. */
export interface PackPreview {
  id: string;
  relayUrl: string;
  /** The relay's version of the pack (1 when first published). */
  version: number;
  /** When the publisher last published it (the relay's time). */
  updatedAt: number;
  expiresAt: number | null;
  characters: PackPreviewCharacter[];
  lorebooks: PackPreviewLorebook[];
  /** Things the card reader fixed or dropped instead of refusing (count). */
  warnings: number;
  /** True when this device published the pack. */
  ownPack: boolean;
}

/** Which same-name library items to replace (by the pack's index); others are added beside them. */
export interface PackReplaceChoice {
  characters: number[];
  lorebooks: number[];
}

/** What an import or an applied update did. */
export interface PackImportOutcome {
  added: number;
  updated: number;
  unchanged: number;
  /** The library ids of the pack's characters, in pack order. */
  characterIds: string[];
}

/**
 * Where an imported pack stands: `current` (as imported), `update-available` (a newer version with
 * changes), `revoked` / `expired` / `gone` (the relay no longer serves it: never asked again),
 * `unreachable` (the last check failed; tried again later).
 */
export type ImportedPackState = 'current' | 'update-available' | 'revoked' | 'expired' | 'gone' | 'unreachable';

/** A pack this device imported (options page → My imported packs). */
export interface ImportedPackView {
  id: string;
  relayUrl: string;
  /** The link it was opened from. */
  link: string;
  characterNames: string[];
  versionSeen: number;
  importedAt: number;
  checkedAt: number | null;
  state: ImportedPackState;
  /** The relay's newer version, when there is one. */
  latestVersion: number | null;
  /** How many of its characters and lorebooks the newer version changes or adds. */
  changed: number;
  /** Why the last check failed, in words (unreachable), or null. */
  note: string | null;
}

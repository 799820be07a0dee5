import { base64ToBytes } from '@troupe/shared/bytes';
import type { StoredChatSettings } from '../../messaging/chat-settings.ts';
import type { ChatPromptState } from '../../messaging/chat-prompt-state.ts';
import type { ImportedPackState, PackExpiry } from '../../messaging/packs-wire.ts';
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import yDexie from 'y-dexie';
import type * as Y from 'yjs';

/**
 * One row per character: the library index (fast listing and search without loading docs) plus
 * its Y.Doc, which y-dexie keeps in its own update table (`$characters.doc_updates`). The doc is
 * the source of truth (it syncs); the row mirrors what lists need and is rebuilt from the doc on
 * every write. Big things never live here: avatars and assets are Blobs in `assets`, thumbnails
 * in `thumbs`, so reading every row (the search index) stays cheap.
 */
export interface CharacterRow {
  id: string;
  name: string;
  /** `name`, lower-cased: the sort key of the name index (IndexedDB compares code units). */
  sortName: string;
  /** The first characters of the description, whitespace collapsed (limit in library/limits.ts). */
  excerpt: string;
  /** multiEntry index: one index entry per tag. */
  tags: string[];
  creator: string;
  /** `data.extensions.world`: the name of the World Info book the card links to ('' for none). */
  world: string;
  /** Entries in the character's embedded lorebook (0 without one). */
  bookEntries: number;
  /** The asset shown as the avatar (its full-size Blob), or null. */
  avatarAssetId: string | null;
  createdAt: number;
  updatedAt: number;
  /** Set while a delete can still be undone; absent otherwise (so only deleted rows are in its index). */
  deletedAt?: number;
  doc: Y.Doc;
}

/** A standalone lorebook (SillyTavern World Info, lorebook_v3): index row plus its Y.Doc. */
export interface LorebookRow {
  id: string;
  /** Characters link World Info by this name (`data.extensions.world`). */
  name: string;
  sortName: string;
  excerpt: string;
  entries: number;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  doc: Y.Doc;
}

/** The bytes of one card asset (avatar, emotion sprite, background...). Never inside a doc: blobs sync through blob rooms (lib/sync/blob-room.ts). */
export interface AssetRow {
  id: string;
  characterId: string;
  /** How the card refers to it: `ccdefault:` or `embeded://path` (matches `data.assets[].uri`). */
  uri: string;
  name: string;
  /** Path inside a CHARX zip, when it came from one (kept for a faithful CHARX export). */
  path?: string;
  mime: string;
  size: number;
  blob: Blob;
  /**
   * SHA-256 of the bytes (hex): the blob's address in sync. Filled in when sync first publishes the
   * asset (or when it arrives through sync); not indexed, so adding it needed no schema version.
   */
  sha256?: string;
}

/** A character's small avatar, as a data URL ready for a runtime message. */
export interface ThumbRow {
  id: string;
  /** '' while it is still to be made. */
  dataUrl: string;
  /** 0: still to be made (or the unresized avatar carried over from schema 1); see library/limits.ts. */
  version: number;
}

/** The record that something was deleted for good: what sync will propagate. */
export interface TombstoneRow {
  id: string;
  /** 'memory': a chat's memory (id: the chat key), deleted for good on another device. */
  kind: 'character' | 'lorebook' | 'memory';
  deletedAt: number;
}

/** A NextChat chat that Troupe knows: which character is active in it. Keyed by `chatKey`. */
export interface ChatRow {
  chatKey: string;
  characterId: string | null;
  updatedAt: number;
  /** Lore timers and macro variables carried between prompt builds (not indexed: no schema change). */
  promptState?: ChatPromptState;
  /** Persona, author's note, greeting, chat lore and system prompt mode for this chat (not indexed: no schema change; any stored version). */
  settings?: StoredChatSettings;
  /** UTF-8 bytes of the chat's log (user turns and replies); absent on rows from before it was kept: counted on the next reply. */
  logBytes?: number;
}

/** One captured exchange of a character chat: the user's turn and the character's reply. */
export interface ChatLogRow {
  seq?: number;
  chatKey: string;
  characterId: string;
  userText: string;
  replyText: string;
  /** `aborted` when the user stopped the reply: the partial text is kept, marked. */
  status: 'done' | 'aborted';
  at: number;
}

/**
 * One chat's memory (transcript, summaries, pinned facts): a row saying which chat and character it is,
 * and its Y.Doc (layout in shared/src/docs/chat-memory-doc.ts), the source of truth, which syncs.
 */
export interface MemoryRow {
  chatKey: string;
  characterId: string | null;
  updatedAt: number;
  /**
   * Ids of the chat's messages this device's NextChat has shown (not indexed: no schema change). Only
   * those may be deleted here when NextChat no longer has them; absent on rows from before memory
   * synced, whose messages all came from this device.
   */
  seenHere?: string[];
  doc: Y.Doc;
}

/** Version of the pack bookkeeping rows below; a row with another is read as absent. */
export const PACK_ROW_FORMAT = 1;

/**
 * A pack this device published. Device-only: never synced or exported (the change feed does not watch
 * this table and no export reads it). `secret` is the right to publish a new version or revoke.
 */
export interface SharedPackRow {
  id: string;
  format: typeof PACK_ROW_FORMAT;
  /** The relay's http(s) address, as in the link. */
  relayUrl: string;
  /** The pack key (also in the link). */
  key: string;
  /** The publisher secret: never in the link, never leaves this device except to the relay on PUT/DELETE. */
  secret: string;
  /** The library characters it shares, in pack order. */
  characterIds: string[];
  characterNames: string[];
  version: number;
  size: number;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  expiry: PackExpiry;
}

/** Where one item of an imported pack landed in the library, and a digest of what was imported. */
export interface ImportedPackItem {
  /** The pack's own name for the item: the publisher's character id (`settings.packItem`), a lorebook's name, else `#<index>`. */
  key: string;
  libraryId: string;
  name: string;
  /** SHA-256 (base64url) of the item as imported: an update changes it. */
  digest: string;
}

/** A pack this device imported (device-only, like SharedPackRow). */
export interface ImportedPackRow {
  id: string;
  format: typeof PACK_ROW_FORMAT;
  relayUrl: string;
  key: string;
  versionSeen: number;
  importedAt: number;
  checkedAt: number | null;
  /** When the next check may run (0: at once); a pack the relay no longer serves is never checked again. */
  nextCheckAt: number;
  state: ImportedPackState;
  latestVersion: number | null;
  changed: number;
  note: string | null;
  /** Failed checks in a row (unreachable relay): the wait between checks doubles with each. */
  failures: number;
  characters: ImportedPackItem[];
  lorebooks: ImportedPackItem[];
}

export type TroupeDb = Dexie & {
  characters: EntityTable<CharacterRow, 'id'>;
  lorebooks: EntityTable<LorebookRow, 'id'>;
  assets: EntityTable<AssetRow, 'id'>;
  thumbs: EntityTable<ThumbRow, 'id'>;
  tombstones: EntityTable<TombstoneRow, 'id'>;
  chats: EntityTable<ChatRow, 'chatKey'>;
  chatLog: EntityTable<ChatLogRow, 'seq'>;
  memories: EntityTable<MemoryRow, 'chatKey'>;
  sharedPacks: EntityTable<SharedPackRow, 'id'>;
  importedPacks: EntityTable<ImportedPackRow, 'id'>;
};

/** y-dexie's update tables (one row per Y.Doc update, `k` = the owning row's id). */
export const CHARACTER_DOC_UPDATES = '$characters.doc_updates';
export const LOREBOOK_DOC_UPDATES = '$lorebooks.doc_updates';
export const MEMORY_DOC_UPDATES = '$memories.doc_updates';

/** Schema 1: the walking skeleton. Kept verbatim: Dexie needs every version to upgrade from it. */
const SCHEMA_1 = {
  characters: 'id, name, updatedAt, doc: Y.Doc',
  chats: 'chatKey, characterId',
  chatLog: '++seq, chatKey, [chatKey+at]',
};

/** Schema 2: the card library (index fields, standalone lorebooks, blobs, thumbnails, tombstones). */
const SCHEMA_2 = {
  characters: 'id, name, sortName, updatedAt, createdAt, *tags, creator, deletedAt, doc: Y.Doc',
  lorebooks: 'id, name, sortName, updatedAt, deletedAt, doc: Y.Doc',
  assets: 'id, characterId',
  thumbs: 'id, version',
  tombstones: 'id, kind, deletedAt',
  chats: 'chatKey, characterId',
  chatLog: '++seq, chatKey, [chatKey+at]',
};

/** Schema 3: each chat's memory as a Y.Doc. */
const SCHEMA_3 = { ...SCHEMA_2, memories: 'chatKey, characterId, updatedAt, doc: Y.Doc' };

/** Schema 4: the packs this device shares and imported (device-only bookkeeping). */
const SCHEMA_4 = { ...SCHEMA_3, sharedPacks: 'id, updatedAt', importedPacks: 'id, nextCheckAt' };

/** Opens Troupe's database. Only the background (and tests) may call this: see DESIGN.md, one owner. */
export function openTroupeDb(name = 'troupe'): TroupeDb {
  const db = new Dexie(name, { addons: [yDexie] }) as TroupeDb;
  db.version(1).stores(SCHEMA_1);
  db.version(2).stores(SCHEMA_2).upgrade(upgradeToSchema2);
  db.version(3).stores(SCHEMA_3);
  db.version(4).stores(SCHEMA_4);
  return db;
}

/** Excerpt length, kept here (not in library/limits.ts) so the schema upgrade never changes meaning. */
export const SCHEMA_2_EXCERPT_CHARS = 240;

/** The start of a description, whitespace collapsed: what lists and search see of it. */
export function excerptOf(text: string, max = SCHEMA_2_EXCERPT_CHARS): string {
  const collapsed = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

interface CharacterRowV1 { id: string; name: string; description?: string; avatar?: string | null; createdAt?: number; updatedAt?: number }

/**
 * Schema 1 -> 2. A v1 row kept its description and avatar (a data URL) on the row; v2 keeps an
 * excerpt there, the avatar bytes as an asset Blob and the data URL as a thumbnail marked
 * version 0 (the background shrinks it later: image decoding cannot run inside this transaction).
 * Docs are not touched: a layout-1 character doc stays readable and is upgraded on its next write.
 */
async function upgradeToSchema2(tx: Transaction): Promise<void> {
  const characters = tx.table('characters');
  const rows = (await characters.toArray()) as (CharacterRowV1 & Partial<CharacterRow>)[];
  const assets: AssetRow[] = [];
  const thumbs: ThumbRow[] = [];
  const upgraded = rows.map((old) => {
    const { description, avatar, ...row } = old;
    const asset = typeof avatar === 'string' ? dataUrlAsset(avatar, row.id) : null;
    if (asset) {
      assets.push(asset);
      thumbs.push({ id: row.id, dataUrl: avatar!, version: 0 });
    }
    const createdAt = row.createdAt ?? row.updatedAt ?? 0;
    return {
      ...row,
      sortName: row.name.toLowerCase(),
      excerpt: excerptOf(typeof description === 'string' ? description : ''),
      tags: [],
      creator: '',
      world: '',
      bookEntries: 0,
      avatarAssetId: asset?.id ?? null,
      createdAt,
      updatedAt: row.updatedAt ?? createdAt,
    };
  });
  await characters.bulkPut(upgraded);
  await tx.table('assets').bulkAdd(assets);
  await tx.table('thumbs').bulkAdd(thumbs);
}

const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=]+)$/;

/** The asset row for a v1 avatar data URL (`ccdefault:`, the card's own image), or null if it is not one. */
function dataUrlAsset(dataUrl: string, characterId: string): AssetRow | null {
  const match = DATA_URL.exec(dataUrl);
  if (!match) return null;
  const mime = match[1]!;
  const bytes = base64ToBytes(match[2]!);
  const ext = mime.split('/')[1]!.replace('jpeg', 'jpg').replace(/\+.*/, '');
  return { id: crypto.randomUUID(), characterId, uri: 'ccdefault:', name: `avatar.${ext}`, mime, size: bytes.length, blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }) };
}

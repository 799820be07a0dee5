/**
 * Which blobs each character's assets are, kept in the library index doc (map `assets`), so a device
 * learns what to fetch without opening a room per asset. Blobs themselves travel in blob part docs
 * (blob-parts.ts), addressed by their SHA-256; the index only refers to the hash.
 *
 * Layout (entry format 1), one key per asset so that two devices adding different assets to one
 * character merge instead of one overwriting the other:
 *   assets  Y.Map  `${characterId} ${uri}` -> { format: 1, hash, size, mime, name, path? }
 * Character ids are UUIDs (no spaces), so the first space splits a key.
 *
 * Versions: each entry carries its own format, so a newer Troupe can change entries without making
 * older devices refuse the whole index. A reader skips an entry of a newer format (that asset is then
 * simply not fetched) and counts its blob as still in use (it may be). The map belongs to the index
 * doc, so an index in a newer format is refused here too (DocError('doc/too-new'), see index-doc.ts);
 * an index from before asset sync has no map and lists no assets.
 */
import type * as Y from 'yjs';
import { checkIndexFormat } from './index-doc.ts';

export const ASSET_ENTRY_FORMAT = 1;

/**
 * One synced asset of one character, as the index lists it: `uri` (how the card refers to it) is the
 * asset's identity within its character; `hash` (SHA-256 of the bytes, lowercase hex) addresses its blob.
 */
export interface AssetEntry {
  uri: string;
  hash: string;
  size: number;
  mime: string;
  name: string;
  path?: string;
}

interface StoredEntry extends AssetEntry {
  format: number;
}

function assets(doc: Y.Doc): Y.Map<StoredEntry> {
  return doc.getMap<StoredEntry>('assets');
}

function keyOf(characterId: string, uri: string): string {
  return `${characterId} ${uri}`;
}

/** The character id and URI a key names, or null for a key this layout never writes. */
export function parseAssetKey(key: string): { characterId: string; uri: string } | null {
  const space = key.indexOf(' ');
  if (space <= 0) return null;
  return { characterId: key.slice(0, space), uri: key.slice(space + 1) };
}

const HASH = /^[0-9a-f]{64}$/;

function readEntry(value: unknown): AssetEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Partial<StoredEntry>;
  if (entry.format !== ASSET_ENTRY_FORMAT) return null;
  if (typeof entry.uri !== 'string' || typeof entry.hash !== 'string' || !HASH.test(entry.hash)) return null;
  if (typeof entry.size !== 'number' || !Number.isSafeInteger(entry.size) || entry.size < 0) return null;
  if (typeof entry.mime !== 'string' || typeof entry.name !== 'string') return null;
  const out: AssetEntry = { uri: entry.uri, hash: entry.hash, size: entry.size, mime: entry.mime, name: entry.name };
  if (typeof entry.path === 'string') out.path = entry.path;
  return out;
}

/** True for an entry written by a newer Troupe: unreadable here, but not to be taken for garbage. */
function isNewerEntry(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const format = (value as { format?: unknown }).format;
  return typeof format === 'number' && format > ASSET_ENTRY_FORMAT;
}

/** A character's synced assets (malformed or newer-format entries are skipped). */
export function characterAssets(doc: Y.Doc, characterId: string): AssetEntry[] {
  checkIndexFormat(doc);
  const out: AssetEntry[] = [];
  const prefix = `${characterId} `;
  assets(doc).forEach((value, key) => {
    const entry = key.startsWith(prefix) ? readEntry(value) : null;
    if (entry && keyOf(characterId, entry.uri) === key) out.push(entry);
  });
  return out;
}

/** Ids of every character that has at least one asset listed. */
export function charactersWithAssets(doc: Y.Doc): Set<string> {
  checkIndexFormat(doc);
  const ids = new Set<string>();
  for (const key of assets(doc).keys()) {
    const parsed = parseAssetKey(key);
    if (parsed) ids.add(parsed.characterId);
  }
  return ids;
}

/**
 * Makes the index list exactly `entries` for the character, writing only what differs (an
 * unchanged list writes nothing, so publishing on every push is cheap). Returns the entries that
 * were replaced or removed (their blobs may now be unused). An entry of a newer format under the
 * same URI is replaced by ours; one under another URI is left alone.
 */
export function setCharacterAssets(doc: Y.Doc, characterId: string, entries: readonly AssetEntry[]): AssetEntry[] {
  const map = assets(doc);
  const current = new Map(characterAssets(doc, characterId).map((entry) => [entry.uri, entry]));
  const dropped: AssetEntry[] = [];
  doc.transact(() => {
    for (const entry of entries) {
      const old = current.get(entry.uri);
      current.delete(entry.uri);
      if (old && sameEntry(old, entry)) continue;
      if (old) dropped.push(old);
      map.set(keyOf(characterId, entry.uri), { format: ASSET_ENTRY_FORMAT, ...entry });
    }
    for (const gone of current.values()) {
      dropped.push(gone);
      map.delete(keyOf(characterId, gone.uri));
    }
  });
  return dropped;
}

/** Removes every entry of a character (it was deleted); returns the entries it had. */
export function removeCharacterAssets(doc: Y.Doc, characterId: string): AssetEntry[] {
  return setCharacterAssets(doc, characterId, []);
}

/**
 * True when any character may still refer to the blob: an entry lists its hash, or an entry of a
 * newer format names it or cannot be read for a hash (clearing a blob a newer device uses would lose it).
 */
export function hashInUse(doc: Y.Doc, hash: string): boolean {
  checkIndexFormat(doc);
  for (const value of assets(doc).values()) {
    if (readEntry(value)?.hash === hash) return true;
    if (isNewerEntry(value)) {
      const named = (value as { hash?: unknown }).hash;
      if (typeof named !== 'string' || named === hash) return true;
    }
  }
  return false;
}

/** Calls `changed` with the ids of characters whose entries another device changed; returns the unsubscribe function. */
export function observeAssetChanges(doc: Y.Doc, isRemote: (origin: unknown) => boolean, changed: (characterIds: Set<string>, removed: { characterId: string; uri: string }[]) => void): () => void {
  const map = assets(doc);
  const observer = (event: Y.YMapEvent<StoredEntry>) => {
    if (!isRemote(event.transaction.origin)) return;
    const ids = new Set<string>();
    const removed: { characterId: string; uri: string }[] = [];
    event.changes.keys.forEach((change, key) => {
      const parsed = parseAssetKey(key);
      if (!parsed) return;
      ids.add(parsed.characterId);
      if (change.action === 'delete') removed.push(parsed);
    });
    if (ids.size > 0) changed(ids, removed);
  };
  map.observe(observer);
  return () => map.unobserve(observer);
}

function sameEntry(a: AssetEntry, b: AssetEntry): boolean {
  return a.hash === b.hash && a.size === b.size && a.mime === b.mime && a.name === b.name && a.path === b.path;
}

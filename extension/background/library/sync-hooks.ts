/**
 * What sync needs from the library, built from the library's own pieces: hear about local changes,
 * store a doc update that came from another device (creating or refreshing the index row), and
 * carry out a deletion made elsewhere. Sync never edits rows any other way.
 */
import type * as Y from 'yjs';
import { readCharacterDoc, readLorebookDoc, type AssetEntry, type DocKind as SyncedKind } from '@troupe/shared/docs';
import type { AssetRow, CharacterRow, LorebookRow, TroupeDb } from '../db/database.ts';
import { changeFeedFor } from '../changes/change-feed.ts';
import { markWriteOrigin } from '../changes/write-origin.ts';
import { applyNewUpdate, deleteDocUpdates, loadDoc, updatesTable, type DocKind } from './doc-store.ts';
import { characterIndexFields, lorebookIndexFields, sameUri } from './index-row.ts';
import { libraryFor } from './library.ts';
import { findAvatar } from './prepare.ts';

export type { DocKind } from './doc-store.ts';

export interface LocalChangeListener {
  /** A character or lorebook was created or changed on this device. */
  changed(kind: DocKind, id: string): void;
  /** A character or lorebook was deleted for good on this device (its tombstone was written). */
  deleted(kind: DocKind, id: string): void;
}

/**
 * Calls `listener` after the person's writes to characters, lorebooks and tombstones, as the change
 * feed reports them (after the writing transaction commits; sync's own writes are not reported, or they
 * would echo back). Returns the function that stops listening.
 */
export function watchLocalChanges(db: TroupeDb, listener: LocalChangeListener): () => void {
  return changeFeedFor(db).subscribe((change) => {
    if (change.origin !== 'person') return;
    if (change.table === 'characters' || change.table === 'lorebooks') {
      const kind: DocKind = change.table === 'characters' ? 'character' : 'lorebook';
      for (const id of change.ids) listener.changed(kind, id);
    } else if (change.table === 'tombstones') {
      for (const id of change.ids) {
        const kind = change.kinds?.get(id);
        if (kind === 'character' || kind === 'lorebook') listener.deleted(kind, id);
      }
    }
  });
}

/** Every character and lorebook id on this device (soft-deleted ones included: their delete is not final yet). */
export async function localDocIds(db: TroupeDb): Promise<{ kind: DocKind; id: string }[]> {
  const [characters, lorebooks] = await Promise.all([db.characters.toCollection().primaryKeys(), db.lorebooks.toCollection().primaryKeys()]);
  return [...characters.map((id) => ({ kind: 'character' as const, id })), ...lorebooks.map((id) => ({ kind: 'lorebook' as const, id }))];
}

/** Ids deleted for good on this device (a chat's memory deleted on another device included). */
export async function localTombstones(db: TroupeDb): Promise<{ kind: SyncedKind; id: string }[]> {
  return (await db.tombstones.toArray()).map(({ kind, id }) => ({ kind, id }));
}

/** The doc as stored here (a fresh Y.Doc: destroy it when done). */
export function loadLocalDoc(db: TroupeDb, kind: DocKind, id: string): Promise<Y.Doc> {
  return loadDoc(db, kind, id);
}

/**
 * Stores an update received from another device and rebuilds the index row from the doc (creating
 * the row when this device did not have it). A tombstoned id stays deleted: the update is dropped.
 * Returns false when nothing was stored (tombstoned, or an update that the doc already held).
 */
export async function applyRemoteUpdate(db: TroupeDb, kind: DocKind, id: string, update: Uint8Array, now = Date.now()): Promise<boolean> {
  const table = kind === 'character' ? db.characters : db.lorebooks;
  let avatarMoved = false;
  const row: CharacterRow | LorebookRow | null = await db.transaction('rw', [table, updatesTable(db, kind), db.tombstones, db.assets], async () => {
    markWriteOrigin('sync');
    if (await db.tombstones.get(id)) return null;
    const doc = await loadDoc(db, kind, id);
    try {
      if (!applyNewUpdate(doc, update)) return null;
      await updatesTable(db, kind).add({ k: id, u: update });
      const existing = await table.get(id);
      if (kind === 'character') {
        const card = readCharacterDoc(doc);
        const fields = characterIndexFields(card);
        // The card may now point its avatar at another asset (or at one that arrived before it).
        const avatarAssetId = findAvatar(card, await db.assets.where('characterId').equals(id).toArray())?.id ?? null;
        avatarMoved = avatarAssetId !== ((existing as CharacterRow | undefined)?.avatarAssetId ?? null);
        const next = existing ? { ...(existing as CharacterRow), ...fields, avatarAssetId, updatedAt: now } : { id, ...fields, avatarAssetId, createdAt: now, updatedAt: now };
        if (existing) await db.characters.update(id, { ...fields, avatarAssetId, updatedAt: now });
        else await db.characters.add(next as CharacterRow);
        return next as CharacterRow;
      }
      const fields = lorebookIndexFields(readLorebookDoc(doc));
      if (existing) await db.lorebooks.update(id, { ...fields, updatedAt: now });
      else await db.lorebooks.add({ id, ...fields, createdAt: now, updatedAt: now } as LorebookRow);
      return (await db.lorebooks.get(id)) ?? null;
    } finally {
      doc.destroy();
    }
  });
  if (!row) return false;
  if (avatarMoved) await libraryFor(db).assetsSynced(id);
  else libraryFor(db).syncedRow(id, kind === 'character' && row.deletedAt === undefined ? (row as CharacterRow) : null);
  return true;
}

/** Carries out a deletion made on another device: row, doc updates and blobs go, a tombstone stays. */
export async function deleteForRemote(db: TroupeDb, kind: DocKind, id: string, now = Date.now()): Promise<void> {
  const table = kind === 'character' ? db.characters : db.lorebooks;
  await db.transaction('rw', [table, updatesTable(db, kind), db.assets, db.thumbs, db.tombstones], async () => {
    markWriteOrigin('sync');
    await table.delete(id);
    await deleteDocUpdates(db, kind, id);
    if (kind === 'character') {
      await db.assets.where('characterId').equals(id).delete();
      await db.thumbs.delete(id);
    }
    if (!(await db.tombstones.get(id))) await db.tombstones.put({ id, kind, deletedAt: now });
  });
  libraryFor(db).syncedRow(id, null);
}

/**
 * The character's assets with their SHA-256, hashing (once: the hash is kept on the row) those not
 * hashed yet. `hash` turns bytes into the address; it is passed in so the library does not depend on sync.
 */
export async function localAssets(db: TroupeDb, characterId: string, hash: (bytes: Uint8Array) => Promise<string>): Promise<AssetEntry[]> {
  const rows = await db.assets.where('characterId').equals(characterId).toArray();
  const out: AssetEntry[] = [];
  for (const row of rows) {
    let sha256 = row.sha256;
    if (sha256 === undefined) {
      sha256 = await hash(new Uint8Array(await row.blob.arrayBuffer()));
      // Assets have no sync hooks: this write is not a change to push.
      await db.assets.update(row.id, { sha256 });
    }
    const asset: AssetEntry = { uri: row.uri, hash: sha256, size: row.size, mime: row.mime, name: row.name };
    if (row.path !== undefined) asset.path = row.path;
    out.push(asset);
  }
  return out;
}

/**
 * Of the assets wanted per character, those this device lacks (characters that are not here are
 * skipped: their doc brings them, and then their assets are checked). Two bulk reads whatever the
 * library's size, so a waking background can check a big library cheaply.
 */
export async function missingAssets<T extends { uri: string; hash: string }>(db: TroupeDb, wanted: ReadonlyMap<string, readonly T[]>): Promise<{ characterId: string; asset: T }[]> {
  const [ids, rows] = await Promise.all([db.characters.toCollection().primaryKeys(), db.assets.toArray()]);
  const present = new Set(ids);
  const have = new Map<string, AssetRow[]>();
  for (const row of rows) {
    const list = have.get(row.characterId);
    if (list) list.push(row);
    else have.set(row.characterId, [row]);
  }
  const out: { characterId: string; asset: T }[] = [];
  for (const [characterId, assets] of wanted) {
    if (!present.has(characterId)) continue;
    const held = have.get(characterId) ?? [];
    for (const asset of assets) if (!held.some((row) => sameUri(row.uri, asset.uri) && row.sha256 === asset.hash)) out.push({ characterId, asset });
  }
  return out;
}

/** Ids of the characters that have at least one asset here. */
export async function charactersWithLocalAssets(db: TroupeDb): Promise<string[]> {
  return (await db.assets.orderBy('characterId').uniqueKeys()).filter((key): key is string => typeof key === 'string');
}

/** The bytes of a character's asset with that hash, or null when this device no longer has it. */
export async function localAssetBytes(db: TroupeDb, characterId: string, sha256: string): Promise<Uint8Array | null> {
  const row = (await db.assets.where('characterId').equals(characterId).toArray()).find((asset) => asset.sha256 === sha256);
  return row ? new Uint8Array(await row.blob.arrayBuffer()) : null;
}

/** Whether the character exists here (a blob for it can be stored) and already has asset `uri` with that hash. */
export async function localAssetState(db: TroupeDb, characterId: string, uri: string, sha256: string): Promise<'no-character' | 'present' | 'missing'> {
  if (!(await db.characters.get(characterId))) return 'no-character';
  const rows = await db.assets.where('characterId').equals(characterId).toArray();
  return rows.some((row) => sameUri(row.uri, uri) && row.sha256 === sha256) ? 'present' : 'missing';
}

/**
 * Stores an asset that arrived through sync (its bytes already checked against `asset.hash`),
 * replacing the character's asset with the same URI, and points the avatar at it when the card
 * says so; the thumbnail follows. Returns false when the character is not (or no longer) here.
 */
export async function storeSyncedAsset(db: TroupeDb, characterId: string, asset: AssetEntry, bytes: Uint8Array): Promise<boolean> {
  const row: AssetRow = {
    id: crypto.randomUUID(),
    characterId,
    uri: asset.uri,
    name: asset.name,
    mime: asset.mime,
    size: bytes.length,
    blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: asset.mime }),
    sha256: asset.hash,
  };
  if (asset.path !== undefined) row.path = asset.path;
  return changeSyncedAssets(db, characterId, async (existing) => {
    await db.assets.bulkDelete(existing.filter((old) => sameUri(old.uri, asset.uri)).map((old) => old.id));
    await db.assets.add(row);
  });
}

/** Removes the character's asset `uri` because another device removed it. */
export async function removeSyncedAsset(db: TroupeDb, characterId: string, uri: string): Promise<boolean> {
  return changeSyncedAssets(db, characterId, async (existing) => {
    await db.assets.bulkDelete(existing.filter((old) => sameUri(old.uri, uri)).map((old) => old.id));
  });
}

/** Runs `change` on the character's assets and re-points its avatar, in one transaction; then the thumbnail. */
async function changeSyncedAssets(db: TroupeDb, characterId: string, change: (existing: AssetRow[]) => Promise<void>): Promise<boolean> {
  const stored = await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.assets, db.tombstones], async () => {
    markWriteOrigin('sync');
    const row = await db.characters.get(characterId);
    if (!row || (await db.tombstones.get(characterId))) return false;
    await change(await db.assets.where('characterId').equals(characterId).toArray());
    const doc = await loadDoc(db, 'character', characterId);
    let card;
    try {
      card = readCharacterDoc(doc);
    } finally {
      doc.destroy();
    }
    const avatar = findAvatar(card, await db.assets.where('characterId').equals(characterId).toArray());
    if ((avatar?.id ?? null) !== row.avatarAssetId) await db.characters.update(characterId, { avatarAssetId: avatar?.id ?? null });
    return true;
  });
  if (stored) await libraryFor(db).assetsSynced(characterId);
  return stored;
}

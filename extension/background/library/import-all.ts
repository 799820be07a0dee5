/**
 * All-or-nothing imports (a character pack): every card and lorebook of a set lands in one
 * transaction, new ones added and chosen ones replaced in place, or none does. The cards go through
 * the same preparation as any import (asset limits, avatar, index row, doc, pending thumbnail); a
 * replaced character keeps its id (chats, sync and the person's links to it follow), and its doc
 * gets the new card as one update, so paired devices see an ordinary edit.
 */
import type { Asset, Character, Lorebook } from '@troupe/shared/cards';
import { writeCharacterDoc, writeLorebookDoc } from '@troupe/shared/docs';
import type { Table } from 'dexie';
import type { AssetRow, CharacterRow, LorebookRow, ThumbRow } from '../db/database.ts';
import { MAX_ASSETS_PER_CHARACTER, THUMB_PENDING } from '../../messaging/limits/library.ts';
import type { LibraryContext } from './context.ts';
import { changeDoc, updatesTable } from './doc-store.ts';
import { LibraryError } from './errors.ts';
import { fallbackBookName } from './import.ts';
import { characterIndexFields, lorebookIndexFields } from './index-row.ts';
import { assetRow, assetSource, findAvatar, prepareCharacter, prepareLorebook, type PreparedCharacter, type PreparedLorebook } from './prepare.ts';
import { liveCharacter, liveRow } from './rows.ts';
import type { Thumbnails } from './thumbnails.ts';

/** One item of an all-or-nothing import: added when `replace` is null, else written over that library item. */
export type AtomicImportItem =
  | { kind: 'character'; character: Character; assets: readonly Asset[]; replace: string | null }
  | { kind: 'lorebook'; lorebook: Lorebook; replace: string | null };

/** More writes that belong with the import: run inside its transaction, after the items; a throw undoes everything. */
export interface AlongsideWrite {
  tables: Table[];
  write(ids: readonly string[]): Promise<void>;
}

type Planned =
  | { kind: 'new-character'; prepared: PreparedCharacter }
  | { kind: 'new-lorebook'; prepared: PreparedLorebook }
  | { kind: 'replace-character'; id: string; character: Character; assets: AssetRow[]; thumb: ThumbRow | null; avatarId: string | null }
  | { kind: 'replace-lorebook'; id: string; lorebook: Lorebook };

/**
 * Stores every item or none; returns the library id of each item, in order. Throws the first
 * failure (LibraryError, CardError, a gone replace target...) with nothing written.
 */
export async function importAll(ctx: LibraryContext, thumbnails: Thumbnails, items: readonly AtomicImportItem[], alongside: AlongsideWrite | null = null): Promise<string[]> {
  const now = ctx.now();
  const plans = items.map((item) => plan(item, now));
  const { db } = ctx;
  thumbnails.importStarted();
  try {
    const tables = [db.characters, updatesTable(db, 'character'), db.lorebooks, updatesTable(db, 'lorebook'), db.assets, db.thumbs, ...(alongside?.tables ?? [])];
    const written = await db.transaction('rw', tables, async () => {
      const ids: string[] = [];
      const rows: CharacterRow[] = [];
      for (const step of plans) {
        const id = await write(ctx, step, now);
        ids.push(id);
        if (step.kind === 'new-character' || step.kind === 'replace-character') rows.push((await db.characters.get(id))!);
      }
      await alongside?.write(ids);
      return { ids, rows };
    });
    for (const row of written.rows) ctx.indexed(row.id, row);
    ctx.thumbnailsChanged(written.rows.map((row) => row.id));
    ctx.changed();
    return written.ids;
  } finally {
    for (const step of plans) if (step.kind === 'new-character' || step.kind === 'new-lorebook') step.prepared.doc.destroy();
    thumbnails.importEnded();
  }
}

/** The rows an item writes, made before the transaction (the slow part: docs, blobs). */
function plan(item: AtomicImportItem, now: number): Planned {
  if (item.kind === 'lorebook') {
    const name = item.lorebook.name?.trim() ? item.lorebook.name : fallbackBookName('');
    if (item.replace === null) return { kind: 'new-lorebook', prepared: prepareLorebook(item.lorebook, name, now) };
    return { kind: 'replace-lorebook', id: item.replace, lorebook: { ...item.lorebook, name } };
  }
  const sources = item.assets.map(assetSource);
  if (item.replace === null) return { kind: 'new-character', prepared: prepareCharacter(item.character, sources, now) };
  if (sources.length > MAX_ASSETS_PER_CHARACTER) {
    throw new LibraryError('asset/too-many', `This card has ${sources.length} assets; at most ${MAX_ASSETS_PER_CHARACTER} are kept per character.`);
  }
  const id = item.replace;
  const assets = sources.map((source) => assetRow(id, source));
  const avatar = findAvatar(item.character, assets);
  return { kind: 'replace-character', id, character: item.character, assets, avatarId: avatar?.id ?? null, thumb: avatar ? { id, dataUrl: '', version: THUMB_PENDING } : null };
}

/** Writes one planned item inside the caller's transaction; returns its library id. */
async function write(ctx: LibraryContext, step: Planned, now: number): Promise<string> {
  const { db } = ctx;
  switch (step.kind) {
    case 'new-character': {
      const { row, doc, assets, thumb } = step.prepared;
      await db.characters.add({ ...row, doc } as CharacterRow);
      if (assets.length > 0) await db.assets.bulkAdd(assets);
      if (thumb) await db.thumbs.put(thumb);
      return row.id;
    }
    case 'new-lorebook': {
      const { row, doc } = step.prepared;
      await db.lorebooks.add({ ...row, doc } as LorebookRow);
      return row.id;
    }
    case 'replace-character': {
      await liveCharacter(db, step.id);
      await changeDoc(db, 'character', step.id, (doc) => writeCharacterDoc(doc, step.character));
      await db.assets.where('characterId').equals(step.id).delete();
      if (step.assets.length > 0) await db.assets.bulkAdd(step.assets);
      await db.characters.update(step.id, { ...characterIndexFields(step.character), avatarAssetId: step.avatarId, updatedAt: now });
      if (step.thumb) await db.thumbs.put(step.thumb);
      else await db.thumbs.delete(step.id);
      return step.id;
    }
    case 'replace-lorebook': {
      await liveRow(db, 'lorebook', step.id);
      await changeDoc(db, 'lorebook', step.id, (doc) => writeLorebookDoc(doc, step.lorebook));
      await db.lorebooks.update(step.id, { ...lorebookIndexFields(step.lorebook), updatedAt: now });
      return step.id;
    }
  }
}

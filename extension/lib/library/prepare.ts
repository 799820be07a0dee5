/**
 * Turning a parsed card into what one import transaction writes: the index row, the Y.Doc, the
 * asset Blobs and the thumbnail. Everything slow or asynchronous (image decoding) happens here,
 * before the transaction, which then only writes.
 */
import * as Y from 'yjs';
import type { Asset, Character, Lorebook } from '@troupe/shared/cards';
import { writeCharacterDoc, writeLorebookDoc } from '@troupe/shared/docs';
import type { AssetRow, CharacterRow, LorebookRow, ThumbRow } from '../db/database.ts';
import { LibraryError } from './errors.ts';
import { sniffRaster, type ImageTools } from './images.ts';
import { avatarUri, characterIndexFields, lorebookIndexFields, sameUri } from './index-row.ts';
import { MAX_ASSET_BYTES, MAX_ASSETS_PER_CHARACTER, THUMB_VERSION } from './limits.ts';

export interface PreparedCharacter {
  row: Omit<CharacterRow, 'doc'>;
  doc: Y.Doc;
  assets: AssetRow[];
  thumb: ThumbRow | null;
}

export interface PreparedLorebook {
  row: Omit<LorebookRow, 'doc'>;
  doc: Y.Doc;
}

/** The rows of a new character with a fresh id. Throws LibraryError when its assets are over the limits. */
export async function prepareCharacter(character: Character, assets: readonly Asset[], images: ImageTools | null, now: number): Promise<PreparedCharacter> {
  if (assets.length > MAX_ASSETS_PER_CHARACTER) {
    throw new LibraryError('asset/too-many', `This card has ${assets.length} assets; at most ${MAX_ASSETS_PER_CHARACTER} are kept per character.`);
  }
  const id = crypto.randomUUID();
  const assetRows = assets.map((asset) => assetRow(id, asset));
  const avatar = findAvatar(character, assetRows);
  const doc = new Y.Doc();
  writeCharacterDoc(doc, character);
  const avatarBytes = avatar ? assets[assetRows.indexOf(avatar)]!.bytes : null;
  const thumb = avatarBytes ? await thumbFromBytes(id, avatarBytes, images) : null;
  return {
    row: { id, ...characterIndexFields(character), avatarAssetId: avatar?.id ?? null, createdAt: now, updatedAt: now },
    doc,
    assets: assetRows,
    thumb,
  };
}

/** The rows of a new standalone lorebook. */
export function prepareLorebook(book: Lorebook, fallbackName: string, now: number): PreparedLorebook {
  const named: Lorebook = book.name?.trim() ? book : { ...book, name: fallbackName };
  const doc = new Y.Doc();
  writeLorebookDoc(doc, named);
  return { row: { id: crypto.randomUUID(), ...lorebookIndexFields(named, fallbackName), createdAt: now, updatedAt: now }, doc };
}

/** One asset as a stored Blob row. */
export function assetRow(characterId: string, asset: Asset): AssetRow {
  if (asset.bytes.length > MAX_ASSET_BYTES) {
    throw new LibraryError('asset/too-large', `The asset "${asset.name}" is ${asset.bytes.length} bytes; assets up to ${MAX_ASSET_BYTES} bytes are kept.`);
  }
  const mime = sniffRaster(asset.bytes) ?? asset.mime;
  const row: AssetRow = {
    id: crypto.randomUUID(),
    characterId,
    uri: asset.uri,
    name: asset.name,
    mime,
    size: asset.bytes.length,
    blob: new Blob([asset.bytes as Uint8Array<ArrayBuffer>], { type: mime }),
  };
  if (asset.path !== undefined) row.path = asset.path;
  return row;
}

/** The stored asset the card shows as its avatar, if the card has one and it is an image. */
export function findAvatar(character: Character, assets: readonly AssetRow[]): AssetRow | null {
  const uri = avatarUri(character);
  if (uri === null) return null;
  return assets.find((asset) => sameUri(asset.uri, uri) && asset.mime.startsWith('image/') && asset.mime !== 'image/svg+xml') ?? null;
}

/** A list thumbnail of an avatar row, or null when the image does not decode (the card still imports). */
export async function makeThumb(characterId: string, avatar: AssetRow, images: ImageTools | null): Promise<ThumbRow | null> {
  return images ? thumbFromBytes(characterId, new Uint8Array(await avatar.blob.arrayBuffer()), images) : null;
}

async function thumbFromBytes(characterId: string, bytes: Uint8Array, images: ImageTools | null): Promise<ThumbRow | null> {
  if (!images) return null;
  const mime = sniffRaster(bytes);
  if (!mime) return null;
  const dataUrl = await images.thumbnail(bytes, mime);
  return dataUrl ? { id: characterId, dataUrl, version: THUMB_VERSION } : null;
}

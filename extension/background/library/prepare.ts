/**
 * Turning a parsed card into what one import transaction writes: the index row, the Y.Doc, the
 * asset Blobs, and a pending thumbnail row that the library fills once imports go quiet (decoding
 * avatars is ~40% of an import's work; a list shows initials for the few seconds it takes).
 */
import * as Y from 'yjs';
import type { Asset, Character, Lorebook } from '@troupe/shared/cards';
import { writeCharacterDoc, writeLorebookDoc } from '@troupe/shared/docs';
import type { AssetRow, CharacterRow, LorebookRow, ThumbRow } from '../db/database.ts';
import { LibraryError } from './errors.ts';
import { sniffRaster } from '@troupe/shared/bytes';
import type { ImageTools } from './images.ts';
import { avatarUri, characterIndexFields, lorebookIndexFields, sameUri } from './index-row.ts';
import { IMAGE_HEADER_BYTES, MAX_ASSET_BYTES, MAX_ASSETS_PER_CHARACTER, THUMB_PENDING, THUMB_VERSION } from '../../messaging/limits/library.ts';

/** An asset whose bytes are in a Blob (a File's slice, or bytes a page handed over): stored without copying. */
export interface AssetSource {
  uri: string;
  name: string;
  path?: string;
  mime: string;
  blob: Blob;
}

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

/** A parsed asset (bytes in memory) as a Blob source. */
export function assetSource(asset: Asset): AssetSource {
  const source: AssetSource = { uri: asset.uri, name: asset.name, mime: asset.mime, blob: new Blob([asset.bytes as Uint8Array<ArrayBuffer>], { type: asset.mime }) };
  if (asset.path !== undefined) source.path = asset.path;
  return source;
}

/** The rows of a new character with a fresh id. Throws LibraryError when its assets are over the limits. */
export function prepareCharacter(character: Character, sources: readonly AssetSource[], now: number): PreparedCharacter {
  if (sources.length > MAX_ASSETS_PER_CHARACTER) {
    throw new LibraryError('asset/too-many', `This card has ${sources.length} assets; at most ${MAX_ASSETS_PER_CHARACTER} are kept per character.`);
  }
  const id = crypto.randomUUID();
  const assetRows = sources.map((source) => assetRow(id, source));
  const avatar = findAvatar(character, assetRows);
  const doc = newDoc(id);
  writeCharacterDoc(doc, character);
  const thumb: ThumbRow | null = avatar ? { id, dataUrl: '', version: THUMB_PENDING } : null;
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
  const id = crypto.randomUUID();
  const doc = newDoc(id);
  writeLorebookDoc(doc, named);
  return { row: { id, ...lorebookIndexFields(named, fallbackName), createdAt: now, updatedAt: now }, doc };
}

/**
 * A doc for a new row, named by the row's id. Yjs would otherwise draw a random guid, 32 calls to
 * getRandomValues per card (~0.3 ms, measured on a 1,000-card import); the guid is never stored.
 */
function newDoc(id: string): Y.Doc {
  return new Y.Doc({ guid: id });
}

/** The first bytes of a blob: enough to tell an image's format and size. */
export async function blobHead(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(0, IMAGE_HEADER_BYTES).arrayBuffer());
}

/**
 * One asset as a stored row, with the type its source declared (the card reader's, from the file
 * name or the PNG itself). Nothing trusts it: whatever shows, decodes or exports an asset reads
 * its format from the bytes first (sniffRaster), so importing never spends a read on it.
 */
export function assetRow(characterId: string, source: AssetSource): AssetRow {
  if (source.blob.size > MAX_ASSET_BYTES) {
    throw new LibraryError('asset/too-large', `The asset "${source.name}" is ${source.blob.size} bytes; assets up to ${MAX_ASSET_BYTES} bytes are kept.`);
  }
  const mime = source.mime.toLowerCase();
  const row: AssetRow = {
    id: crypto.randomUUID(),
    characterId,
    uri: source.uri,
    name: source.name,
    mime,
    size: source.blob.size,
    // Relabelled, not copied, when the blob says otherwise.
    blob: source.blob.type === mime ? source.blob : source.blob.slice(0, source.blob.size, mime),
  };
  if (source.path !== undefined) row.path = source.path;
  return row;
}

/** The stored asset the card shows as its avatar, if the card has one and it is an image. */
export function findAvatar(character: Character, assets: readonly AssetRow[]): AssetRow | null {
  const uri = avatarUri(character);
  if (uri === null) return null;
  return assets.find((asset) => sameUri(asset.uri, uri) && sniffedImage(asset.mime)) ?? null;
}

function sniffedImage(mime: string): boolean {
  return mime === 'image/png' || mime === 'image/jpeg' || mime === 'image/webp' || mime === 'image/gif' || mime === 'image/avif';
}

/** A list thumbnail of an avatar row, or null when the image does not decode (the card still imports). */
export async function makeThumb(characterId: string, avatar: AssetRow, images: ImageTools | null): Promise<ThumbRow | null> {
  if (!images) return null;
  const head = await blobHead(avatar.blob);
  const mime = sniffRaster(head);
  if (!mime) return null;
  const dataUrl = await images.thumbnail(avatar.blob, mime, head);
  return dataUrl ? { id: characterId, dataUrl, version: THUMB_VERSION } : null;
}

/**
 * The import page's view of an opened pack: each character's name, the start of its description,
 * a thumbnail of its avatar (made from bytes checked to be a raster image, never an SVG or HTML),
 * its lorebook's size, and how it relates to the library. Text goes out as text: the page renders
 * it as text, so nothing in a card can run.
 */
import { bytesToBase64, sniffRaster } from '@troupe/shared/bytes';
import type { OpenedPack, PackCharacter } from '@troupe/shared/packs';
import { MAX_PREVIEW_DESCRIPTION_CHARS, MAX_PREVIEW_RAW_AVATAR_BYTES } from '../../messaging/limits/packs.ts';
import { IMAGE_HEADER_BYTES } from '../../messaging/limits/library.ts';
import type { PackPreview, PackPreviewCharacter } from '../../messaging/packs-wire.ts';
import type { ImageTools } from '../library/images.ts';
import { avatarUri, sameUri } from '../library/index-row.ts';
import type { PackMatch } from './match-items.ts';
import type { PackVersionInfo } from './relay-client.ts';

export async function packPreview(
  where: { id: string; relayUrl: string; ownPack: boolean },
  opened: OpenedPack,
  info: PackVersionInfo,
  match: PackMatch,
  images: ImageTools | null,
): Promise<PackPreview> {
  const characters: PackPreviewCharacter[] = [];
  for (const [index, character] of opened.pack.characters.entries()) {
    const { data } = character.card;
    const matched = match.characters[index]!;
    characters.push({
      index,
      name: data.name,
      description: data.description.length > MAX_PREVIEW_DESCRIPTION_CHARS ? `${data.description.slice(0, MAX_PREVIEW_DESCRIPTION_CHARS - 1)}…` : data.description,
      creator: data.creator,
      tags: data.tags.slice(0, 20),
      avatar: await avatarThumb(character, images),
      lorebookEntries: data.character_book?.entries.length ?? 0,
      assets: character.assets.length,
      status: matched.status,
      libraryId: matched.libraryId,
      changes: matched.changes,
    });
  }
  return {
    id: where.id,
    relayUrl: where.relayUrl,
    version: info.version,
    updatedAt: info.updatedAt,
    expiresAt: info.expiresAt,
    characters,
    lorebooks: opened.pack.lorebooks.map((book, index) => {
      const matched = match.lorebooks[index]!;
      return { index, name: matched.name, entries: book.entries.length, status: matched.status, libraryId: matched.libraryId, changes: matched.changes };
    }),
    warnings: opened.warnings.length,
    ownPack: where.ownPack,
  };
}

/** A small data URL of the character's avatar, or null (no avatar, not a raster image, or too large to show without a thumbnail). */
async function avatarThumb(character: PackCharacter, images: ImageTools | null): Promise<string | null> {
  const uri = avatarUri(character.card);
  const asset = uri === null ? undefined : character.assets.find((a) => sameUri(a.uri, uri));
  if (!asset) return null;
  const mime = sniffRaster(asset.bytes);
  if (!mime) return null;
  const blob = new Blob([asset.bytes as Uint8Array<ArrayBuffer>], { type: mime });
  const thumb = images ? await images.thumbnail(blob, mime, asset.bytes.subarray(0, IMAGE_HEADER_BYTES)).catch(() => null) : null;
  if (thumb) return thumb;
  return asset.bytes.length <= MAX_PREVIEW_RAW_AVATAR_BYTES ? `data:${mime};base64,${bytesToBase64(asset.bytes)}` : null;
}

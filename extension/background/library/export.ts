/**
 * Export: a stored character or lorebook as a file a person can keep or take to another tool
 * (PNG, JSON, CHARX, World Info). The formats themselves are @troupe/shared/cards'; this reads what
 * they need from the library and bounds what is handed to a page.
 */
import {
  exportCharacterCharx,
  exportCharacterJson,
  exportCharacterPng,
  exportLorebookJson,
  exportWorldInfoJson,
  type Asset,
  type Character,
  type Lorebook,
} from '@troupe/shared/cards';
import { readLorebookDoc } from '@troupe/shared/docs';
import { bytesToBase64, sniffRaster } from '@troupe/shared/bytes';
import type { AssetRow } from '../db/database.ts';
import type { CharacterExportFormat, ExportFile, LorebookExportFormat } from '../../messaging/library-wire.ts';
import { MAX_EXPORT_BYTES } from '../../messaging/limits/library.ts';
import { readCard } from './characters.ts';
import type { LibraryContext } from './context.ts';
import { loadDoc } from './doc-store.ts';
import { LibraryError } from './errors.ts';
import type { ImageTools } from './images.ts';
import { liveCharacter, liveRow, notFound, withDoc } from './rows.ts';

const encoder = new TextEncoder();

/** A stored character as a file: its card with its avatar (PNG) or every asset (CHARX). */
export async function exportCharacter(ctx: LibraryContext, id: string, format: CharacterExportFormat): Promise<ExportFile> {
  const row = await liveCharacter(ctx.db, id);
  const card = await readCard(ctx.db, id);
  if (!card) throw notFound();
  const assets = await ctx.db.assets.where('characterId').equals(id).toArray();
  const avatar = assets.find((asset) => asset.id === row.avatarAssetId) ?? null;
  return exportCharacterFile(card, format, assets, avatar, ctx.images);
}

/** A stored standalone lorebook as a file. */
export async function exportLorebook(ctx: LibraryContext, id: string, format: LorebookExportFormat): Promise<ExportFile> {
  await liveRow(ctx.db, 'lorebook', id);
  return exportLorebookFile(withDoc(await loadDoc(ctx.db, 'lorebook', id), readLorebookDoc), format);
}

/** A name that is safe as a file name on every system (the card's name, or a fallback). */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
  return cleaned.replace(/^\.+/, '') || fallback;
}

async function assetBytes(row: AssetRow): Promise<Uint8Array> {
  return new Uint8Array(await row.blob.arrayBuffer());
}

/**
 * The character as a file. PNG cards are written into the avatar (converted to PNG when it is
 * another format, or a blank image without one); CHARX carries every stored asset.
 */
async function exportCharacterFile(character: Character, format: CharacterExportFormat, assets: readonly AssetRow[], avatar: AssetRow | null, images: ImageTools | null): Promise<ExportFile> {
  const base = safeFileName(character.data.name, 'character');
  switch (format) {
    case 'json':
      return file(`${base}.json`, 'application/json', encoder.encode(exportCharacterJson(character)));
    case 'png': {
      let image: Uint8Array | undefined;
      if (avatar) {
        const bytes = await assetBytes(avatar);
        const mime = sniffRaster(bytes);
        if (mime === 'image/png') image = bytes;
        else if (mime && images) image = (await images.toPng(bytes, mime)) ?? undefined;
      }
      return file(`${base}.png`, 'image/png', exportCharacterPng(character, image ? { image } : {}));
    }
    case 'charx': {
      const list: Asset[] = [];
      for (const row of assets) {
        const asset: Asset = { uri: row.uri, name: row.name, mime: row.mime, bytes: await assetBytes(row) };
        if (row.path !== undefined) asset.path = row.path;
        list.push(asset);
      }
      return file(`${base}.charx`, 'application/zip', exportCharacterCharx(character, list));
    }
    case 'worldinfo': {
      const book = character.data.character_book;
      if (!book) throw new LibraryError('export/no-book', `${character.data.name} has no lorebook to export.`);
      return file(`${safeFileName(book.name ?? '', base)}.json`, 'application/json', encoder.encode(exportWorldInfoJson(book)));
    }
  }
}

/** A standalone lorebook as SillyTavern World Info or as lorebook_v3 JSON. */
function exportLorebookFile(book: Lorebook, format: LorebookExportFormat): ExportFile {
  const base = safeFileName(book.name ?? '', 'lorebook');
  const text = format === 'worldinfo' ? exportWorldInfoJson(book) : exportLorebookJson(book);
  return file(format === 'worldinfo' ? `${base}.json` : `${base}.lorebook.json`, 'application/json', encoder.encode(text));
}

function file(fileName: string, mime: string, bytes: Uint8Array): ExportFile {
  if (bytes.length > MAX_EXPORT_BYTES) {
    throw new LibraryError('export/too-large', `The exported file would be ${bytes.length} bytes; Troupe hands over files up to ${MAX_EXPORT_BYTES} bytes.`);
  }
  return { fileName, mime, base64: bytesToBase64(bytes) };
}

/**
 * One character at a time: its card, what the editor shows, edits, the panel's quick character, and
 * its assets (viewing, adding, removing an image). Each edit changes the doc and the index row in one
 * transaction; the thumbnail, a derived cache, follows.
 */
import { parseCardObject, type Asset, type Character } from '@troupe/shared/cards';
import { readCharacterDoc, readCharacterOptions, writeCharacterOptions, type CharacterOptions } from '@troupe/shared/docs';
import { base64ToBytes, bytesToBase64, sniffRaster } from '@troupe/shared/bytes';
import type { AssetRow, TroupeDb } from '../db/database.ts';
import type { AssetInfo, CharacterDetail, CharacterPatch, CharacterSummary, NewCharacter } from '../../messaging/library-wire.ts';
import { MAX_ASSET_BYTES, MAX_ASSET_PREVIEW_BYTES, MAX_ASSETS_PER_CHARACTER } from '../../messaging/limits/library.ts';
import type { LibraryContext } from './context.ts';
import { changeDoc, loadDoc, updatesTable } from './doc-store.ts';
import { addAssetEntry, applyCharacterPatch, removeAssetEntry } from './edit-character.ts';
import { LibraryError } from './errors.ts';
import type { Importer } from './import.ts';
import { characterIndexFields, sameUri } from './index-row.ts';
import { findLorebook } from './lorebooks.ts';
import { assetRow, assetSource, findAvatar } from './prepare.ts';
import { liveCharacter, notFound, toItem, withDoc } from './rows.ts';
import type { Thumbnails } from './thumbnails.ts';

/** The whole card of a character (a CCv3 object), or null when there is no such character. */
export async function readCard(db: TroupeDb, id: string): Promise<Character | null> {
  const row = await db.characters.get(id);
  if (!row || row.deletedAt !== undefined) return null;
  return withDoc(await loadDoc(db, 'character', id), readCharacterDoc);
}

/** Troupe's own options for a character, or null when there is no such character. */
export async function readOptions(db: TroupeDb, id: string): Promise<CharacterOptions | null> {
  const row = await db.characters.get(id);
  if (!row || row.deletedAt !== undefined) return null;
  return withDoc(await loadDoc(db, 'character', id), readCharacterOptions);
}

export class Characters {
  constructor(private readonly ctx: LibraryContext, private readonly importer: Importer, private readonly thumbnails: Thumbnails) {}

  /** Everything the editor shows about one character. */
  async character(id: string): Promise<CharacterDetail> {
    const { db } = this.ctx;
    const [row, card] = await Promise.all([liveCharacter(db, id), readCard(db, id)]);
    if (!card) throw notFound();
    const [thumb, assets, linked] = await Promise.all([db.thumbs.get(id), db.assets.where('characterId').equals(id).toArray(), findLorebook(db, row.world)]);
    return {
      item: toItem(row, thumb?.dataUrl || null),
      character: card,
      assets: assets.map((asset) => assetInfo(asset, card, row.avatarAssetId)),
      linkedWorld: row.world ? { name: row.world, lorebookId: linked?.id ?? null } : null,
    };
  }

  /** One character's summary with its full description (what the chat prompt uses), or null. */
  async summary(id: string): Promise<CharacterSummary | null> {
    const { db } = this.ctx;
    const row = await db.characters.get(id);
    if (!row || row.deletedAt !== undefined) return null;
    const card = await readCard(db, id);
    const thumb = await db.thumbs.get(id);
    return { id, name: row.name, description: card?.data.description ?? row.excerpt, avatar: thumb?.dataUrl || null, updatedAt: row.updatedAt };
  }

  /** The panel's quick character: a name, a description and maybe an avatar (a data URL, already validated). */
  async createCharacter(input: NewCharacter, now: number): Promise<CharacterSummary> {
    const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: input.name, description: input.description } });
    if (parsed.kind !== 'character') throw new LibraryError('import/failed', 'The character could not be created.');
    const assets: Asset[] = [];
    if (input.avatar) {
      const [, mime = '', base64 = ''] = /^data:([^;]+);base64,(.*)$/.exec(input.avatar) ?? [];
      assets.push({ uri: 'ccdefault:', name: `avatar.${mime.split('/')[1] ?? 'png'}`, mime, bytes: base64ToBytes(base64) });
    }
    const [result] = await this.importer.importParsed([{ label: input.name, parsed: { ...parsed, assets } }], now);
    if (!result?.ok) throw new LibraryError('import/failed', result?.message ?? 'The character could not be created.');
    // Made now, not later: the panel shows the new character at once.
    if (assets.length > 0) await this.thumbnails.refresh(result.id);
    const summary = await this.summary(result.id);
    if (!summary) throw new LibraryError('character/not-found', 'The new character could not be read back.');
    return summary;
  }

  /** Applies the editor's changes; the index row follows the card in the same transaction. */
  async updateCharacter(id: string, patch: CharacterPatch): Promise<CharacterDetail> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character')], async () => {
      await liveCharacter(db, id);
      const card = await changeDoc(db, 'character', id, (doc) => applyCharacterPatch(doc, patch, now));
      await db.characters.update(id, { ...characterIndexFields(card), updatedAt: now });
      return (await db.characters.get(id))!;
    });
    this.ctx.indexed(id, row);
    this.ctx.changed();
    return this.character(id);
  }

  /**
   * Changes Troupe's own options for the character (synced with it, never exported). The row's time moves
   * with them: that is how sync and the prompt caches hear of the change.
   */
  async setOptions(id: string, patch: Partial<CharacterOptions>): Promise<CharacterOptions> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const { options, row } = await db.transaction('rw', [db.characters, updatesTable(db, 'character')], async () => {
      await liveCharacter(db, id);
      const next = await changeDoc(db, 'character', id, (doc) => {
        writeCharacterOptions(doc, patch);
        return readCharacterOptions(doc);
      });
      await db.characters.update(id, { updatedAt: now });
      return { options: next, row: (await db.characters.get(id))! };
    });
    this.ctx.indexed(id, row);
    this.ctx.changed();
    return options;
  }

  /** An image asset's bytes as a data URL, for viewing. */
  async assetDataUrl(assetId: string): Promise<{ id: string; mime: string; dataUrl: string }> {
    const asset = await this.ctx.db.assets.get(assetId);
    if (!asset) throw new LibraryError('asset/not-found', 'That asset no longer exists.');
    if (asset.size > MAX_ASSET_PREVIEW_BYTES) throw new LibraryError('asset/too-large', `"${asset.name}" is too large to preview (${asset.size} bytes).`);
    const bytes = new Uint8Array(await asset.blob.arrayBuffer());
    const mime = sniffRaster(bytes);
    if (!mime) throw new LibraryError('asset/not-image', `"${asset.name}" is not an image Troupe shows (${asset.mime}).`);
    return { id: assetId, mime, dataUrl: `data:${mime};base64,${bytesToBase64(bytes)}` };
  }

  /**
   * Adds an image to a character's assets, listed in the card as `embeded://assets/<type>/images/<name>.<ext>`
   * (the path a CHARX export uses). An `icon` named `main` becomes the avatar.
   */
  async addAsset(characterId: string, input: { type: string; name: string; bytes: Uint8Array }): Promise<CharacterDetail> {
    const { db } = this.ctx;
    const mime = sniffRaster(input.bytes);
    if (!mime) throw new LibraryError('asset/not-image', 'Only PNG, JPEG, WebP, GIF or AVIF images can be added.');
    if (input.bytes.length > MAX_ASSET_BYTES) throw new LibraryError('asset/too-large', `Images up to ${MAX_ASSET_BYTES} bytes can be added.`);
    const ext = mime === 'image/jpeg' ? 'jpg' : mime.slice('image/'.length);
    const path = `assets/${input.type}/images/${input.name}.${ext}`;
    const asset: Asset = { uri: `embeded://${path}`, name: `${input.name}.${ext}`, path, mime, bytes: input.bytes };
    const stored = assetRow(characterId, assetSource(asset));
    const now = this.ctx.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.assets], async () => {
      await liveCharacter(db, characterId);
      const existing = await db.assets.where('characterId').equals(characterId).toArray();
      if (existing.length >= MAX_ASSETS_PER_CHARACTER) throw new LibraryError('asset/too-many', `A character keeps at most ${MAX_ASSETS_PER_CHARACTER} assets.`);
      const replaced = existing.filter((old) => sameUri(old.uri, asset.uri)).map((old) => old.id);
      await db.assets.bulkDelete(replaced);
      await db.assets.add(stored);
      const hasDefault = existing.some((old) => old.uri === 'ccdefault:');
      const card = await changeDoc(db, 'character', characterId, (doc) =>
        addAssetEntry(doc, { type: input.type, uri: asset.uri, name: input.name, ext }, hasDefault, now));
      const avatar = findAvatar(card, [...existing.filter((old) => !replaced.includes(old.id)), stored]);
      await db.characters.update(characterId, { ...characterIndexFields(card), avatarAssetId: avatar?.id ?? null, updatedAt: now });
      return (await db.characters.get(characterId))!;
    });
    await this.thumbnails.refresh(characterId);
    this.ctx.indexed(characterId, row);
    this.ctx.changed();
    return this.character(characterId);
  }

  /** Removes one asset (its Blob and its entry in the card). */
  async removeAsset(characterId: string, assetId: string): Promise<CharacterDetail> {
    const { db } = this.ctx;
    const now = this.ctx.now();
    const row = await db.transaction('rw', [db.characters, updatesTable(db, 'character'), db.assets], async () => {
      await liveCharacter(db, characterId);
      const assets = await db.assets.where('characterId').equals(characterId).toArray();
      const target = assets.find((asset) => asset.id === assetId);
      if (!target) throw new LibraryError('asset/not-found', 'That asset no longer exists.');
      await db.assets.delete(assetId);
      const hasDefault = assets.some((asset) => asset.uri === 'ccdefault:');
      const card = await changeDoc(db, 'character', characterId, (doc) => removeAssetEntry(doc, target.uri, hasDefault, now));
      const avatar = findAvatar(card, assets.filter((asset) => asset.id !== assetId));
      await db.characters.update(characterId, { ...characterIndexFields(card), avatarAssetId: avatar?.id ?? null, updatedAt: now });
      return (await db.characters.get(characterId))!;
    });
    await this.thumbnails.refresh(characterId);
    this.ctx.indexed(characterId, row);
    this.ctx.changed();
    return this.character(characterId);
  }
}

/** How the editor lists an asset: its row, the type the card gives it, and whether it is the avatar. */
function assetInfo(asset: AssetRow, card: Character, avatarId: string | null): AssetInfo {
  const listed = (card.data.assets ?? (asset.uri === 'ccdefault:' ? [{ type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' }] : []))
    .find((entry) => sameUri(entry.uri, asset.uri));
  return { id: asset.id, uri: asset.uri, name: asset.name, mime: asset.mime, size: asset.size, type: listed?.type ?? '', isAvatar: asset.id === avatarId };
}

/** Applying the editor's changes to a character doc. */
import type * as Y from 'yjs';
import { DEFAULT_ASSET_URI, type CardAsset, type Character, type CharacterData, type JsonObject } from '@troupe/shared/cards';
import { readCharacterDoc, updateCharacterFields } from '@troupe/shared/docs';
import { withVoiceSettings } from '@troupe/shared/voice';
import { sameUri, uniqueTags } from './index-row.ts';
import type { CharacterPatch } from '../../messaging/library-wire.ts';

type DataPatch = Partial<Omit<CharacterData, 'character_book'>>;

/**
 * Applies `patch` to the card in `doc` (one field per Y.Map key, so an edit merges with edits of
 * other fields elsewhere), stamps `modification_date`, and returns the card as it now is.
 */
export function applyCharacterPatch(doc: Y.Doc, patch: CharacterPatch, now: number): Character {
  const current = readCharacterDoc(doc);
  const { world, tags, voice, ...fields } = patch;
  const data: DataPatch = { ...fields, modification_date: Math.floor(now / 1000) };
  if (tags !== undefined) data.tags = uniqueTags(tags);
  if (world !== undefined) data.extensions = { ...current.data.extensions, world };
  // The voice lives in the card's extensions (so it syncs and exports with it); the rest of them stay.
  if (voice !== undefined) {
    const extensions = (data.extensions ?? current.data.extensions) as JsonObject;
    data.extensions = withVoiceSettings({ ...current, data: { ...current.data, extensions } }, voice).data.extensions;
  }
  updateCharacterFields(doc, data);
  return readCharacterDoc(doc);
}

/** The card's asset list as stored, with the V3 default (one `ccdefault:` icon) spelled out when absent. */
export function explicitAssets(character: Character, hasDefaultImage: boolean): CardAsset[] {
  if (character.data.assets !== undefined) return character.data.assets;
  return hasDefaultImage ? [{ type: 'icon', uri: DEFAULT_ASSET_URI, name: 'main', ext: 'png' }] : [];
}

/**
 * Lists a new asset in the card. A new `icon` named `main` replaces the previous main icon entry
 * (it becomes the avatar); any entry with the same URI is replaced.
 */
export function addAssetEntry(doc: Y.Doc, entry: CardAsset, hasDefaultImage: boolean, now: number): Character {
  const card = readCharacterDoc(doc);
  const list = explicitAssets(card, hasDefaultImage).filter((asset) => {
    if (sameUri(asset.uri, entry.uri)) return false;
    return !(entry.type === 'icon' && entry.name === 'main' && asset.type === 'icon' && asset.name === 'main');
  });
  updateCharacterFields(doc, { assets: [...list, entry], modification_date: Math.floor(now / 1000) });
  return readCharacterDoc(doc);
}

/** Removes every entry of the card's asset list that points at `uri`. */
export function removeAssetEntry(doc: Y.Doc, uri: string, hasDefaultImage: boolean, now: number): Character {
  const card = readCharacterDoc(doc);
  const list = explicitAssets(card, hasDefaultImage).filter((asset) => !sameUri(asset.uri, uri));
  updateCharacterFields(doc, { assets: list, modification_date: Math.floor(now / 1000) });
  return readCharacterDoc(doc);
}

/**
 * CHARX: a zip with `card.json` (a V3 card) and asset files the card points at with
 * `embeded://<path>` URIs (the spec's spelling; `embedded://` is accepted when reading).
 */
import { utf8Decode, utf8Encode } from './bytes.ts';
import { CardError, type CardWarning } from './errors.ts';
import type { CardLimits } from './limits.ts';
import { extensionForMime, isCompressedMedia, mimeForPath } from './mime.ts';
import type { Asset, CardAsset, Character, JsonValue } from './model.ts';
import { parseJson } from './safe-json.ts';
import { checkZipPath, readZip, writeZip, type ZipInput } from './zip.ts';

/** Where a CHARX keeps its card. */
export const CHARX_CARD_PATH = 'card.json';
/** URI prefix for files inside the CHARX zip, spelled as the CCv3 spec spells it. */
export const EMBEDDED_URI_PREFIX = 'embeded://';
const EMBEDDED_URI_PREFIXES = ['embeded://', 'embedded://'];
/** CCv3 URI meaning "the default asset": for a PNG card, the PNG itself. */
export const DEFAULT_ASSET_URI = 'ccdefault:';
/** Where a card's default image goes when a PNG-sourced card is written as CHARX. */
const DEFAULT_ICON_DIR = 'assets/icon/images/';

/** The zip path an `embeded://` URI points at, or undefined for any other kind of URI. */
export function embeddedPath(uri: string): string | undefined {
  const prefix = EMBEDDED_URI_PREFIXES.find((p) => uri.toLowerCase().startsWith(p));
  return prefix === undefined ? undefined : uri.slice(prefix.length);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export interface CharxContents {
  json: JsonValue;
  assets: Asset[];
}

/** Reads a CHARX: the parsed card.json plus every other file as an asset. */
export function readCharx(bytes: Uint8Array, limits: CardLimits, warnings: CardWarning[]): CharxContents {
  const files = readZip(bytes, limits);
  const card = files.find((file) => file.path === CHARX_CARD_PATH);
  if (!card) throw new CardError('charx/no-card-json', 'This CHARX file has no card.json in it.');
  const json = parseJson(utf8Decode(card.bytes), { limits, warnings, label: 'card.json' });
  const assets = files
    .filter((file) => file !== card)
    .map((file): Asset => ({
      uri: EMBEDDED_URI_PREFIX + file.path,
      name: baseName(file.path),
      path: file.path,
      mime: mimeForPath(file.path),
      bytes: file.bytes,
    }));
  return { json, assets };
}

/**
 * Writes a CHARX from an already normalised character. Assets with `embeded://` URIs are
 * stored at their paths. A `ccdefault:` asset (the image of a PNG card) is stored as
 * `assets/icon/images/main.<ext>` and the card's `ccdefault:` icons are pointed at it, since
 * inside a zip "the default image" means nothing; a card with no asset list gets one icon.
 * (A card whose asset list has no `ccdefault:` icon does not want that image, so it is not
 * written.) Assets with other URIs (https:, data:) are not files and are left to the card.
 */
export function writeCharx(character: Character, assets: readonly Asset[]): Uint8Array {
  const files: ZipInput[] = [];
  let card = character;
  for (const asset of assets) {
    const path = embeddedPath(asset.uri);
    if (path !== undefined) {
      checkZipPath(path);
      if (path === CHARX_CARD_PATH) throw new CardError('zip/duplicate-entry', 'An asset cannot be stored as card.json.');
      files.push({ path, bytes: asset.bytes, compress: !isCompressedMedia(asset.mime) });
    }
  }
  const defaultImage = assets.find((asset) => asset.uri === DEFAULT_ASSET_URI);
  const wantsDefault =
    character.data.assets === undefined ||
    character.data.assets.some((asset) => asset.type === 'icon' && asset.uri === DEFAULT_ASSET_URI);
  if (defaultImage && wantsDefault) {
    const ext = extensionForMime(defaultImage.mime);
    let path = `${DEFAULT_ICON_DIR}main.${ext}`;
    for (let n = 2; files.some((file) => file.path === path); n++) path = `${DEFAULT_ICON_DIR}main-${n}.${ext}`;
    files.push({ path, bytes: defaultImage.bytes, compress: !isCompressedMedia(defaultImage.mime) });
    card = pointDefaultIconAt(card, EMBEDDED_URI_PREFIX + path, ext);
  }
  files.unshift({ path: CHARX_CARD_PATH, bytes: utf8Encode(JSON.stringify(card, null, 2)), compress: true });
  return writeZip(files);
}

function pointDefaultIconAt(character: Character, uri: string, ext: string): Character {
  const current = character.data.assets;
  let assets: CardAsset[];
  if (current === undefined) {
    assets = [{ type: 'icon', uri, name: 'main', ext }];
  } else {
    assets = current.map((asset) => (asset.type === 'icon' && asset.uri === DEFAULT_ASSET_URI ? { ...asset, uri, ext } : asset));
  }
  return { ...character, data: { ...character.data, assets } };
}

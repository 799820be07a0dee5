/**
 * The plain content container, format 1: what is compressed and sealed. Binary rather than JSON
 * with base64 assets: after gzip both weigh the same (measured: 3 characters with 1 MB avatars,
 * 3,001,471 vs 3,013,524 bytes), but base64 costs a third more memory and a pass over every byte.
 *
 *   offset 0      u8      format (PACK_FORMAT = 1)
 *   offset 1      u32 BE  manifest length M (at most MAX_PACK_MANIFEST_BYTES)
 *   offset 5      M bytes manifest, UTF-8 JSON (below)
 *   offset 5+M    sections, back to back, in manifest order, nothing before, between or after:
 *                 for each character its card JSON then its assets' bytes; then each lorebook's
 *                 JSON; then each persona's avatar bytes.
 *
 * Manifest: sizes and names only, never card text (cards are their own sections, so each is read by
 * the card library under its own limits, as a dropped card file would be):
 *
 *   { "createdAt": 1700000000000,
 *     "characters": [{ "card": <bytes>, "assets": [{ "uri", "name", "mime", "size": <bytes> }], "settings"?: {} }],
 *     "lorebooks": [<bytes>, ...],
 *     "personas": [{ "name", "description", "avatar"?: { "name", "mime", "size": <bytes> } }] }
 *
 * A card section is CCv3 JSON (as exportCharacterJson writes it); a lorebook section is a
 * `lorebook_v3` JSON file (as exportLorebookJson writes it). Unknown manifest keys are ignored, so
 * a later format-1 writer may add optional fields; anything else needs format 2.
 */
import { sniffRaster } from '../bytes/index.ts';
import { CardError, exportCharacterJson, exportLorebookJson, parseCardFile, type JsonObject, type JsonValue, type Lorebook } from '../cards/index.ts';
import { readU32BE, utf8Decode, utf8Encode, writeU32BE } from '../cards/bytes.ts';
import { cloneJson, isJsonObject } from '../cards/safe-json.ts';
import { PackError } from './errors.ts';
import {
  MAX_ASSET_MIME_CHARS,
  MAX_ASSET_NAME_CHARS,
  MAX_ASSET_URI_CHARS,
  MAX_CHARACTER_SETTINGS_CHARS,
  MAX_CHARACTER_SETTINGS_DEPTH,
  MAX_PACK_ASSET_BYTES,
  MAX_PACK_ASSETS,
  MAX_PACK_CHARACTERS,
  MAX_PACK_LOREBOOK_ENTRIES,
  MAX_PACK_LOREBOOKS,
  MAX_PACK_MANIFEST_BYTES,
  MAX_PACK_PERSONAS,
  MAX_PERSONA_AVATAR_BYTES,
  MAX_PERSONA_DESCRIPTION_CHARS,
  MAX_PERSONA_NAME_CHARS,
  MAX_PLAIN_PACK_BYTES,
} from './limits.ts';
import { PACK_FORMAT, type OpenedPack, type Pack, type PackAsset, type PackCharacter, type PackPersona, type PackWarning } from './model.ts';

const HEADER_BYTES = 5;
/** Any C0 control character or DEL: never part of a name, a URI or a type. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** `type/subtype` with RFC 6838's restricted-name characters. */
const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;
const OCTET_STREAM = 'application/octet-stream';

interface AssetEntry {
  uri: string;
  name: string;
  mime: string;
  size: number;
}

/**
 * The pack as plain container bytes (see the layout above). Checks the pack against every limit and
 * normalises each card and lorebook through the card library's writers; throws PackError.
 */
export function encodePackContent(pack: Pack): Uint8Array {
  checkCounts(pack.characters.length, pack.lorebooks.length, pack.personas?.length ?? 0, countAssets(pack.characters));
  if (!Number.isSafeInteger(pack.createdAt) || pack.createdAt < 0) throw new PackError('pack/corrupt', 'The pack has no valid creation time.');
  const sections: Uint8Array[] = [];
  const characters = pack.characters.map((character, index) => {
    const item = `characters[${index}]`;
    const card = cardText(() => exportCharacterJson(character.card), item);
    sections.push(card);
    const assets = character.assets.map((asset, a) => {
      const entry = checkAsset({ uri: asset.uri, name: asset.name, mime: asset.mime || OCTET_STREAM, size: asset.bytes.length }, `${item}.assets[${a}]`);
      sections.push(asset.bytes);
      return entry;
    });
    const out: JsonObject = { card: card.length, assets: assets as unknown as JsonValue[] };
    if (character.settings !== undefined) out['settings'] = checkSettings(character.settings, `${item}.settings`);
    return out;
  });
  const lorebooks = pack.lorebooks.map((book, index) => {
    const text = cardText(() => exportLorebookJson(book), `lorebooks[${index}]`);
    sections.push(text);
    return text.length;
  });
  const personas = (pack.personas ?? []).map((persona, index) => {
    const item = `personas[${index}]`;
    checkPersonaText(persona.name, persona.description, item);
    const out: JsonObject = { name: persona.name, description: persona.description };
    if (persona.avatar) {
      const avatar = checkAsset({ uri: '', name: persona.avatar.name, mime: persona.avatar.mime || OCTET_STREAM, size: persona.avatar.bytes.length }, `${item}.avatar`);
      checkPersonaAvatar(persona.avatar.bytes, item);
      out['avatar'] = { name: avatar.name, mime: avatar.mime, size: avatar.size };
      sections.push(persona.avatar.bytes);
    }
    return out;
  });
  const manifest = utf8Encode(JSON.stringify({ createdAt: pack.createdAt, characters, lorebooks, personas }));
  if (manifest.length > MAX_PACK_MANIFEST_BYTES) {
    throw new PackError('pack/too-large', `The pack's table of contents is ${manifest.length} bytes; at most ${MAX_PACK_MANIFEST_BYTES} are allowed.`);
  }
  let total = HEADER_BYTES + manifest.length;
  for (const section of sections) total += section.length;
  if (total > MAX_PLAIN_PACK_BYTES) throw new PackError('pack/too-large', `The pack holds ${total} bytes; at most ${MAX_PLAIN_PACK_BYTES} are allowed.`);
  const out = new Uint8Array(total);
  out[0] = PACK_FORMAT;
  writeU32BE(out, 1, manifest.length);
  out.set(manifest, HEADER_BYTES);
  let offset = HEADER_BYTES + manifest.length;
  for (const section of sections) {
    out.set(section, offset);
    offset += section.length;
  }
  return out;
}

/**
 * Reads plain container bytes: checks the manifest against every limit before reading a section,
 * then reads every card and lorebook with the card library (parseCardFile, the same reader as a
 * dropped card file) and refuses the whole pack on the first problem. Assets are views into `bytes`.
 */
export function decodePackContent(bytes: Uint8Array): OpenedPack {
  if (bytes.length < HEADER_BYTES) throw new PackError('pack/corrupt', 'The pack content is cut short.');
  const format = bytes[0]!;
  if (format > PACK_FORMAT) throw new PackError('pack/newer-format', `This pack was made by a newer Troupe (content format ${format}); update Troupe to open it.`);
  if (format === 0) throw new PackError('pack/corrupt', 'The pack content has no format.');
  const manifestLength = readU32BE(bytes, 1);
  if (manifestLength > MAX_PACK_MANIFEST_BYTES) throw new PackError('pack/too-large', `The pack's table of contents is over ${MAX_PACK_MANIFEST_BYTES} bytes.`);
  if (HEADER_BYTES + manifestLength > bytes.length) throw new PackError('pack/corrupt', 'The pack content is cut short.');
  let manifest: unknown;
  try {
    manifest = JSON.parse(utf8Decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + manifestLength)));
  } catch (error) {
    throw new PackError('pack/corrupt', "The pack's table of contents is not valid JSON.", { cause: error });
  }
  const plan = readManifest(manifest);
  let expected = HEADER_BYTES + manifestLength;
  for (const size of plan.sizes) expected += size;
  if (expected !== bytes.length) throw new PackError('pack/corrupt', `The pack content is ${bytes.length} bytes but its table of contents describes ${expected}.`);

  let offset = HEADER_BYTES + manifestLength;
  const take = (size: number): Uint8Array => bytes.subarray(offset, (offset += size));
  const warnings: PackWarning[] = [];
  let entries = 0;
  const countEntries = (book: Lorebook | undefined, item: string): void => {
    entries += book?.entries.length ?? 0;
    if (entries > MAX_PACK_LOREBOOK_ENTRIES) throw new PackError('pack/too-many', `The pack holds more than ${MAX_PACK_LOREBOOK_ENTRIES} lorebook entries.`, { item });
  };

  const characters = plan.characters.map((entry, index): PackCharacter => {
    const item = `characters[${index}]`;
    const parsed = readCard(take(entry.card), item);
    if (parsed.kind !== 'character') throw new PackError('pack/bad-card', `Character ${index + 1} in the pack is a lorebook, not a character.`, { item });
    for (const warning of parsed.warnings) warnings.push({ item, ...warning });
    countEntries(parsed.character.data.character_book, item);
    const assets = entry.assets.map((asset): PackAsset => ({ uri: asset.uri, name: asset.name, mime: asset.mime, bytes: take(asset.size) }));
    const character: PackCharacter = { card: parsed.character, assets };
    if (entry.settings !== undefined) character.settings = entry.settings;
    return character;
  });
  const lorebooks = plan.lorebooks.map((size, index): Lorebook => {
    const item = `lorebooks[${index}]`;
    const parsed = readCard(take(size), item);
    if (parsed.kind !== 'lorebook') throw new PackError('pack/bad-card', `Lorebook ${index + 1} in the pack is a character, not a lorebook.`, { item });
    for (const warning of parsed.warnings) warnings.push({ item, ...warning });
    countEntries(parsed.lorebook, item);
    return parsed.lorebook;
  });
  const personas = plan.personas.map((entry, index): PackPersona => {
    const persona: PackPersona = { name: entry.name, description: entry.description };
    if (entry.avatar) {
      const avatar = take(entry.avatar.size);
      checkPersonaAvatar(avatar, `personas[${index}]`);
      persona.avatar = { name: entry.avatar.name, mime: entry.avatar.mime, bytes: avatar };
    }
    return persona;
  });
  const pack: Pack = { format: PACK_FORMAT, createdAt: plan.createdAt, characters, lorebooks };
  if (personas.length > 0) pack.personas = personas;
  return { pack, warnings };
}

interface ManifestPlan {
  createdAt: number;
  characters: Array<{ card: number; assets: AssetEntry[]; settings?: JsonObject }>;
  lorebooks: number[];
  personas: Array<{ name: string; description: string; avatar?: AssetEntry }>;
  /** Every section's size, in order. */
  sizes: number[];
}

/** Checks the manifest's shape and limits, before any section is touched. */
function readManifest(value: unknown): ManifestPlan {
  if (!isJsonObject(value)) throw corrupt('The table of contents is not an object.');
  const characters = list(value, 'characters');
  const lorebooks = list(value, 'lorebooks');
  const personas = list(value, 'personas');
  let assetCount = 0;
  for (const character of characters) if (isJsonObject(character)) assetCount += list(character, 'assets').length;
  checkCounts(characters.length, lorebooks.length, personas.length, assetCount);
  const createdAt = own(value, 'createdAt');
  if (typeof createdAt !== 'number' || !Number.isSafeInteger(createdAt) || createdAt < 0) throw corrupt('The pack has no valid creation time.');

  const sizes: number[] = [];
  const plan: ManifestPlan = { createdAt, characters: [], lorebooks: [], personas: [], sizes };
  characters.forEach((character, index) => {
    const item = `characters[${index}]`;
    if (!isJsonObject(character)) throw corrupt(`${item} is not an object.`);
    const card = size(own(character, 'card'), `${item}.card`);
    sizes.push(card);
    const assets = list(character, 'assets').map((asset, a) => {
      const entry = readAssetEntry(asset, `${item}.assets[${a}]`);
      sizes.push(entry.size);
      return entry;
    });
    const settings = own(character, 'settings');
    const entry: ManifestPlan['characters'][number] = { card, assets };
    if (settings !== undefined) entry.settings = checkSettings(settings, `${item}.settings`);
    plan.characters.push(entry);
  });
  lorebooks.forEach((book, index) => {
    const bookSize = size(book, `lorebooks[${index}]`);
    sizes.push(bookSize);
    plan.lorebooks.push(bookSize);
  });
  personas.forEach((persona, index) => {
    const item = `personas[${index}]`;
    if (!isJsonObject(persona)) throw corrupt(`${item} is not an object.`);
    const name = own(persona, 'name');
    const description = own(persona, 'description');
    checkPersonaText(name, description, item);
    const entry: ManifestPlan['personas'][number] = { name: name as string, description: description as string };
    const avatar = own(persona, 'avatar');
    if (avatar !== undefined) {
      entry.avatar = readAssetEntry({ ...(isJsonObject(avatar) ? avatar : {}), uri: '' }, `${item}.avatar`);
      if (entry.avatar.size > MAX_PERSONA_AVATAR_BYTES) {
        throw new PackError('pack/bad-persona', `Persona ${index + 1}'s picture is ${entry.avatar.size} bytes; at most ${MAX_PERSONA_AVATAR_BYTES} are allowed.`, { item });
      }
      sizes.push(entry.avatar.size);
    }
    plan.personas.push(entry);
  });
  return plan;
}

function readAssetEntry(value: unknown, item: string): AssetEntry {
  if (!isJsonObject(value)) throw corrupt(`${item} is not an object.`);
  const uri = own(value, 'uri');
  const name = own(value, 'name');
  const mime = own(value, 'mime');
  if (typeof uri !== 'string' || typeof name !== 'string' || typeof mime !== 'string') {
    throw new PackError('pack/bad-asset', `${item} lacks its URI, name or type.`, { item });
  }
  return checkAsset({ uri, name, mime, size: size(own(value, 'size'), `${item}.size`) }, item);
}

function checkAsset(entry: AssetEntry, item: string): AssetEntry {
  if (entry.size > MAX_PACK_ASSET_BYTES) {
    throw new PackError('pack/too-large', `${item} is ${entry.size} bytes; assets up to ${MAX_PACK_ASSET_BYTES} bytes are kept.`, { item });
  }
  if (entry.uri.length > MAX_ASSET_URI_CHARS || CONTROL.test(entry.uri)) throw new PackError('pack/bad-asset', `${item} has an unusable URI.`, { item });
  if (entry.name.length > MAX_ASSET_NAME_CHARS || CONTROL.test(entry.name)) throw new PackError('pack/bad-asset', `${item} has an unusable file name.`, { item });
  if (entry.mime.length > MAX_ASSET_MIME_CHARS || !MIME.test(entry.mime)) throw new PackError('pack/bad-asset', `${item} has an unusable type "${entry.mime.slice(0, 40)}".`, { item });
  return { uri: entry.uri, name: entry.name, mime: entry.mime.toLowerCase(), size: entry.size };
}

function checkPersonaText(name: unknown, description: unknown, item: string): void {
  if (typeof name !== 'string' || typeof description !== 'string') throw new PackError('pack/bad-persona', `${item} lacks its name or description.`, { item });
  if (name.trim() === '' || name.length > MAX_PERSONA_NAME_CHARS) {
    throw new PackError('pack/bad-persona', `${item} needs a name of 1-${MAX_PERSONA_NAME_CHARS} characters.`, { item });
  }
  if (description.length > MAX_PERSONA_DESCRIPTION_CHARS) {
    throw new PackError('pack/bad-persona', `${item}'s description is over ${MAX_PERSONA_DESCRIPTION_CHARS} characters.`, { item });
  }
}

function checkPersonaAvatar(bytes: Uint8Array, item: string): void {
  if (bytes.length > MAX_PERSONA_AVATAR_BYTES) throw new PackError('pack/bad-persona', `${item}'s picture is over ${MAX_PERSONA_AVATAR_BYTES} bytes.`, { item });
  // Persona pictures are shown; only raster images are (SVG can carry script).
  if (sniffRaster(bytes) === null) throw new PackError('pack/bad-persona', `${item}'s picture is not a PNG, JPEG, WebP, GIF or AVIF image.`, { item });
}

/** A plain JSON object within the settings limits, copied without prototype keys. */
function checkSettings(value: unknown, item: string): JsonObject {
  if (!isJsonObject(value as JsonValue)) throw new PackError('pack/bad-settings', `${item} is not an object.`, { item });
  let copy: JsonValue;
  try {
    copy = cloneJson(value as JsonValue, MAX_CHARACTER_SETTINGS_DEPTH);
  } catch (error) {
    throw new PackError('pack/bad-settings', `${item} is nested more than ${MAX_CHARACTER_SETTINGS_DEPTH} levels deep.`, { item, cause: error });
  }
  if (JSON.stringify(copy).length > MAX_CHARACTER_SETTINGS_CHARS) {
    throw new PackError('pack/bad-settings', `${item} is over ${MAX_CHARACTER_SETTINGS_CHARS} characters of JSON.`, { item });
  }
  return copy as JsonObject;
}

function checkCounts(characters: number, lorebooks: number, personas: number, assets: number): void {
  if (characters === 0) throw new PackError('pack/empty', 'The pack holds no character.');
  if (characters > MAX_PACK_CHARACTERS) throw new PackError('pack/too-many', `The pack holds ${characters} characters; at most ${MAX_PACK_CHARACTERS} are allowed.`);
  if (lorebooks > MAX_PACK_LOREBOOKS) throw new PackError('pack/too-many', `The pack holds ${lorebooks} lorebooks; at most ${MAX_PACK_LOREBOOKS} are allowed.`);
  if (personas > MAX_PACK_PERSONAS) throw new PackError('pack/too-many', `The pack holds ${personas} personas; at most ${MAX_PACK_PERSONAS} are allowed.`);
  if (assets > MAX_PACK_ASSETS) throw new PackError('pack/too-many', `The pack holds ${assets} assets; at most ${MAX_PACK_ASSETS} are allowed.`);
}

function countAssets(characters: readonly PackCharacter[]): number {
  let count = 0;
  for (const character of characters) count += character.assets.length;
  return count;
}

/** A card or lorebook written by the card library's exporter, its refusal a `pack/bad-card`. */
function cardText(write: () => string, item: string): Uint8Array {
  try {
    return utf8Encode(write());
  } catch (error) {
    if (error instanceof CardError) throw badCard(error, item);
    throw error;
  }
}

/** A card or lorebook section read exactly as a dropped JSON file is (parseCardFile). */
function readCard(bytes: Uint8Array, item: string): ReturnType<typeof parseCardFile> {
  // Sections are JSON; a PNG or CHARX here would be a second container the format does not define.
  let first = 0;
  while (first < bytes.length && (bytes[first] === 0x20 || bytes[first] === 0x0a || bytes[first] === 0x0d || bytes[first] === 0x09)) first++;
  if (bytes[first] !== 0x7b /* { */) throw new PackError('pack/bad-card', `${describe(item)} is not JSON.`, { item });
  try {
    return parseCardFile(bytes);
  } catch (error) {
    if (error instanceof CardError) throw badCard(error, item);
    throw error;
  }
}

function badCard(error: CardError, item: string): PackError {
  return new PackError('pack/bad-card', `${describe(item)}: ${error.message}`, { item, cardCode: error.code, cause: error });
}

/** `characters[1]` -> `Character 2 in the pack`. */
function describe(item: string): string {
  const match = /^(characters|lorebooks)\[(\d+)\]$/.exec(item);
  if (!match) return item;
  return `${match[1] === 'characters' ? 'Character' : 'Lorebook'} ${Number(match[2]) + 1} in the pack`;
}

function own(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function list(object: JsonObject, key: string): JsonValue[] {
  const value = own(object, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw corrupt(`"${key}" in the table of contents is not a list.`);
  return value;
}

function size(value: JsonValue | undefined, item: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw corrupt(`${item} has no valid size.`);
  if (value > MAX_PLAIN_PACK_BYTES) throw new PackError('pack/too-large', `${item} is over ${MAX_PLAIN_PACK_BYTES} bytes.`, { item });
  return value;
}

function corrupt(message: string): PackError {
  return new PackError('pack/corrupt', `The pack is malformed: ${message}`);
}

/** One entry point for every card and lorebook file format: sniff, read, normalise. */
import { utf8Decode } from './bytes.ts';
import { readCharx, DEFAULT_ASSET_URI } from './charx.ts';
import type { NormalizeContext } from './coerce.ts';
import { CardError, type CardWarning } from './errors.ts';
import { resolveLimits, type CardLimits } from './limits.ts';
import { LOREBOOK_SPEC, type Asset, type Character, type JsonValue, type Lorebook } from './model.ts';
import { normalizeCharacterCard, type CardVersion } from './normalize-character.ts';
import { normalizeLorebook } from './normalize-lorebook.ts';
import { isPng } from './png.ts';
import { readPngCard, type CardChunkKeyword } from './png-card.ts';
import { cloneJson, isJsonObject, parseJson } from './safe-json.ts';
import { worldInfoToLorebook } from './worldinfo.ts';
import { isZip } from './zip.ts';

/** Container and card version of the file a character came from, e.g. `v3-png`. */
export type CharacterSourceFormat = `v${CardVersion}-${'json' | 'png' | 'charx'}`;

/**
 * Where a lorebook came from: a `{spec:'lorebook_v3'}` file, a SillyTavern World Info file,
 * or a bare CCv3 `character_book` object saved on its own.
 */
export type LorebookSourceFormat = 'lorebook_v3' | 'st_world_info' | 'character_book';

export interface ParsedCharacterFile {
  kind: 'character';
  character: Character;
  /** CHARX files, or the PNG card's own image (uri `ccdefault:`); empty for JSON. */
  assets: Asset[];
  sourceFormat: CharacterSourceFormat;
  /** For PNG cards: the chunk the card was read from. */
  pngChunk?: CardChunkKeyword;
  warnings: CardWarning[];
}

export interface ParsedLorebookFile {
  kind: 'lorebook';
  lorebook: Lorebook;
  sourceFormat: LorebookSourceFormat;
  warnings: CardWarning[];
}

export type ParsedFile = ParsedCharacterFile | ParsedLorebookFile;

export interface ParseOptions {
  /** Tighter (or looser) limits than the defaults in limits.ts. */
  limits?: Partial<CardLimits>;
}

/** The file name without folders and without its last extension ("Eldoria.json" -> "Eldoria"). */
export function fileStem(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b /* { */ || bytes[i] === 0x5b /* [ */;
}

/**
 * Reads any supported card or lorebook file. The format comes from the bytes (PNG and zip
 * signatures, JSON's opening brace), never from the file name, which only names things:
 * messages, and a World Info book that has no name of its own.
 *
 * Throws CardError (see errors.ts for codes). Fixes short of an error are listed in
 * `warnings`.
 *
 * @example
 * const parsed = parseCardFile(new Uint8Array(await file.arrayBuffer()), file.name);
 * if (parsed.kind === 'character') save(parsed.character, parsed.assets);
 */
export function parseCardFile(bytes: Uint8Array, fileName?: string, options: ParseOptions = {}): ParsedFile {
  const limits = resolveLimits(options.limits);
  const ctx: NormalizeContext = { warnings: [], limits };
  const label = fileName === undefined ? 'The file' : JSON.stringify(fileName);
  if (bytes.length === 0) throw new CardError('file/empty', `${label} is empty.`);
  if (bytes.length > limits.maxFileBytes) {
    throw new CardError('file/too-large', `${label} is ${bytes.length} bytes; cards up to ${limits.maxFileBytes} bytes are supported.`);
  }

  if (isPng(bytes)) {
    const card = readPngCard(bytes, limits, ctx.warnings);
    const { character, version } = normalizeCharacterCard(card.json, ctx);
    const avatar: Asset = { uri: DEFAULT_ASSET_URI, name: fileName ?? 'avatar.png', mime: 'image/png', bytes: card.image };
    return {
      kind: 'character',
      character,
      assets: [avatar],
      sourceFormat: `v${version}-png`,
      pngChunk: card.chunk,
      warnings: ctx.warnings,
    };
  }

  if (isZip(bytes)) {
    const { json, assets } = readCharx(bytes, limits, ctx.warnings);
    const { character, version } = normalizeCharacterCard(json, ctx);
    return { kind: 'character', character, assets, sourceFormat: `v${version}-charx`, warnings: ctx.warnings };
  }

  if (looksLikeJson(bytes)) {
    const json = parseJson(utf8Decode(bytes), { limits, warnings: ctx.warnings, label });
    return parseJsonDocument(json, ctx, fileName === undefined ? undefined : fileStem(fileName));
  }

  throw new CardError(
    'card/unknown-format',
    `${label} is not a character card or lorebook Troupe can read (expected PNG, CHARX or JSON).`,
  );
}

/**
 * Reads a card or lorebook that is already a JavaScript value, e.g. the JSON SillyTavern's
 * API returns (`/api/characters/get`, `/api/worldinfo/get`). The value is copied first under
 * the depth limit and without `__proto__`/`constructor`/`prototype` keys, as file input is.
 * `name` names a World Info book that has none.
 */
export function parseCardObject(value: unknown, name?: string, options: ParseOptions = {}): ParsedFile {
  const limits = resolveLimits(options.limits);
  const ctx: NormalizeContext = { warnings: [], limits };
  const json = cloneJson(value as JsonValue, limits.maxJsonDepth);
  return parseJsonDocument(json, ctx, name);
}

/** Sorts an already parsed JSON document into character or lorebook. */
function parseJsonDocument(json: JsonValue, ctx: NormalizeContext, name: string | undefined): ParsedFile {
  if (!isJsonObject(json)) throw new CardError('card/unknown-format', 'The JSON is neither a character card nor a lorebook.');
  if (json['spec'] === LOREBOOK_SPEC) {
    for (const key of Object.keys(json)) {
      if (key !== 'spec' && key !== 'data' && key !== 'spec_version') {
        ctx.warnings.push({ path: key, message: `The lorebook file's top-level "${key}" is not part of lorebook_v3; it was dropped.` });
      }
    }
    const lorebook = normalizeLorebook(json['data'], 'data', ctx);
    if (lorebook.name === undefined && name !== undefined) lorebook.name = name;
    return { kind: 'lorebook', lorebook, sourceFormat: 'lorebook_v3', warnings: ctx.warnings };
  }
  const entries = json['entries'];
  if (json['spec'] === undefined && entries !== undefined) {
    const first = Array.isArray(entries) ? entries[0] : undefined;
    const isBook = Array.isArray(entries) && (entries.length === 0 || (isJsonObject(first) && first['keys'] !== undefined));
    if (isBook) {
      const lorebook = normalizeLorebook(json, 'lorebook', ctx);
      if (lorebook.name === undefined && name !== undefined) lorebook.name = name;
      return { kind: 'lorebook', lorebook, sourceFormat: 'character_book', warnings: ctx.warnings };
    }
    return { kind: 'lorebook', lorebook: worldInfoToLorebook(json, ctx, name), sourceFormat: 'st_world_info', warnings: ctx.warnings };
  }
  const { character, version } = normalizeCharacterCard(json, ctx);
  return { kind: 'character', character, assets: [], sourceFormat: `v${version}-json`, warnings: ctx.warnings };
}

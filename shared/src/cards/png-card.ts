/** Character cards inside PNG text chunks (`chara` for V1/V2 readers, `ccv3` for V3). */
import { base64ToBytes, bytesToBase64Ascii, utf8Decode, utf8Encode } from './bytes.ts';
import { CardError, type CardWarning } from './errors.ts';
import type { CardLimits } from './limits.ts';
import type { JsonValue } from './model.ts';
import {
  createMinimalPng,
  encodePng,
  isTextChunk,
  makeTextChunk,
  readPngChunks,
  replaceTextChunks,
  textChunkBytes,
  textChunkKeyword,
  type PngChunk,
  type TextChunkType,
} from './png.ts';
import { parseJson } from './safe-json.ts';

/** Chunk keywords that carry cards, in order of preference (compared case-insensitively). */
export const CARD_CHUNK_KEYWORDS = ['ccv3', 'chara'] as const;
export type CardChunkKeyword = (typeof CARD_CHUNK_KEYWORDS)[number];

export interface PngCard {
  /** The parsed card JSON; its version comes from its `spec`, never from the keyword. */
  json: JsonValue;
  /** The chunk it came from. */
  chunk: CardChunkKeyword;
  /** The image with every card chunk removed, ready to store as the avatar. */
  image: Uint8Array;
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * Decodes a card chunk's payload: base64 of UTF-8 JSON (what every tool writes), or, for
 * lenience, the JSON itself, whose bytes are read as UTF-8 even in a Latin-1 chunk (that
 * is what such files contain in practice).
 */
export function decodeCardPayload(payload: Uint8Array, keyword: string, limits: CardLimits, warnings: CardWarning[]): JsonValue {
  let start = 0;
  while (start < payload.length && isSpace(payload[start]!)) start++;
  const json = payload[start] === 0x7b /* { */ ? utf8Decode(payload.subarray(start)) : utf8Decode(base64ToBytes(payload));
  return parseJson(json, { limits, warnings, label: `The PNG's "${keyword}" chunk` });
}

function findCardChunk(chunks: readonly PngChunk[], keyword: CardChunkKeyword): (PngChunk & { type: TextChunkType }) | undefined {
  for (const chunk of chunks) {
    if (isTextChunk(chunk) && textChunkKeyword(chunk)?.toLowerCase() === keyword) return chunk;
  }
  return undefined;
}

/**
 * Reads the card from a PNG. `ccv3` wins over `chara` when both exist; if `ccv3` is broken
 * and `chara` is fine, `chara` is used and a warning says why.
 */
export function readPngCard(bytes: Uint8Array, limits: CardLimits, warnings: CardWarning[]): PngCard {
  const chunks = readPngChunks(bytes);
  const found = CARD_CHUNK_KEYWORDS.map((keyword) => ({ keyword, chunk: findCardChunk(chunks, keyword) })).filter(
    (item): item is { keyword: CardChunkKeyword; chunk: PngChunk & { type: TextChunkType } } => item.chunk !== undefined,
  );
  if (found.length === 0) {
    throw new CardError('png/no-card-chunk', 'This PNG is an image without a character card in it (no "chara" or "ccv3" chunk).');
  }
  const image = encodePng(replaceTextChunks(chunks, CARD_CHUNK_KEYWORDS, []));
  let firstError: unknown;
  for (const { keyword, chunk } of found) {
    const local: CardWarning[] = [];
    try {
      const json = decodeCardPayload(textChunkBytes(chunk, limits.maxPngTextBytes).bytes, keyword, limits, local);
      if (firstError !== undefined) {
        const reason = firstError instanceof Error ? firstError.message : String(firstError);
        warnings.push({ path: '', message: `The "ccv3" chunk could not be read (${reason}); the "chara" chunk was used.` });
      }
      warnings.push(...local);
      return { json, chunk: keyword, image };
    } catch (error) {
      if (!(error instanceof CardError)) throw error;
      firstError ??= error;
    }
  }
  throw firstError;
}

/**
 * Writes card chunks into a PNG: removes any old `chara`/`ccv3` text chunks and puts a
 * `chara` tEXt (the V2 card) and a `ccv3` tEXt (the V3 card) before IEND, both base64 of
 * UTF-8 JSON, as SillyTavern does. Without an image a 1x1 transparent PNG is used.
 */
export function writePngCard(image: Uint8Array | undefined, charaJson: string, ccv3Json: string): Uint8Array {
  const chunks = readPngChunks(image ?? createMinimalPng());
  const added = [
    makeTextChunk('chara', bytesToBase64Ascii(utf8Encode(charaJson))),
    makeTextChunk('ccv3', bytesToBase64Ascii(utf8Encode(ccv3Json))),
  ];
  return encodePng(replaceTextChunks(chunks, CARD_CHUNK_KEYWORDS, added));
}

/** PNG chunk reading and writing: just enough PNG to carry card text chunks. */
import { zlibSync } from 'fflate';
import { latin1Decode, latin1Encode, readU32BE, startsWith, utf8Decode, writeU32BE } from './bytes.ts';
import { crc32 } from './crc32.ts';
import { CardError } from './errors.ts';
import { inflateLimited, InflateLimitError } from './inflate.ts';

/** The eight bytes every PNG starts with. */
export const PNG_SIGNATURE: readonly number[] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** PNG forbids chunk lengths at or above 2^31. */
const MAX_CHUNK_LENGTH = 0x7fffffff;

export interface PngChunk {
  /** Four-letter chunk type, e.g. `IHDR`, `tEXt`. */
  type: string;
  data: Uint8Array;
}

/** True when the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return startsWith(bytes, PNG_SIGNATURE);
}

function isChunkTypeChar(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/**
 * Splits a PNG into chunks, checking the signature, every length and every CRC, and that
 * the file starts with IHDR and reaches IEND. Bytes after IEND are ignored, as viewers do.
 */
export function readPngChunks(bytes: Uint8Array): PngChunk[] {
  if (!isPng(bytes)) throw new CardError('png/malformed', 'The file does not start with the PNG signature.');
  const chunks: PngChunk[] = [];
  let offset = PNG_SIGNATURE.length;
  for (;;) {
    if (offset + 8 > bytes.length) {
      throw new CardError('png/truncated', 'The PNG ends before its IEND chunk (the file is cut short).');
    }
    const length = readU32BE(bytes, offset);
    if (length > MAX_CHUNK_LENGTH) throw new CardError('png/malformed', `A PNG chunk claims an impossible length (${length}).`);
    const typeBytes = bytes.subarray(offset + 4, offset + 8);
    if (!typeBytes.every(isChunkTypeChar)) {
      throw new CardError('png/malformed', `The PNG has a chunk with an invalid type at byte ${offset + 4}.`);
    }
    const type = latin1Decode(typeBytes);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > bytes.length) {
      throw new CardError('png/truncated', `The PNG's ${type} chunk is cut short.`);
    }
    const expected = readU32BE(bytes, dataEnd);
    const actual = crc32(bytes.subarray(offset + 4, dataEnd));
    if (expected !== actual) {
      throw new CardError('png/bad-crc', `The PNG's ${type} chunk is damaged (its CRC does not match).`);
    }
    if (chunks.length === 0 && type !== 'IHDR') {
      throw new CardError('png/malformed', 'The PNG does not start with an IHDR chunk.');
    }
    chunks.push({ type, data: bytes.subarray(offset + 8, dataEnd) });
    offset = dataEnd + 4;
    if (type === 'IEND') return chunks;
  }
}

/** Joins chunks into a PNG file, computing lengths and CRCs. */
export function encodePng(chunks: readonly PngChunk[]): Uint8Array {
  let total = PNG_SIGNATURE.length;
  for (const chunk of chunks) total += 12 + chunk.data.length;
  const out = new Uint8Array(total);
  out.set(PNG_SIGNATURE, 0);
  let offset = PNG_SIGNATURE.length;
  for (const chunk of chunks) {
    writeU32BE(out, offset, chunk.data.length);
    out.set(latin1Encode(chunk.type), offset + 4);
    out.set(chunk.data, offset + 8);
    writeU32BE(out, offset + 8 + chunk.data.length, crc32(out.subarray(offset + 4, offset + 8 + chunk.data.length)));
    offset += 12 + chunk.data.length;
  }
  return out;
}

export type TextChunkType = 'tEXt' | 'zTXt' | 'iTXt';

/** True for the three PNG text chunk types. */
export function isTextChunk(chunk: PngChunk): chunk is PngChunk & { type: TextChunkType } {
  return chunk.type === 'tEXt' || chunk.type === 'zTXt' || chunk.type === 'iTXt';
}

/** The keyword of a text chunk (up to its first NUL), or undefined when there is none. */
export function textChunkKeyword(chunk: PngChunk): string | undefined {
  const nul = chunk.data.indexOf(0);
  if (nul < 1 || nul > 79) return undefined;
  return latin1Decode(chunk.data.subarray(0, nul));
}

function inflateText(data: Uint8Array, maxBytes: number, keyword: string): Uint8Array {
  try {
    return inflateLimited(data, 'zlib', maxBytes);
  } catch (error) {
    if (error instanceof InflateLimitError) {
      throw new CardError('png/text-too-large', `The PNG's "${keyword}" chunk inflates to more than ${maxBytes} bytes.`);
    }
    throw new CardError('png/bad-text-chunk', `The PNG's "${keyword}" chunk has damaged compressed data.`, { cause: error });
  }
}

export interface TextChunkBytes {
  /** The text's bytes, inflated when the chunk was compressed. */
  bytes: Uint8Array;
  /** tEXt and zTXt are Latin-1 by definition, iTXt is UTF-8. */
  encoding: 'latin1' | 'utf8';
}

/**
 * The text bytes of a tEXt, zTXt or iTXt chunk, compressed ones inflated (at most
 * `maxBytes`). Bytes rather than text, so a large base64 payload never becomes a string.
 */
export function textChunkBytes(chunk: PngChunk & { type: TextChunkType }, maxBytes: number): TextChunkBytes {
  const data = chunk.data;
  const keyword = textChunkKeyword(chunk);
  if (keyword === undefined) throw new CardError('png/bad-text-chunk', `A PNG ${chunk.type} chunk has no keyword.`);
  let offset = keyword.length + 1;
  const tooLarge = (): CardError =>
    new CardError('png/text-too-large', `The PNG's "${keyword}" chunk is larger than ${maxBytes} bytes.`);
  if (chunk.type === 'tEXt') {
    if (data.length - offset > maxBytes) throw tooLarge();
    return { bytes: data.subarray(offset), encoding: 'latin1' };
  }
  if (chunk.type === 'zTXt') {
    if (data[offset] !== 0) {
      throw new CardError('png/bad-text-chunk', `The PNG's "${keyword}" chunk uses an unknown compression method.`);
    }
    return { bytes: inflateText(data.subarray(offset + 1), maxBytes, keyword), encoding: 'latin1' };
  }
  const compressed = data[offset];
  const method = data[offset + 1];
  if (compressed === undefined || method === undefined) {
    throw new CardError('png/bad-text-chunk', `The PNG's "${keyword}" iTXt chunk is cut short.`);
  }
  offset += 2;
  const languageEnd = data.indexOf(0, offset);
  const translatedEnd = languageEnd < 0 ? -1 : data.indexOf(0, languageEnd + 1);
  if (translatedEnd < 0) {
    throw new CardError('png/bad-text-chunk', `The PNG's "${keyword}" iTXt chunk is malformed.`);
  }
  const body = data.subarray(translatedEnd + 1);
  if (compressed === 0) {
    if (body.length > maxBytes) throw tooLarge();
    return { bytes: body, encoding: 'utf8' };
  }
  if (compressed !== 1 || method !== 0) {
    throw new CardError('png/bad-text-chunk', `The PNG's "${keyword}" chunk uses an unknown compression method.`);
  }
  return { bytes: inflateText(body, maxBytes, keyword), encoding: 'utf8' };
}

/** The text of a tEXt, zTXt or iTXt chunk (see textChunkBytes). */
export function decodeTextChunk(chunk: PngChunk & { type: TextChunkType }, maxBytes: number): string {
  const { bytes, encoding } = textChunkBytes(chunk, maxBytes);
  return encoding === 'latin1' ? latin1Decode(bytes) : utf8Decode(bytes);
}

/** A tEXt chunk; `text` must be Latin-1 (callers pass base64, as text or as ASCII bytes). */
export function makeTextChunk(keyword: string, text: string | Uint8Array): PngChunk {
  const keywordBytes = latin1Encode(keyword);
  const textBytes = typeof text === 'string' ? latin1Encode(text) : text;
  const data = new Uint8Array(keywordBytes.length + 1 + textBytes.length);
  data.set(keywordBytes, 0);
  data.set(textBytes, keywordBytes.length + 1);
  return { type: 'tEXt', data };
}

/**
 * A valid 1x1 PNG (one transparent RGBA pixel), the image a card gets when it has none.
 */
export function createMinimalPng(): Uint8Array {
  const ihdr = new Uint8Array(13);
  writeU32BE(ihdr, 0, 1);
  writeU32BE(ihdr, 4, 1);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  // compression, filter and interlace methods stay 0
  const scanline = new Uint8Array([0, 0, 0, 0, 0]); // filter byte + one RGBA pixel
  return encodePng([
    { type: 'IHDR', data: ihdr },
    { type: 'IDAT', data: zlibSync(scanline, { level: 9 }) },
    { type: 'IEND', data: new Uint8Array(0) },
  ]);
}

/**
 * Removes the text chunks whose keyword is in `keywords` (compared case-insensitively) and
 * inserts `added` before IEND. Everything else in the image stays byte for byte.
 */
export function replaceTextChunks(chunks: readonly PngChunk[], keywords: readonly string[], added: readonly PngChunk[]): PngChunk[] {
  const drop = new Set(keywords.map((k) => k.toLowerCase()));
  const kept = chunks.filter((chunk) => {
    if (!isTextChunk(chunk)) return true;
    const keyword = textChunkKeyword(chunk);
    return keyword === undefined || !drop.has(keyword.toLowerCase());
  });
  const iend = kept.findIndex((chunk) => chunk.type === 'IEND');
  const at = iend < 0 ? kept.length : iend;
  return [...kept.slice(0, at), ...added, ...kept.slice(at)];
}

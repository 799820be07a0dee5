/** Byte helpers that work the same in Node, browsers and workers (no Buffer, no DOM). */
import { Base64Error, base64ToBytes as decodeBase64 } from '../bytes/index.ts';
import { CardError } from './errors.ts';

export { bytesToBase64, bytesToBase64Ascii } from '../bytes/index.ts';

/**
 * The platform's UTF-8 codecs where they exist (every browser, worker and Node has them);
 * the shared package is typed without DOM or Node, so they are looked up, not declared.
 * WHATWG defines their replacement behaviour exactly as the fallbacks below implement it,
 * so every runtime turns the same bytes into the same text.
 */
interface NativeCodecs {
  TextDecoder?: new () => { decode(bytes: Uint8Array): string };
  TextEncoder?: new () => { encode(text: string): Uint8Array };
}
const native = globalThis as unknown as NativeCodecs;
const nativeDecoder = native.TextDecoder ? new native.TextDecoder() : undefined;
const nativeEncoder = native.TextEncoder ? new native.TextEncoder() : undefined;

/**
 * base64ToBytes for card parsing: the project's one decoder (@troupe/shared/bytes), its failure a
 * CardError('base64/invalid') so a card reader treats bad base64 like any other broken chunk.
 */
export function base64ToBytes(input: string | Uint8Array): Uint8Array {
  try {
    return decodeBase64(input);
  } catch (error) {
    if (error instanceof Base64Error) throw new CardError('base64/invalid', error.message);
    throw error;
  }
}

/** UTF-8 encode; a lone surrogate becomes U+FFFD. */
export function utf8Encode(text: string): Uint8Array {
  return nativeEncoder ? nativeEncoder.encode(text) : utf8EncodeFallback(text);
}

/** The pure-JS encoder used where TextEncoder is missing (exported for tests). */
export function utf8EncodeFallback(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) {
      out[o++] = c;
    } else if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[o++] = 0xe0 | (c >> 12);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    } else {
      out[o++] = 0xf0 | (c >> 18);
      out[o++] = 0x80 | ((c >> 12) & 63);
      out[o++] = 0x80 | ((c >> 6) & 63);
      out[o++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, o);
}

/**
 * UTF-8 decode; a leading byte-order mark is dropped and each invalid sequence becomes
 * U+FFFD, the way browsers read text files, rather than failing the import.
 */
export function utf8Decode(bytes: Uint8Array): string {
  return nativeDecoder ? nativeDecoder.decode(bytes) : utf8DecodeFallback(bytes);
}

/** The pure-JS decoder used where TextDecoder is missing (exported for tests). */
export function utf8DecodeFallback(bytes: Uint8Array): string {
  const parts: string[] = [];
  const units = new Uint16Array(16384);
  let u = 0;
  let i = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const flush = (): void => {
    parts.push(String.fromCharCode.apply(null, units.subarray(0, u) as unknown as number[]));
    u = 0;
  };
  while (i < bytes.length) {
    if (u >= units.length - 2) flush();
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      units[u++] = b0;
      i++;
      continue;
    }
    let need = 0;
    let cp = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      if (b0 === 0xe0) lower = 0xa0;
      if (b0 === 0xed) upper = 0x9f;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      if (b0 === 0xf0) lower = 0x90;
      if (b0 === 0xf4) upper = 0x8f;
    } else {
      units[u++] = 0xfffd;
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const b = i + j < bytes.length ? bytes[i + j]! : -1;
      if (b < lower || b > upper) break;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (j <= need) {
      // Maximal subpart: the bytes read so far make one replacement character.
      units[u++] = 0xfffd;
      i += j;
      continue;
    }
    i += need + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[u++] = 0xd800 + (cp >> 10);
      units[u++] = 0xdc00 + (cp & 0x3ff);
    } else {
      units[u++] = cp;
    }
  }
  flush();
  return parts.join('');
}

/** ISO-8859-1 decode (PNG tEXt and zTXt chunks are Latin-1 by definition). */
export function latin1Decode(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 16384) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 16384) as unknown as number[]));
  }
  return parts.join('');
}

/** ISO-8859-1 encode; characters above U+00FF (never in keywords or base64) become '?'. */
export function latin1Encode(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[i] = c <= 0xff ? c : 0x3f;
  }
  return out;
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Big-endian (PNG) and little-endian (ZIP) integer access; callers check bounds first. */
export function readU32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeU32BE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 24) & 0xff;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

export function readU16LE(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8);
}

export function readU32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24)) >>> 0;
}

/** Reads a little-endian 64-bit size; exact up to 2^53, which is far past any limit here. */
export function readU64LE(bytes: Uint8Array, offset: number): number {
  return readU32LE(bytes, offset) + readU32LE(bytes, offset + 4) * 0x1_0000_0000;
}

/** True when `bytes` starts with `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

/**
 * The one base64 of the project: standard (with padding) for card chunks, runtime messages and data
 * URLs; base64url (unpadded) for pairing tokens and share links. Uses the platform's
 * Uint8Array.toBase64/fromBase64 where they exist (Chromium has them) and a table-driven codec
 * elsewhere (String.fromCharCode over spread chunks is ~20x slower on 300 KB avatars).
 */

/** Thrown for text that is not base64 of the expected alphabet; `code` is stable. */
export class Base64Error extends Error {
  readonly code = 'base64/invalid';
  constructor(message: string) {
    super(message);
    this.name = 'Base64Error';
  }
}

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const STANDARD_CODES = Uint8Array.from(STANDARD, (c) => c.charCodeAt(0));
const URL_SAFE_CODES = Uint8Array.from(URL_SAFE, (c) => c.charCodeAt(0));
/** Decoding table for both alphabets: some tools write URL-safe base64, and the two never disagree. */
const DECODE = (() => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    table[STANDARD.charCodeAt(i)] = i;
    table[URL_SAFE.charCodeAt(i)] = i;
  }
  return table;
})();
/** Bytes encoded per text slice (bounds the temporary buffer on multi-MB avatars). */
const CHUNK = 3 * 64 * 1024;

interface NativeBase64 {
  toBase64?: (options?: { alphabet?: 'base64' | 'base64url'; omitPadding?: boolean }) => string;
}
interface NativeFromBase64 {
  fromBase64?: (text: string, options?: { alphabet?: 'base64' | 'base64url'; lastChunkHandling?: 'strict' }) => Uint8Array;
}
const nativeFrom = (Uint8Array as unknown as NativeFromBase64).fromBase64;

/** Base64 of `bytes` as ASCII codes (what a PNG text chunk holds). */
export function bytesToBase64Ascii(bytes: Uint8Array, codes: Uint8Array = STANDARD_CODES, pad = true): Uint8Array {
  const whole = Math.floor(bytes.length / 3) * 3;
  const rest = bytes.length - whole;
  const out = new Uint8Array((whole / 3) * 4 + (rest === 0 ? 0 : pad ? 4 : rest + 1));
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = codes[n >> 18]!;
    out[o++] = codes[(n >> 12) & 63]!;
    out[o++] = codes[(n >> 6) & 63]!;
    out[o++] = codes[n & 63]!;
  }
  if (rest > 0) {
    const n = (bytes[whole]! << 16) | (rest === 2 ? bytes[whole + 1]! << 8 : 0);
    out[o++] = codes[n >> 18]!;
    out[o++] = codes[(n >> 12) & 63]!;
    if (rest === 2) out[o++] = codes[(n >> 6) & 63]!;
    else if (pad) out[o++] = 0x3d;
    if (pad) out[o++] = 0x3d;
  }
  return out;
}

function asciiText(codes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < codes.length; i += 8192) text += String.fromCharCode.apply(null, codes.subarray(i, i + 8192) as unknown as number[]);
  return text;
}

function encode(bytes: Uint8Array, codes: Uint8Array, pad: boolean): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK) parts.push(asciiText(bytesToBase64Ascii(bytes.subarray(start, start + CHUNK), codes, pad)));
  return parts.join('');
}

/** Standard base64 with padding. */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & NativeBase64).toBase64;
  return typeof native === 'function' ? native.call(bytes) : encode(bytes, STANDARD_CODES, true);
}

/** Unpadded base64url (RFC 4648 §5): safe in URLs, file names and header tokens. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & NativeBase64).toBase64;
  return typeof native === 'function' ? native.call(bytes, { alphabet: 'base64url', omitPadding: true }) : encode(bytes, URL_SAFE_CODES, false);
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Decodes base64 (standard or URL-safe, padding optional, whitespace ignored) from text or from ASCII
 * bytes (a PNG chunk's payload, read without making a string of it). Throws Base64Error on any other
 * character, misplaced padding or an impossible length, rather than producing garbage.
 */
export function base64ToBytes(input: string | Uint8Array): Uint8Array {
  if (typeof input === 'string' && nativeFrom) {
    // The platform's decoder is strict about the standard alphabet; anything else takes the slow road,
    // which accepts URL-safe text too and names what is wrong.
    try {
      return nativeFrom(input);
    } catch {
      /* fall through */
    }
  }
  const length = input.length;
  const codeAt = typeof input === 'string' ? (i: number): number => input.charCodeAt(i) : (i: number): number => input[i]!;
  const values = new Uint8Array(length);
  let count = 0;
  let padding = 0;
  for (let i = 0; i < length; i++) {
    const code = codeAt(i);
    if (isWhitespace(code)) continue;
    if (code === 0x3d /* = */) {
      padding++;
      continue;
    }
    const value = code < 128 ? DECODE[code]! : -1;
    if (value < 0) throw new Base64Error(`Invalid base64: unexpected character ${JSON.stringify(String.fromCharCode(code))} at offset ${i}.`);
    if (padding > 0) throw new Base64Error('Invalid base64: data after "=" padding.');
    values[count++] = value;
  }
  if (padding > 2 || count % 4 === 1 || (padding > 0 && (count + padding) % 4 !== 0)) {
    throw new Base64Error('Invalid base64: the length is not a whole number of bytes.');
  }
  const out = new Uint8Array(Math.floor((count * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const n = (values[i]! << 18) | (values[i + 1]! << 12) | (values[i + 2]! << 6) | values[i + 3]!;
    out[o++] = (n >> 16) & 0xff;
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  const rest = count - i;
  if (rest === 2) {
    out[o++] = ((values[i]! << 2) | (values[i + 1]! >> 4)) & 0xff;
  } else if (rest === 3) {
    const n = (values[i]! << 10) | (values[i + 1]! << 4) | (values[i + 2]! >> 2);
    out[o++] = (n >> 8) & 0xff;
    out[o++] = n & 0xff;
  }
  return out;
}

/**
 * Decodes unpadded base64url strictly: null for any other character (padding and `+/` included), a
 * length the encoder cannot produce, or non-zero padding bits, so every input has one decoding.
 */
export function base64UrlToBytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bytes = base64ToBytes(text);
  // Re-encoding must give the same text: that refuses non-zero padding bits.
  return bytesToBase64Url(bytes) === text ? bytes : null;
}

/** Bytes a standard base64 text decodes to, without decoding it (for size checks before any work). */
export function base64Size(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** A base64 data URL for the bytes. */
export function dataUrl(mime: string, bytes: Uint8Array): string {
  return `data:${mime};base64,${bytesToBase64(bytes)}`;
}

/** The MIME type and bytes of a base64 data URL, or null when `url` is not one. */
export function parseDataUrl(url: string): { mime: string; bytes: Uint8Array } | null {
  const match = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=]+)$/i.exec(url);
  if (!match) return null;
  try {
    return { mime: match[1]!.toLowerCase(), bytes: base64ToBytes(match[2]!) };
  } catch {
    return null;
  }
}

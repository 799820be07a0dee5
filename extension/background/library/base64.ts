/**
 * Base64 for runtime messages, which are JSON: file bytes cross between the options page and the
 * background as text. Uses the platform's Uint8Array.toBase64/fromBase64 where they exist, else a
 * table-driven encoder (String.fromCharCode over spread chunks is ~20x slower on 300 KB avatars).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Bytes of output turned into text at once (bounds the temporary buffer). */
const CHUNK = 3 * 64 * 1024;
const ascii = new TextDecoder('latin1');

interface NativeBase64 {
  toBase64?: () => string;
}
interface NativeFromBase64 {
  fromBase64?: (text: string) => Uint8Array;
}

/** The bytes as standard base64 (with padding). */
export function bytesToBase64(bytes: Uint8Array): string {
  const native = bytes as Uint8Array & NativeBase64;
  if (typeof native.toBase64 === 'function') return native.toBase64();
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    const out = new Uint8Array(Math.ceil((end - start) / 3) * 4);
    let o = 0;
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out[o++] = CODES[n >> 18]!;
      out[o++] = CODES[(n >> 12) & 63]!;
      out[o++] = CODES[(n >> 6) & 63]!;
      out[o++] = CODES[n & 63]!;
    }
    if (i < end) {
      const n = (bytes[i]! << 16) | (i + 1 < end ? bytes[i + 1]! << 8 : 0);
      out[o++] = CODES[n >> 18]!;
      out[o++] = CODES[(n >> 12) & 63]!;
      out[o++] = i + 1 < end ? CODES[(n >> 6) & 63]! : 61; // '='
      out[o++] = 61;
    }
    parts.push(ascii.decode(out));
  }
  return parts.join('');
}

/** Standard base64 back to bytes; throws on anything that is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  const native = Uint8Array as unknown as NativeFromBase64;
  if (typeof native.fromBase64 === 'function') return native.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Bytes a base64 text decodes to, without decoding it (for size checks before any work). */
export function base64Size(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}

/** A data URL for the bytes. */
export function dataUrl(mime: string, bytes: Uint8Array): string {
  return `data:${mime};base64,${bytesToBase64(bytes)}`;
}

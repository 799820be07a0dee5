import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { randomBytes } from './webcrypto.ts';

/**
 * A pack's id on the relay: 128 random bits, so ids cannot be guessed or enumerated (the link, not
 * the id, is the secret, but nobody should be able to list packs either). 22 base64url characters.
 */
export const PACK_ID_BYTES = 16;
export const PACK_ID_CHARS = 22;

const PACK_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A fresh pack id. The relay draws it; clients never choose one. */
export function createPackId(): string {
  return bytesToBase64Url(randomBytes(PACK_ID_BYTES));
}

/** True for text that is a pack id (22 base64url characters that decode to 16 bytes, canonically). */
export function isValidPackId(text: string): boolean {
  return PACK_ID_PATTERN.test(text) && base64UrlToBytes(text)?.length === PACK_ID_BYTES;
}

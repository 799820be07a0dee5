import { utf8Encode } from '../cards/bytes.ts';
import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { PackError } from './errors.ts';
import { randomBytes, webCrypto } from './webcrypto.ts';

/**
 * The publisher secret: the right to publish a new version of a pack or revoke it. 256 random bits
 * made on the publishing device, kept there with the pack's id and key, never in the link. The
 * relay learns only its hash when the pack is created, and sees the secret itself only when it is
 * used (PUT or DELETE), when it compares the hash.
 */
export type PublisherSecret = string;

export const PUBLISHER_SECRET_BYTES = 32;

/** Label hashed with the secret: versions the derivation and keeps the hash apart from any other use of SHA-256. */
const HASH_LABEL = 'troupe-pack-publisher.v1:';

const HASH_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A fresh publisher secret (43 base64url characters). */
export function createPublisherSecret(): PublisherSecret {
  return bytesToBase64Url(randomBytes(PUBLISHER_SECRET_BYTES));
}

/** True for text that is a publisher secret (32 bytes of base64url). */
export function isPublisherSecret(text: string): boolean {
  return base64UrlToBytes(text)?.length === PUBLISHER_SECRET_BYTES;
}

/**
 * What the relay stores and compares: base64url(SHA-256("troupe-pack-publisher.v1:" + secret)),
 * 43 characters. Throws PackError('publisher/bad-secret') for text that is not a publisher secret.
 *
 * @example
 * const secret = createPublisherSecret();   // keep on this device
 * await fetch(`${relay}/packs`, { method: 'POST', body: ciphertext, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(secret) } });
 */
export async function publisherHash(secret: PublisherSecret): Promise<string> {
  if (!isPublisherSecret(secret)) throw new PackError('publisher/bad-secret', 'The publisher secret is not 32 bytes of base64url.');
  const digest = await webCrypto().subtle.digest('SHA-256', utf8Encode(HASH_LABEL + secret));
  return bytesToBase64Url(new Uint8Array(digest));
}

/** True for text shaped like a publisher hash (what POST /packs must carry). */
export function isPublisherHash(text: string): boolean {
  return HASH_PATTERN.test(text) && base64UrlToBytes(text)?.length === 32;
}

import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { PairingError } from './errors.ts';
import { MAX_SECRET_BYTES, MIN_SECRET_BYTES, SECRET_BYTES } from './limits.ts';
import { webCrypto } from './webcrypto.ts';

/** A pairing secret as text: unpadded base64url of at least 128 random bits. */
export type PairingSecret = string;

/** Makes a new pairing secret on the first device (256 random bits from WebCrypto). */
export function createPairingSecret(): PairingSecret {
  return bytesToBase64Url(webCrypto().getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** Decodes and checks a pairing secret; throws PairingError('pairing/bad-secret') on junk or a short secret. */
export function pairingSecretBytes(secret: PairingSecret): Uint8Array {
  const bytes = base64UrlToBytes(secret);
  if (!bytes) throw new PairingError('pairing/bad-secret', 'The pairing secret is not valid base64url text.');
  if (bytes.length < MIN_SECRET_BYTES || bytes.length > MAX_SECRET_BYTES) {
    throw new PairingError(
      'pairing/bad-secret',
      `The pairing secret must hold ${MIN_SECRET_BYTES}-${MAX_SECRET_BYTES} bytes, this one holds ${bytes.length}.`,
    );
  }
  return bytes;
}

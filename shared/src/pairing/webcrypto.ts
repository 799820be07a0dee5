import { platformCrypto } from '../bytes/index.ts';
import { PairingError } from './errors.ts';

/**
 * The slice of WebCrypto that pairing needs, typed here because `shared/` compiles without DOM or
 * Node typings. Browsers, extension workers and Node >= 19 all expose it as `globalThis.crypto`.
 */
export interface HmacKey {
  readonly type: string;
}

interface SubtleSubset {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: 'HMAC'; hash: 'SHA-256' },
    extractable: boolean,
    keyUsages: Array<'sign'>,
  ): Promise<HmacKey>;
  sign(algorithm: 'HMAC', key: HmacKey, data: Uint8Array): Promise<ArrayBuffer>;
}

interface CryptoSubset {
  readonly subtle: SubtleSubset;
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** The platform's WebCrypto, or a PairingError where there is none (e.g. an insecure page context). */
export function webCrypto(): CryptoSubset {
  return platformCrypto<CryptoSubset>(() => new PairingError('pairing/no-webcrypto', 'This context has no WebCrypto (crypto.subtle); pairing needs it.'));
}

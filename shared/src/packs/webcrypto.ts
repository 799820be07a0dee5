import { platformCrypto } from '../bytes/index.ts';
import { PackError } from './errors.ts';

/**
 * The slice of WebCrypto that packs need (AES-GCM, SHA-256, random bytes), typed here because
 * `shared/` compiles without DOM or Node typings. Browsers, extension workers and Node >= 19 all
 * expose it as `globalThis.crypto`.
 */
export interface AesKey {
  readonly type: string;
}

export interface AesGcmParams {
  name: 'AES-GCM';
  iv: Uint8Array;
  additionalData: Uint8Array;
  tagLength: 128;
}

interface SubtleSubset {
  importKey(format: 'raw', keyData: Uint8Array, algorithm: 'AES-GCM', extractable: boolean, keyUsages: Array<'encrypt' | 'decrypt'>): Promise<AesKey>;
  encrypt(params: AesGcmParams, key: AesKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(params: AesGcmParams, key: AesKey, data: Uint8Array): Promise<ArrayBuffer>;
  digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer>;
}

interface CryptoSubset {
  readonly subtle: SubtleSubset;
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** The platform's WebCrypto, or PackError('pack/unsupported-runtime') where there is none (an insecure page). */
export function webCrypto(): CryptoSubset {
  return platformCrypto<CryptoSubset>(() => new PackError('pack/unsupported-runtime', 'This context has no WebCrypto (crypto.subtle); packs need it.'));
}

/** `count` random bytes from WebCrypto. */
export function randomBytes(count: number): Uint8Array {
  return webCrypto().getRandomValues(new Uint8Array(count));
}

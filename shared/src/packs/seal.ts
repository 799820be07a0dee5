/**
 * Sealing and opening: content -> gzip -> AES-GCM-256 under a random key that lives only in the
 * link's fragment, so the relay stores bytes it cannot read.
 */
import { base64UrlToBytes, bytesToBase64Url } from '../bytes/index.ts';
import { decodePackContent, encodePackContent } from './content-format.ts';
import { readEnvelope, writeEnvelopeHeader, PACK_ENVELOPE_HEADER_BYTES, PACK_IV_BYTES, PACK_TAG_BYTES } from './envelope.ts';
import { PackError } from './errors.ts';
import { gunzip, gzip } from './gzip.ts';
import { MAX_PLAIN_PACK_BYTES, MAX_SEALED_PACK_BYTES } from './limits.ts';
import type { OpenedPack, Pack } from './model.ts';
import { randomBytes, webCrypto, type AesGcmParams, type AesKey } from './webcrypto.ts';

/** A pack key as the link carries it: 32 bytes (AES-256) as 43 base64url characters. */
export type PackKey = string;

export const PACK_KEY_BYTES = 32;
export const PACK_KEY_CHARS = 43;

export interface SealedPack {
  /** The whole envelope (envelope.ts): what is uploaded to the relay. */
  ciphertext: Uint8Array;
  key: PackKey;
}

/** A fresh pack key. */
export function createPackKey(): PackKey {
  return bytesToBase64Url(randomBytes(PACK_KEY_BYTES));
}

/** The key's 32 bytes, or PackError('pack/bad-key') for anything else (a cut-off or mangled key). */
export function packKeyBytes(key: PackKey): Uint8Array {
  const bytes = base64UrlToBytes(key);
  if (!bytes || bytes.length !== PACK_KEY_BYTES) {
    const hint = /^[A-Za-z0-9_-]*$/.test(key) && key.length < PACK_KEY_CHARS ? ` (it has ${key.length} of ${PACK_KEY_CHARS} characters: the link was cut short)` : '';
    throw new PackError('pack/bad-key', `The pack key is not valid${hint}.`);
  }
  return bytes;
}

/**
 * Seals a pack: checks it exactly as a recipient will (so the publisher, not the recipient, learns
 * that a card is refused), compresses it, and encrypts it with AES-GCM-256 under a fresh random key
 * and a fresh random IV. Pass the pack's existing key to seal a new version behind the same link.
 * Throws PackError (`pack/too-large`, `pack/bad-card`, ...).
 *
 * @example
 * const { ciphertext, key } = await sealPack({ format: 1, createdAt: Date.now(), characters, lorebooks: [] });
 * const { id } = await (await fetch(`${relay}/packs`, { method: 'POST', body: ciphertext, headers })).json();
 * share(packLink(relay, id, key));
 */
export async function sealPack(pack: Pack, options: { key?: PackKey } = {}): Promise<SealedPack> {
  const content = encodePackContent(pack);
  decodePackContent(content);
  const compressed = await gzip(content);
  const total = PACK_ENVELOPE_HEADER_BYTES + compressed.length + PACK_TAG_BYTES;
  if (total > MAX_SEALED_PACK_BYTES) {
    throw new PackError('pack/too-large', `The sealed pack would be ${total} bytes; packs up to ${MAX_SEALED_PACK_BYTES} bytes can be shared.`);
  }
  const key = options.key ?? createPackKey();
  const iv = randomBytes(PACK_IV_BYTES);
  const header = writeEnvelopeHeader(iv, compressed.length + PACK_TAG_BYTES);
  const sealed = await webCrypto().subtle.encrypt(params(iv, header), await importKey(key, 'encrypt'), compressed);
  const ciphertext = new Uint8Array(total);
  ciphertext.set(header, 0);
  ciphertext.set(new Uint8Array(sealed), PACK_ENVELOPE_HEADER_BYTES);
  return { ciphertext, key };
}

/**
 * Opens a sealed pack with the key from its link, checking everything before returning anything:
 * the envelope, the cipher's tag, the decompressed size, the manifest, and every card and lorebook
 * through the card library. Throws PackError: `pack/bad-key`, `pack/not-a-pack`, `pack/truncated`,
 * `pack/newer-format`, `pack/cannot-decrypt` (wrong key, or altered bytes), `pack/too-large`,
 * `pack/too-many`, `pack/corrupt`, `pack/bad-card`, `pack/bad-asset`, `pack/bad-persona`...
 */
export async function openPack(sealed: Uint8Array, key: PackKey): Promise<OpenedPack> {
  const cryptoKey = await importKey(key, 'decrypt');
  const envelope = readEnvelope(sealed);
  let compressed: Uint8Array;
  try {
    compressed = new Uint8Array(await webCrypto().subtle.decrypt(params(envelope.iv, envelope.header), cryptoKey, envelope.ciphertext));
  } catch (error) {
    throw new PackError('pack/cannot-decrypt', "The link's key does not open this pack, or the pack was altered after it was sealed.", { cause: error });
  }
  return decodePackContent(await gunzip(compressed, MAX_PLAIN_PACK_BYTES));
}

function importKey(key: PackKey, usage: 'encrypt' | 'decrypt'): Promise<AesKey> {
  return webCrypto().subtle.importKey('raw', packKeyBytes(key), 'AES-GCM', false, [usage]);
}

function params(iv: Uint8Array, header: Uint8Array): AesGcmParams {
  return { name: 'AES-GCM', iv, additionalData: header, tagLength: 128 };
}

import { randomBytes, webcrypto } from 'node:crypto';
import { PACK_ENVELOPE_HEADER_BYTES, PACK_ENVELOPE_MAGIC, PACK_ENVELOPE_VERSION, PACK_TAG_BYTES, packKeyBytes } from '@troupe/shared/packs';

/**
 * Bytes shaped like a sealed pack (magic, version, IV, length) with `bodyBytes` of random
 * "ciphertext": all the relay checks. Tests that need a pack that opens use sealPack.
 */
export function fakeSealedPack(bodyBytes = 256): Uint8Array {
  const length = Math.max(bodyBytes, PACK_TAG_BYTES);
  const out = new Uint8Array(PACK_ENVELOPE_HEADER_BYTES + length);
  out.set(PACK_ENVELOPE_MAGIC, 0);
  out[4] = PACK_ENVELOPE_VERSION;
  out.set(randomBytes(12), 5);
  new DataView(out.buffer).setUint32(17, length);
  out.set(randomBytes(length), PACK_ENVELOPE_HEADER_BYTES);
  return out;
}

/** A settable clock for expiry tests. */
export function testClock(start = 1_800_000_000_000): { now: () => number; advance(ms: number): void; value: number } {
  const clock = {
    value: start,
    now: () => clock.value,
    advance(ms: number) {
      clock.value += ms;
    },
  };
  return clock;
}

/**
 * Seals content bytes exactly as sealPack does (gzip, AES-GCM-256 under `key`, envelope header as
 * additional data) but without sealPack's checks: what a hostile or broken publisher could upload.
 */
export async function sealUnchecked(content: Uint8Array, key: string): Promise<Uint8Array> {
  const gzipped = new Uint8Array(await new Response(new Blob([content as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const header = new Uint8Array(PACK_ENVELOPE_HEADER_BYTES);
  header.set(PACK_ENVELOPE_MAGIC, 0);
  header[4] = PACK_ENVELOPE_VERSION;
  header.set(iv, 5);
  new DataView(header.buffer).setUint32(17, gzipped.length + PACK_TAG_BYTES);
  const cryptoKey = await webcrypto.subtle.importKey('raw', packKeyBytes(key), 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: header, tagLength: 128 }, cryptoKey, gzipped));
  const out = new Uint8Array(header.length + sealed.length);
  out.set(header);
  out.set(sealed, header.length);
  return out;
}

/** Pack content (format 1) holding one character whose card JSON is `cardJson`, as written, unchecked. */
export function packContentWithCard(cardJson: string): Uint8Array {
  const card = new TextEncoder().encode(cardJson);
  const manifest = new TextEncoder().encode(JSON.stringify({ createdAt: 1, characters: [{ card: card.length, assets: [] }], lorebooks: [], personas: [] }));
  const out = new Uint8Array(5 + manifest.length + card.length);
  out[0] = 1;
  new DataView(out.buffer).setUint32(1, manifest.length);
  out.set(manifest, 5);
  out.set(card, 5 + manifest.length);
  return out;
}

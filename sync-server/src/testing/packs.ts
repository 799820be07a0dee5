import { randomBytes } from 'node:crypto';
import { PACK_ENVELOPE_HEADER_BYTES, PACK_ENVELOPE_MAGIC, PACK_ENVELOPE_VERSION, PACK_TAG_BYTES } from '@troupe/shared/packs';

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

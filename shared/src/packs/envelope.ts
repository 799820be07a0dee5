/**
 * The sealed envelope, version 1: what the relay stores and a link downloads.
 *
 *   offset 0   4 bytes  magic "TRPK"
 *   offset 4   u8       envelope version (PACK_ENVELOPE_VERSION = 1)
 *   offset 5   12 bytes AES-GCM IV, fresh and random for every sealing
 *   offset 17  u32 BE   length L of what follows
 *   offset 21  L bytes  AES-GCM-256 ciphertext of the gzipped content, then its 16-byte tag
 *
 * The 21 header bytes are the cipher's additional data, so changing any of them fails decryption
 * like changing the ciphertext does. The length makes a cut-off download recognisable before
 * decrypting ("truncated" rather than "wrong key"). The relay reads only this header.
 */
import { readU32BE, writeU32BE } from '../cards/bytes.ts';
import { PackError } from './errors.ts';
import { MAX_SEALED_PACK_BYTES } from './limits.ts';

export const PACK_ENVELOPE_MAGIC = Uint8Array.of(0x54, 0x52, 0x50, 0x4b); // "TRPK"
export const PACK_ENVELOPE_VERSION = 1;
export const PACK_IV_BYTES = 12;
export const PACK_TAG_BYTES = 16;
export const PACK_ENVELOPE_HEADER_BYTES = 4 + 1 + PACK_IV_BYTES + 4;

/** A version-1 envelope taken apart (views into the input). */
export interface PackEnvelope {
  /** The 21 header bytes: the cipher's additional data. */
  header: Uint8Array;
  iv: Uint8Array;
  /** Ciphertext followed by the tag. */
  ciphertext: Uint8Array;
}

/** The header for a ciphertext (with tag) of `length` bytes. */
export function writeEnvelopeHeader(iv: Uint8Array, length: number): Uint8Array {
  const header = new Uint8Array(PACK_ENVELOPE_HEADER_BYTES);
  header.set(PACK_ENVELOPE_MAGIC, 0);
  header[4] = PACK_ENVELOPE_VERSION;
  header.set(iv, 5);
  writeU32BE(header, 5 + PACK_IV_BYTES, length);
  return header;
}

/**
 * Takes a sealed pack apart, or throws PackError naming what is wrong: `pack/not-a-pack`,
 * `pack/newer-format`, `pack/truncated`, `pack/too-large`, or `pack/cannot-decrypt` for bytes after
 * the end (something was appended: the pack was altered).
 */
export function readEnvelope(bytes: Uint8Array): PackEnvelope {
  const version = envelopeVersion(bytes);
  if (version > PACK_ENVELOPE_VERSION) {
    throw new PackError('pack/newer-format', `This pack was sealed by a newer Troupe (envelope ${version}); update Troupe to open it.`);
  }
  if (bytes.length < PACK_ENVELOPE_HEADER_BYTES) throw truncated(bytes.length, PACK_ENVELOPE_HEADER_BYTES);
  const length = readU32BE(bytes, 5 + PACK_IV_BYTES);
  if (length < PACK_TAG_BYTES) throw new PackError('pack/not-a-pack', 'This is not a Troupe pack (its sealed part is too short to be one).');
  const total = PACK_ENVELOPE_HEADER_BYTES + length;
  if (total > MAX_SEALED_PACK_BYTES) throw new PackError('pack/too-large', `The pack is ${total} bytes; packs up to ${MAX_SEALED_PACK_BYTES} bytes are allowed.`);
  if (bytes.length < total) throw truncated(bytes.length, total);
  if (bytes.length > total) throw new PackError('pack/cannot-decrypt', 'The pack has bytes after its end: it was altered after it was sealed.');
  return {
    header: bytes.subarray(0, PACK_ENVELOPE_HEADER_BYTES),
    iv: bytes.subarray(5, 5 + PACK_IV_BYTES),
    ciphertext: bytes.subarray(PACK_ENVELOPE_HEADER_BYTES),
  };
}

/**
 * What the relay checks of an upload, knowing no key: the magic and, for envelopes this code knows,
 * that the length matches the header. A newer envelope version passes (clients judge it), so an
 * older relay keeps storing packs made by newer Troupes. Throws PackError as readEnvelope does.
 */
export function checkSealedPack(bytes: Uint8Array): { version: number } {
  const version = envelopeVersion(bytes);
  if (version === PACK_ENVELOPE_VERSION) readEnvelope(bytes);
  else if (bytes.length > MAX_SEALED_PACK_BYTES) throw new PackError('pack/too-large', `Packs up to ${MAX_SEALED_PACK_BYTES} bytes are allowed.`);
  return { version };
}

/** The envelope version after checking the magic; `pack/truncated` when even those 5 bytes are cut. */
function envelopeVersion(bytes: Uint8Array): number {
  const seen = Math.min(bytes.length, PACK_ENVELOPE_MAGIC.length);
  for (let i = 0; i < seen; i++) {
    if (bytes[i] !== PACK_ENVELOPE_MAGIC[i]) throw new PackError('pack/not-a-pack', 'This is not a Troupe pack.');
  }
  if (bytes.length < 5) throw truncated(bytes.length, PACK_ENVELOPE_HEADER_BYTES);
  const version = bytes[4]!;
  if (version === 0) throw new PackError('pack/not-a-pack', 'This is not a Troupe pack (envelope version 0).');
  return version;
}

function truncated(have: number, need: number): PackError {
  return new PackError('pack/truncated', `The pack is cut short: ${have} of ${need} bytes arrived.`);
}

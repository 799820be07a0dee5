/**
 * A PNG card's image, handed on as pieces of the picked file instead of a copy of its bytes. The
 * card reader returns the image rebuilt without its card chunks (a fresh 100 KB-1 MB array); making
 * a Blob of that copies it once more into the browser (~3 ms per card, most of a big import's
 * page-side time), while a Blob made of file slices is only a reference to bytes already on disk.
 * The slices are found by matching the rebuilt image's chunks, in order, against the file's: when
 * they do not all match, the caller sends the bytes as before.
 */

/** The PNG signature's length: both files start with the same eight bytes or nothing is matched. */
const SIGNATURE_BYTES = 8;
/** A chunk's length, type and CRC fields around its data. */
const CHUNK_OVERHEAD = 12;
/**
 * Chunks up to this size are compared byte for byte; bigger ones (image data) by length, type and
 * CRC, which the reader checked in both files: comparing a 300 KB IDAT byte by byte would cost a
 * third of what the slices save.
 */
const FULL_COMPARE_BYTES = 64 * 1024;

/**
 * Where the bytes of `image` lie in `file`, as [start, end) ranges in order; null unless `image` is
 * `file`'s signature and some of its chunks, unchanged and in the file's order. Both must be PNGs
 * whose chunk CRCs were checked (the card reader does).
 * @example imageRanges(fileBytes, parsed.assets[0].bytes) // [[0, 262_155], [271_005, 271_017]]
 */
export function imageRanges(file: Uint8Array, image: Uint8Array): [number, number][] | null {
  if (image.length < SIGNATURE_BYTES || !sameBytes(file, 0, image, 0, SIGNATURE_BYTES)) return null;
  const ranges: [number, number][] = [[0, SIGNATURE_BYTES]];
  let at = SIGNATURE_BYTES;
  for (let out = SIGNATURE_BYTES; out < image.length;) {
    const size = chunkSize(image, out);
    if (size === null) return null;
    // Skip the file's chunks the image left out (the card's text chunks) until this one.
    for (;;) {
      const here = chunkSize(file, at);
      if (here === null) return null;
      if (here === size && sameChunk(file, at, image, out, size)) break;
      at += here;
    }
    const last = ranges[ranges.length - 1]!;
    if (last[1] === at) last[1] = at + size;
    else ranges.push([at, at + size]);
    at += size;
    out += size;
  }
  return ranges;
}

/** The whole size of the chunk at `offset`, or null when the bytes end before it does. */
function chunkSize(bytes: Uint8Array, offset: number): number | null {
  if (offset + CHUNK_OVERHEAD > bytes.length) return null;
  const size = ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
  return offset + CHUNK_OVERHEAD + size <= bytes.length ? CHUNK_OVERHEAD + size : null;
}

/** Same chunk: every byte of a small one; the length and type and the CRC of a big one. */
function sameChunk(file: Uint8Array, at: number, image: Uint8Array, out: number, size: number): boolean {
  if (size <= FULL_COMPARE_BYTES) return sameBytes(file, at, image, out, size);
  return sameBytes(file, at, image, out, 8) && sameBytes(file, at + size - 4, image, out + size - 4, 4);
}

function sameBytes(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number): boolean {
  if (aStart + length > a.length || bStart + length > b.length) return false;
  for (let i = 0; i < length; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

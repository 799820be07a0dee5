/**
 * How an asset's bytes are laid out for sync: content-addressed (SHA-256), cut into parts of at most
 * BLOB_PART_BYTES, each part in its own Y.Doc whose doc id is `blob:<sha256>:<part>` (the relay room
 * is derived from that id with the pairing keys; opening rooms is the extension's business). A part
 * is immutable: the first device to upload it writes it, later ones find it there and write nothing.
 *
 * Part doc layout (format 1):
 *   blob  Y.Map { format: 1, hash, part, parts, size, bytes: Uint8Array }
 * `size` is the whole blob's. Every part ever written carries its format; a reader refuses a part of
 * a newer format (DocError('doc/too-new')), and one whose hash or part number is not the one asked
 * for, or whose bytes do not fit the split (DocError('doc/bad-blob')). The joined bytes are checked
 * against the hash before anyone stores them.
 */
import type * as Y from 'yjs';
import { DocError } from './errors.ts';
import { checkLayoutVersion, type LayoutVersion } from './layout-version.ts';
import { BLOB_PART_BYTES } from './limits.ts';

export const BLOB_PART_FORMAT = 1;

const PART_LAYOUT: LayoutVersion = { name: 'A blob part', current: BLOB_PART_FORMAT };

/** The doc id (not the room name: that is derived from it with the pairing keys) of one part. */
export function blobPartDocId(hash: string, part: number): string {
  return `blob:${hash}:${part}`;
}

/** How many parts a blob of `size` bytes travels in (an empty blob still has one, empty part). */
export function partCount(size: number): number {
  return Math.max(1, Math.ceil(size / BLOB_PART_BYTES));
}

/** The bytes of part `part` of a blob. */
export function partBytes(bytes: Uint8Array, part: number): Uint8Array {
  return bytes.subarray(part * BLOB_PART_BYTES, Math.min(bytes.length, (part + 1) * BLOB_PART_BYTES));
}

function blobMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>('blob');
}

/** True when the part doc holds bytes (whatever their format): an upload has nothing to add. */
export function hasPart(doc: Y.Doc): boolean {
  return blobMap(doc).has('bytes');
}

/** Writes one part into an empty part doc, in one transaction with `origin`. */
export function writePart(doc: Y.Doc, hash: string, size: number, part: number, bytes: Uint8Array, origin: unknown): void {
  doc.transact(() => {
    const map = blobMap(doc);
    map.set('format', BLOB_PART_FORMAT);
    map.set('hash', hash);
    map.set('part', part);
    map.set('parts', partCount(size));
    map.set('size', size);
    map.set('bytes', bytes);
  }, origin);
}

/** Empties a part doc (the blob is no longer used; the relay's compaction then drops the bytes). */
export function clearPart(doc: Y.Doc, origin: unknown): void {
  doc.transact(() => {
    const map = blobMap(doc);
    for (const key of [...map.keys()]) map.delete(key);
  }, origin);
}

/**
 * The bytes of the part, or null while nobody uploaded it. Throws DocError('doc/too-new') for a part
 * of a newer format, DocError('doc/bad-blob') when the part is not the one asked for or cannot be
 * part of a blob of `size` bytes.
 */
export function readPart(doc: Y.Doc, hash: string, size: number, part: number): Uint8Array | null {
  const map = blobMap(doc);
  const bytes = map.get('bytes');
  if (bytes === undefined) return null;
  checkLayoutVersion(PART_LAYOUT, map.get('format'));
  if (map.get('hash') !== hash || map.get('part') !== part || map.get('size') !== size) throw new DocError('doc/bad-blob', 'Blob part does not belong to the asset it was asked for.');
  const expected = Math.min(BLOB_PART_BYTES, size - part * BLOB_PART_BYTES);
  if (!(bytes instanceof Uint8Array) || bytes.length !== Math.max(0, expected)) throw new DocError('doc/bad-blob', 'Blob part has the wrong length.');
  return bytes;
}

/** The slice of WebCrypto hashing needs, typed here because shared/ compiles without DOM or Node typings. */
interface Digest {
  subtle: { digest(algorithm: 'SHA-256', data: Uint8Array): Promise<ArrayBuffer> };
}

/** SHA-256 of the bytes as lowercase hex: a blob's address. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const { subtle } = (globalThis as unknown as { crypto: Digest }).crypto;
  const digest = new Uint8Array(await subtle.digest('SHA-256', bytes));
  let out = '';
  for (const byte of digest) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Joins parts and checks the whole against its address; throws DocError('doc/bad-blob') on a mismatch. */
export async function joinVerified(parts: readonly Uint8Array[], hash: string, size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    if (at + part.length > size) throw new DocError('doc/bad-blob', 'Blob parts are longer than the blob.');
    bytes.set(part, at);
    at += part.length;
  }
  if (at !== size) throw new DocError('doc/bad-blob', 'Blob parts are shorter than the blob.');
  if ((await sha256Hex(bytes)) !== hash) throw new DocError('doc/bad-blob', 'Blob bytes do not match their hash.');
  return bytes;
}

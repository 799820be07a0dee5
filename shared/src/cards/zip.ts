/**
 * A small, defensive ZIP reader and writer for CHARX. The reader trusts nothing in the
 * archive: entry count, declared sizes, real inflated sizes, CRCs and paths are all checked
 * before or while the data is touched.
 */
import { deflateSync } from 'fflate';
import { latin1Decode, readU16LE, readU32LE, readU64LE, utf8Decode, utf8Encode } from './bytes.ts';
import { crc32 } from './crc32.ts';
import { CardError } from './errors.ts';
import { inflateLimited, InflateLimitError } from './inflate.ts';
import type { CardLimits } from './limits.ts';

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_ZIP64_END = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
/** 1980-01-01 00:00 in DOS format: written for every file so the same card zips to the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;

export interface ZipFile {
  /** Path inside the archive, `/`-separated, already checked by checkZipPath. */
  path: string;
  bytes: Uint8Array;
}

/**
 * Checks that a path inside an archive cannot point outside it or mean two things: no `..`,
 * `.` or empty segment, no leading `/`, no drive letter, no backslash, no NUL. Throws
 * `zip/path-traversal`; returns the path unchanged.
 */
export function checkZipPath(path: string): string {
  const fail = (why: string): never => {
    throw new CardError('zip/path-traversal', `The archive holds an unsafe path ${JSON.stringify(path)} (${why}).`);
  };
  if (path === '') fail('empty');
  if (path.includes('\0')) fail('NUL character');
  if (path.includes('\\')) fail('backslash');
  if (path.startsWith('/')) fail('absolute path');
  if (/^[A-Za-z]:/.test(path)) fail('drive letter');
  const segments = path.split('/');
  // A trailing slash marks a directory entry; its empty last segment is fine.
  const inner = path.endsWith('/') ? segments.slice(0, -1) : segments;
  for (const segment of inner) {
    if (segment === '..') fail('parent directory');
    if (segment === '.' || segment === '') fail('empty or "." segment');
  }
  return path;
}

interface CentralEntry {
  path: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function findEndRecord(bytes: Uint8Array): number {
  const lowest = Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT);
  for (let offset = bytes.length - END_RECORD_SIZE; offset >= lowest; offset--) {
    if (readU32LE(bytes, offset) === SIG_END) return offset;
  }
  throw new CardError('zip/malformed', 'The file looks like a zip but has no end-of-archive record (it may be cut short).');
}

function malformed(message: string): CardError {
  return new CardError('zip/malformed', message);
}

function readDirectory(bytes: Uint8Array, limits: CardLimits): CentralEntry[] {
  const end = findEndRecord(bytes);
  if (readU16LE(bytes, end + 4) !== 0 || readU16LE(bytes, end + 6) !== 0) {
    throw new CardError('zip/unsupported', 'Archives split over several disks are not supported.');
  }
  let count = readU16LE(bytes, end + 10);
  let directorySize = readU32LE(bytes, end + 12);
  let directoryOffset = readU32LE(bytes, end + 16);
  if (count === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = end - 20;
    if (locator < 0 || readU32LE(bytes, locator) !== SIG_ZIP64_LOCATOR) throw malformed('The zip64 archive has no zip64 locator.');
    const zip64End = readU64LE(bytes, locator + 8);
    if (zip64End + 56 > bytes.length || readU32LE(bytes, zip64End) !== SIG_ZIP64_END) {
      throw malformed('The zip64 end record is missing.');
    }
    count = readU64LE(bytes, zip64End + 32);
    directorySize = readU64LE(bytes, zip64End + 40);
    directoryOffset = readU64LE(bytes, zip64End + 48);
  }
  if (count > limits.maxZipEntries) {
    throw new CardError('zip/too-many-entries', `The archive has ${count} entries; at most ${limits.maxZipEntries} are allowed.`);
  }
  if (directoryOffset + directorySize > bytes.length) throw malformed('The zip directory points past the end of the file.');

  const entries: CentralEntry[] = [];
  let offset = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || readU32LE(bytes, offset) !== SIG_CENTRAL) {
      throw malformed('The zip directory is damaged.');
    }
    const flags = readU16LE(bytes, offset + 8);
    const nameLength = readU16LE(bytes, offset + 28);
    const extraLength = readU16LE(bytes, offset + 30);
    const commentLength = readU16LE(bytes, offset + 32);
    const nameStart = offset + 46;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > bytes.length) throw malformed('The zip directory is damaged.');
    const nameBytes = bytes.subarray(nameStart, extraStart);
    const entry: CentralEntry = {
      path: flags & FLAG_UTF8 ? utf8Decode(nameBytes) : latin1Decode(nameBytes),
      flags,
      method: readU16LE(bytes, offset + 10),
      crc: readU32LE(bytes, offset + 16),
      compressedSize: readU32LE(bytes, offset + 20),
      size: readU32LE(bytes, offset + 24),
      localOffset: readU32LE(bytes, offset + 42),
    };
    applyZip64Extra(entry, bytes.subarray(extraStart, extraStart + extraLength));
    entries.push(entry);
    offset = next;
  }
  return entries;
}

/** Replaces 0xFFFFFFFF placeholders with the 64-bit values of the zip64 extra field. */
function applyZip64Extra(entry: CentralEntry, extra: Uint8Array): void {
  if (entry.size !== 0xffffffff && entry.compressedSize !== 0xffffffff && entry.localOffset !== 0xffffffff) return;
  for (let offset = 0; offset + 4 <= extra.length; ) {
    const id = readU16LE(extra, offset);
    const length = readU16LE(extra, offset + 2);
    if (id === 0x0001) {
      let field = offset + 4;
      const read = (): number => {
        if (field + 8 > offset + 4 + length) throw malformed('A zip64 extra field is too short.');
        const value = readU64LE(extra, field);
        field += 8;
        return value;
      };
      if (entry.size === 0xffffffff) entry.size = read();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = read();
      if (entry.localOffset === 0xffffffff) entry.localOffset = read();
      return;
    }
    offset += 4 + length;
  }
  throw malformed('A zip64 entry has no zip64 extra field.');
}

function entryData(bytes: Uint8Array, entry: CentralEntry): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || readU32LE(bytes, at) !== SIG_LOCAL) {
    throw malformed(`The zip entry ${JSON.stringify(entry.path)} has no local header.`);
  }
  const start = at + 30 + readU16LE(bytes, at + 26) + readU16LE(bytes, at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw malformed(`The zip entry ${JSON.stringify(entry.path)} is cut short.`);
  return bytes.subarray(start, end);
}

/**
 * Reads every file of a zip archive (directories are skipped). Refuses archives with too many
 * entries, unsafe or duplicate paths, encryption, methods other than stored/deflate, declared
 * sizes over the limit, data that inflates past its declared size or the limit, and CRC
 * mismatches.
 */
export function readZip(bytes: Uint8Array, limits: CardLimits): ZipFile[] {
  const directory = readDirectory(bytes, limits);
  const seen = new Set<string>();
  let declaredTotal = 0;
  for (const entry of directory) {
    checkZipPath(entry.path);
    if (seen.has(entry.path)) {
      throw new CardError('zip/duplicate-entry', `The archive holds ${JSON.stringify(entry.path)} twice.`);
    }
    seen.add(entry.path);
    if (entry.flags & FLAG_ENCRYPTED) {
      throw new CardError('zip/unsupported', `The zip entry ${JSON.stringify(entry.path)} is encrypted.`);
    }
    if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE) {
      throw new CardError('zip/unsupported', `The zip entry ${JSON.stringify(entry.path)} uses compression method ${entry.method}; only stored and deflate are supported.`);
    }
    declaredTotal += entry.size;
  }
  if (declaredTotal > limits.maxZipTotalUncompressed) {
    throw new CardError('zip/too-large', `The archive would unpack to ${declaredTotal} bytes; at most ${limits.maxZipTotalUncompressed} are allowed.`);
  }

  const files: ZipFile[] = [];
  let total = 0;
  for (const entry of directory) {
    if (entry.path.endsWith('/')) continue;
    const raw = entryData(bytes, entry);
    const budget = Math.min(entry.size, limits.maxZipTotalUncompressed - total);
    let data: Uint8Array;
    if (entry.method === METHOD_STORED) {
      if (raw.length !== entry.size) throw malformed(`The stored zip entry ${JSON.stringify(entry.path)} has the wrong size.`);
      data = raw.slice();
    } else {
      try {
        data = inflateLimited(raw, 'raw', budget);
      } catch (error) {
        if (error instanceof InflateLimitError) {
          throw new CardError('zip/too-large', `The zip entry ${JSON.stringify(entry.path)} inflates to more than it declares (${entry.size} bytes): a zip bomb or a damaged file.`);
        }
        throw new CardError('zip/malformed', `The zip entry ${JSON.stringify(entry.path)} has damaged compressed data.`, { cause: error });
      }
      if (data.length !== entry.size) throw malformed(`The zip entry ${JSON.stringify(entry.path)} is shorter than it declares.`);
    }
    total += data.length;
    if (crc32(data) !== entry.crc) {
      throw new CardError('zip/bad-crc', `The zip entry ${JSON.stringify(entry.path)} is damaged (its CRC does not match).`);
    }
    files.push({ path: entry.path, bytes: data });
  }
  return files;
}

/** True when the bytes start like a zip archive (a local header, or the end record of an empty one). */
export function isZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const signature = readU32LE(bytes, 0);
  return signature === SIG_LOCAL || signature === SIG_END;
}

function writeU16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = value & 0xff;
  out[offset + 1] = (value >>> 8) & 0xff;
}

function writeU32(out: Uint8Array, offset: number, value: number): void {
  writeU16(out, offset, value & 0xffff);
  writeU16(out, offset + 2, (value >>> 16) & 0xffff);
}

export interface ZipInput extends ZipFile {
  /** Deflate this file (false for already-compressed images and audio). */
  compress: boolean;
}

/**
 * Writes a zip archive (UTF-8 names, fixed timestamps, so equal input gives equal bytes).
 * Paths are checked with checkZipPath; duplicates are refused.
 */
export function writeZip(files: readonly ZipInput[]): Uint8Array {
  const seen = new Set<string>();
  const prepared = files.map((file) => {
    checkZipPath(file.path);
    if (file.path.endsWith('/')) throw new CardError('zip/path-traversal', `${JSON.stringify(file.path)} is a directory, not a file.`);
    if (seen.has(file.path)) throw new CardError('zip/duplicate-entry', `Two files would be written to ${JSON.stringify(file.path)}.`);
    seen.add(file.path);
    const deflated = file.compress ? deflateSync(file.bytes, { level: 6 }) : undefined;
    // Keep the stored form when deflate does not help (tiny or incompressible files).
    const useDeflate = deflated !== undefined && deflated.length < file.bytes.length;
    return {
      name: utf8Encode(file.path),
      method: useDeflate ? METHOD_DEFLATE : METHOD_STORED,
      data: useDeflate ? deflated : file.bytes,
      crc: crc32(file.bytes),
      size: file.bytes.length,
    };
  });
  let localTotal = 0;
  let centralTotal = 0;
  for (const file of prepared) {
    localTotal += 30 + file.name.length + file.data.length;
    centralTotal += 46 + file.name.length;
  }
  if (localTotal + centralTotal + END_RECORD_SIZE > 0xffffffff || prepared.length > 0xffff) {
    throw new CardError('zip/too-large', 'The archive would be too large for a zip without zip64.');
  }
  const out = new Uint8Array(localTotal + centralTotal + END_RECORD_SIZE);
  let offset = 0;
  const offsets: number[] = [];
  for (const file of prepared) {
    offsets.push(offset);
    writeU32(out, offset, SIG_LOCAL);
    writeU16(out, offset + 4, 20);
    writeU16(out, offset + 6, FLAG_UTF8);
    writeU16(out, offset + 8, file.method);
    writeU16(out, offset + 10, DOS_TIME);
    writeU16(out, offset + 12, DOS_DATE);
    writeU32(out, offset + 14, file.crc);
    writeU32(out, offset + 18, file.data.length);
    writeU32(out, offset + 22, file.size);
    writeU16(out, offset + 26, file.name.length);
    writeU16(out, offset + 28, 0);
    out.set(file.name, offset + 30);
    out.set(file.data, offset + 30 + file.name.length);
    offset += 30 + file.name.length + file.data.length;
  }
  const directoryOffset = offset;
  prepared.forEach((file, i) => {
    writeU32(out, offset, SIG_CENTRAL);
    writeU16(out, offset + 4, 20);
    writeU16(out, offset + 6, 20);
    writeU16(out, offset + 8, FLAG_UTF8);
    writeU16(out, offset + 10, file.method);
    writeU16(out, offset + 12, DOS_TIME);
    writeU16(out, offset + 14, DOS_DATE);
    writeU32(out, offset + 16, file.crc);
    writeU32(out, offset + 20, file.data.length);
    writeU32(out, offset + 24, file.size);
    writeU16(out, offset + 28, file.name.length);
    // extra, comment, disk, internal and external attributes stay 0
    writeU32(out, offset + 42, offsets[i]!);
    out.set(file.name, offset + 46);
    offset += 46 + file.name.length;
  });
  writeU32(out, offset, SIG_END);
  writeU16(out, offset + 8, prepared.length);
  writeU16(out, offset + 10, prepared.length);
  writeU32(out, offset + 12, offset - directoryOffset);
  writeU32(out, offset + 16, directoryOffset);
  return out;
}

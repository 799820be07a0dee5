/**
 * Helpers for the cards tests only (not exported from index.ts): fixture loading and small
 * writers for PNG text chunks and raw (possibly hostile) zip archives.
 */
import { zlibSync, deflateSync } from 'fflate';
import { bytesToBase64, latin1Encode, utf8Encode } from './bytes.ts';
import { crc32 } from './crc32.ts';
import { CardError } from './errors.ts';
import { createMinimalPng, encodePng, readPngChunks, textChunkKeyword, type PngChunk } from './png.ts';

/** The few Node and URL shapes used here, typed locally: the shared package has no Node or DOM types. */
interface FileUrl {
  readonly href: string;
}
interface NodeFs {
  readFileSync(path: FileUrl): Uint8Array;
}
interface TestGlobals {
  process?: { getBuiltinModule?: (name: string) => unknown };
  URL: new (path: string, base: string) => FileUrl;
}

/** Node's fs, reached without a `node:` import so the type-check stays free of Node types. */
function nodeFs(): NodeFs {
  const fs = (globalThis as unknown as TestGlobals).process?.getBuiltinModule?.('node:fs');
  if (!fs) throw new Error('These tests need Node 20.16 or newer (process.getBuiltinModule).');
  return fs as NodeFs;
}

/** Bytes of a file in /work/shared/fixtures/cards (read in place, never copied into the repo). */
export function readFixture(name: string): Uint8Array {
  const { URL } = globalThis as unknown as TestGlobals;
  const here = (import.meta as unknown as { url: string }).url;
  const bytes = nodeFs().readFileSync(new URL(`../../../../shared/fixtures/cards/${name}`, here));
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export const FIXTURES = {
  eldoria: 'st-Eldoria.worldinfo.json',
  seraphina: 'st-default_Seraphina.png',
  lorebookV3: 'synthetic-lorebook_v3.json',
  ccv3OnlyPng: 'synthetic-v3-ccv3-only.png',
  kitchenSink: 'synthetic-v3-kitchen-sink.json',
  charx: 'synthetic-v3.charx',
} as const;

export function jsonBytes(value: unknown): Uint8Array {
  return utf8Encode(JSON.stringify(value));
}

export function base64Json(value: unknown): string {
  return bytesToBase64(jsonBytes(value));
}

function keywordBytes(keyword: string): Uint8Array {
  return latin1Encode(keyword);
}

function join(parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const arrays = parts.map((part) => (part instanceof Uint8Array ? part : new Uint8Array(part)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const array of arrays) {
    out.set(array, offset);
    offset += array.length;
  }
  return out;
}

export function tEXt(keyword: string, text: string): PngChunk {
  return { type: 'tEXt', data: join([keywordBytes(keyword), [0], latin1Encode(text)]) };
}

export function zTXt(keyword: string, text: string): PngChunk {
  return { type: 'zTXt', data: join([keywordBytes(keyword), [0, 0], zlibSync(latin1Encode(text))]) };
}

export function iTXt(keyword: string, text: string, compressed: boolean): PngChunk {
  const body = compressed ? zlibSync(utf8Encode(text)) : utf8Encode(text);
  return {
    type: 'iTXt',
    data: join([keywordBytes(keyword), [0, compressed ? 1 : 0, 0], latin1Encode('en'), [0], utf8Encode('Chara'), [0], body]),
  };
}

/** A 1x1 PNG with `extra` chunks inserted before IEND. */
export function pngWith(extra: readonly PngChunk[]): Uint8Array {
  const chunks = readPngChunks(createMinimalPng());
  return encodePng([...chunks.slice(0, -1), ...extra, chunks[chunks.length - 1]!]);
}

/** The text chunks of a PNG as [type, keyword] pairs, in file order. */
export function textChunkList(png: Uint8Array): [string, string][] {
  return readPngChunks(png)
    .filter((c) => c.type === 'tEXt' || c.type === 'zTXt' || c.type === 'iTXt')
    .map((c) => [c.type, textChunkKeyword(c) ?? '']);
}

export interface RawZipEntry {
  name: string;
  /** The file's real content. */
  content: Uint8Array;
  method?: 0 | 8 | number;
  /** Overrides for lying headers. */
  declaredSize?: number;
  crc?: number;
  flags?: number;
  /** Write the central sizes and offset as zip64 (0xFFFFFFFF plus a zip64 extra field). */
  zip64?: boolean;
}

function u16(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff];
}

function u32(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** A zip written by hand, so tests can make it lie (sizes, CRCs, names, flags). */
export function rawZip(entries: readonly RawZipEntry[], options: { declaredCount?: number } = {}): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    const method = entry.method ?? 8;
    const data = method === 8 ? deflateSync(entry.content) : entry.content;
    const name = utf8Encode(entry.name);
    const flags = entry.flags ?? 0x0800;
    const crc = entry.crc ?? crc32(entry.content);
    const size = entry.declaredSize ?? entry.content.length;
    const head = [...u16(20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21), ...u32(crc)];
    const common = [...head, ...u32(data.length), ...u32(size), ...u16(name.length)];
    const local = join([u32(0x04034b50), common, u16(0), name, data]);
    if (entry.zip64) {
      const extra = [...u16(0x0001), ...u16(24), ...u32(size), ...u32(0), ...u32(data.length), ...u32(0), ...u32(offset), ...u32(0)];
      const fields = [...head, ...u32(0xffffffff), ...u32(0xffffffff), ...u16(name.length)];
      centrals.push(join([u32(0x02014b50), u16(45), fields, u16(extra.length), u16(0), u16(0), u16(0), u32(0), u32(0xffffffff), name, extra]));
    } else {
      centrals.push(join([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    }
    locals.push(local);
    offset += local.length;
  }
  const directory = join(centrals);
  const count = options.declaredCount ?? entries.length;
  const end = join([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(directory.length), u32(offset), u16(0)]);
  return join([...locals, directory, end]);
}

/** Did anything leak onto Object.prototype? */
export function prototypeIsClean(): boolean {
  const probe: Record<string, unknown> = {};
  return probe['polluted'] === undefined && !Object.hasOwn(Object.prototype, 'polluted');
}

/** Byte equality (vitest's deep equality is slow on large typed arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The CardError code `fn` throws (another error as `other: …`), or undefined when it does not throw. */
export function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof CardError ? error.code : `other: ${String(error)}`;
  }
  return undefined;
}

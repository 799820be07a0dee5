import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { utf8Decode, utf8Encode } from './bytes.ts';
import { resolveLimits } from './limits.ts';
import { errorCode, rawZip, sameBytes } from './test-support.ts';
import { checkZipPath, isZip, readZip, writeZip } from './zip.ts';

const limits = resolveLimits();

const text = (s: string): Uint8Array => utf8Encode(s);

describe('readZip', () => {
  it('reads an archive written by another library (fflate)', () => {
    const zip = zipSync({ 'card.json': text('{"a":1}'), 'assets/icon/main.png': [new Uint8Array([1, 2, 3]), { level: 0 }] });
    const files = readZip(zip, limits);
    expect(files.map((f) => f.path)).toEqual(['card.json', 'assets/icon/main.png']);
    expect(utf8Decode(files[0]!.bytes)).toBe('{"a":1}');
    expect([...files[1]!.bytes]).toEqual([1, 2, 3]);
  });

  it('round-trips its own writer, stored and deflated, with UTF-8 names', () => {
    const big = text('lighthouse '.repeat(1000));
    const zip = writeZip([
      { path: 'card.json', bytes: big, compress: true },
      { path: 'assets/émotion/😀.png', bytes: new Uint8Array([9, 8, 7]), compress: false },
      { path: 'empty.txt', bytes: new Uint8Array(0), compress: true },
    ]);
    expect(zip.length).toBeLessThan(big.length);
    const files = readZip(zip, limits);
    expect(files.map((f) => f.path)).toEqual(['card.json', 'assets/émotion/😀.png', 'empty.txt']);
    expect(sameBytes(files[0]!.bytes, big)).toBe(true);
    expect(files[2]!.bytes.length).toBe(0);
  });

  it('writes the same bytes for the same input', () => {
    const input = [{ path: 'a.txt', bytes: text('same'), compress: true }];
    expect(sameBytes(writeZip(input), writeZip(input))).toBe(true);
  });

  it('skips directory entries', () => {
    const zip = rawZip([
      { name: 'assets/', content: new Uint8Array(0), method: 0 },
      { name: 'assets/a.txt', content: text('a') },
    ]);
    expect(readZip(zip, limits).map((f) => f.path)).toEqual(['assets/a.txt']);
  });

  it('refuses more entries than the limit, before reading them', () => {
    const zip = rawZip([{ name: 'a', content: text('a') }, { name: 'b', content: text('b') }, { name: 'c', content: text('c') }]);
    expect(errorCode(() => readZip(zip, { ...limits, maxZipEntries: 2 }))).toBe('zip/too-many-entries');
    expect(readZip(zip, { ...limits, maxZipEntries: 3 })).toHaveLength(3);
  });

  it('refuses archives whose declared sizes pass the limit, before inflating', () => {
    const zip = rawZip([
      { name: 'a', content: text('a'), declaredSize: 0x7fffffff },
    ]);
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/too-large');
    const two = rawZip([{ name: 'a', content: new Uint8Array(600) }, { name: 'b', content: new Uint8Array(600) }]);
    expect(errorCode(() => readZip(two, { ...limits, maxZipTotalUncompressed: 1000 }))).toBe('zip/too-large');
  });

  it('stops a bomb that lies about its size while inflating', () => {
    const bomb = new Uint8Array(1_000_000);
    const zip = rawZip([{ name: 'bomb.png', content: bomb, declaredSize: 100 }]);
    expect(zip.length).toBeLessThan(5_000);
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/too-large');
    expect(() => readZip(zip, limits)).toThrow(/inflates to more than it declares/);
  });

  it('refuses an entry that inflates to less than it declares', () => {
    const zip = rawZip([{ name: 'a.txt', content: text('short'), declaredSize: 50 }]);
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/malformed');
  });

  it('refuses a CRC mismatch', () => {
    const zip = rawZip([{ name: 'a.txt', content: text('hello'), crc: 1234 }]);
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/bad-crc');
  });

  it('refuses every kind of unsafe path', () => {
    for (const name of ['../evil.txt', 'assets/../../evil.txt', '/etc/passwd', 'C:/evil.txt', 'c:evil', 'assets\\..\\evil', 'a//b', './a', 'a/./b', 'a\0b']) {
      const zip = rawZip([{ name, content: text('x') }]);
      expect(errorCode(() => readZip(zip, limits)), name).toBe('zip/path-traversal');
    }
  });

  it('refuses duplicate paths', () => {
    const zip = rawZip([{ name: 'card.json', content: text('{}') }, { name: 'card.json', content: text('{"x":1}') }]);
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/duplicate-entry');
  });

  it('refuses encrypted entries and unknown methods', () => {
    expect(errorCode(() => readZip(rawZip([{ name: 'a', content: text('a'), flags: 0x0801 }]), limits))).toBe('zip/unsupported');
    expect(errorCode(() => readZip(rawZip([{ name: 'a', content: text('a'), method: 14 }]), limits))).toBe('zip/unsupported');
  });

  it('refuses damaged deflate data', () => {
    const good = rawZip([{ name: 'a.txt', content: text('hello hello hello hello') }]);
    const damaged = good.slice();
    const dataStart = 30 + 'a.txt'.length;
    damaged.fill(0xff, dataStart, dataStart + 4);
    expect(errorCode(() => readZip(damaged, limits))).toMatch(/^zip\//);
  });

  it('refuses a truncated archive and random bytes', () => {
    const zip = rawZip([{ name: 'a.txt', content: text('hello') }]);
    expect(errorCode(() => readZip(zip.subarray(0, zip.length - 10), limits))).toBe('zip/malformed');
    expect(errorCode(() => readZip(text('PK\u0003\u0004 nothing else'), limits))).toBe('zip/malformed');
  });

  it('refuses a directory pointing outside the file', () => {
    const zip = rawZip([{ name: 'a.txt', content: text('hello') }], { declaredCount: 5 });
    expect(errorCode(() => readZip(zip, limits))).toBe('zip/malformed');
  });

  it('reads a stored entry and checks its size', () => {
    const zip = rawZip([{ name: 'a.bin', content: new Uint8Array([1, 2, 3]), method: 0 }]);
    expect([...readZip(zip, limits)[0]!.bytes]).toEqual([1, 2, 3]);
    const lying = rawZip([{ name: 'a.bin', content: new Uint8Array([1, 2, 3]), method: 0, declaredSize: 4 }]);
    expect(errorCode(() => readZip(lying, limits))).toBe('zip/malformed');
  });

  it('reads zip64 sizes and offsets from the extra field', () => {
    const zip = rawZip([
      { name: 'a.txt', content: text('first') },
      { name: 'b.txt', content: text('second '.repeat(50)), zip64: true },
    ]);
    expect(readZip(zip, limits).map((f) => utf8Decode(f.bytes).slice(0, 6))).toEqual(['first', 'second']);
  });

  it('handles a deflate stream made elsewhere', () => {
    const content = text('x'.repeat(10_000));
    expect(deflateSync(content).length).toBeLessThan(200);
    expect(sameBytes(readZip(rawZip([{ name: 'x', content }]), limits)[0]!.bytes, content)).toBe(true);
  });
});

describe('checkZipPath and writeZip', () => {
  it('accepts ordinary paths', () => {
    for (const path of ['card.json', 'assets/icon/images/main.png', 'a b/ü.png', 'x..y/z']) expect(checkZipPath(path)).toBe(path);
  });

  it('refuses to write unsafe or duplicate paths', () => {
    expect(errorCode(() => writeZip([{ path: '../x', bytes: text('x'), compress: false }]))).toBe('zip/path-traversal');
    expect(errorCode(() => writeZip([{ path: 'dir/', bytes: text('x'), compress: false }]))).toBe('zip/path-traversal');
    const twice = [{ path: 'a', bytes: text('x'), compress: false }, { path: 'a', bytes: text('y'), compress: false }];
    expect(errorCode(() => writeZip(twice))).toBe('zip/duplicate-entry');
  });

  it('recognises zip signatures', () => {
    expect(isZip(writeZip([]))).toBe(true);
    expect(isZip(writeZip([{ path: 'a', bytes: text('a'), compress: false }]))).toBe(true);
    expect(isZip(text('{"a":1}'))).toBe(false);
    expect(readZip(writeZip([]), limits)).toEqual([]);
  });
});

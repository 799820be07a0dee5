import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BLOB_PART_FORMAT, blobPartDocId, clearPart, hasPart, joinVerified, partBytes, partCount, readPart, sha256Hex, writePart } from './blob-parts.ts';
import { BLOB_PART_BYTES } from './limits.ts';

function bytesOf(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 255;
  return bytes;
}

const badBlob = expect.objectContaining({ name: 'DocError', code: 'doc/bad-blob' }) as Error;

describe('blob parts', () => {
  it('splits a blob into parts under the relay frame limit and joins them back, checked against the hash', async () => {
    const blob = bytesOf(BLOB_PART_BYTES * 2 + 10);
    const hash = await sha256Hex(blob);
    expect(partCount(blob.length)).toBe(3);
    expect(partCount(0)).toBe(1);
    const parts = [0, 1, 2].map((part) => {
      const doc = new Y.Doc();
      writePart(doc, hash, blob.length, part, partBytes(blob, part), 'test');
      // Through an update, as the relay would carry it.
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
      return readPart(copy, hash, blob.length, part)!;
    });
    expect(parts.map((p) => p.length)).toEqual([BLOB_PART_BYTES, BLOB_PART_BYTES, 10]);
    // Compared by hash: a deep equality over 8 MB of bytes takes the test runner minutes.
    expect(await sha256Hex(await joinVerified(parts, hash, blob.length))).toBe(hash);
  });

  it('hashes to lowercase hex SHA-256', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses bytes that do not match their hash, a part of another blob or of the wrong length', async () => {
    const blob = bytesOf(100);
    const hash = await sha256Hex(blob);
    const tampered = blob.slice();
    tampered[5] = 0;
    await expect(joinVerified([tampered], hash, 100)).rejects.toMatchObject({ code: 'doc/bad-blob' });
    await expect(joinVerified([blob.subarray(0, 50)], hash, 100)).rejects.toMatchObject({ code: 'doc/bad-blob' });
    await expect(joinVerified([blob, blob], hash, 100)).rejects.toMatchObject({ code: 'doc/bad-blob' });

    const doc = new Y.Doc();
    writePart(doc, hash, 100, 0, blob, 'test');
    expect(() => readPart(doc, 'f'.repeat(64), 100, 0)).toThrowError(badBlob);
    expect(() => readPart(doc, hash, 100, 1)).toThrowError(badBlob);
    const short = new Y.Doc();
    writePart(short, hash, 100, 0, blob.subarray(0, 99), 'test');
    expect(() => readPart(short, hash, 100, 0)).toThrowError(badBlob);
  });

  it('reads an empty room as not uploaded yet, and a cleared room loses its bytes once compacted', async () => {
    const hash = await sha256Hex(bytesOf(1000));
    const doc = new Y.Doc();
    expect(readPart(doc, hash, 1000, 0)).toBeNull();
    writePart(doc, hash, 1000, 0, bytesOf(1000), 'test');
    expect(hasPart(doc)).toBe(true);
    clearPart(doc, 'test');
    expect(hasPart(doc)).toBe(false);
    expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(100);
  });

  it('names part docs by hash and part, never by character', () => {
    expect(blobPartDocId('ab'.repeat(32), 2)).toBe(`blob:${'ab'.repeat(32)}:2`);
  });
});

describe('blob part versions', () => {
  it('writes its format into every part', async () => {
    const doc = new Y.Doc();
    writePart(doc, await sha256Hex(bytesOf(10)), 10, 0, bytesOf(10), 'test');
    expect(doc.getMap('blob').get('format')).toBe(BLOB_PART_FORMAT);
  });

  it('refuses a part of a newer format with a typed error, and one with no format as damaged', async () => {
    const blob = bytesOf(100);
    const hash = await sha256Hex(blob);
    const doc = new Y.Doc();
    writePart(doc, hash, 100, 0, blob, 'test');
    doc.getMap('blob').set('format', BLOB_PART_FORMAT + 1);
    expect(() => readPart(doc, hash, 100, 0)).toThrowError(expect.objectContaining({ code: 'doc/too-new', message: expect.stringMatching(/newer Troupe/) as string }) as Error);
    // It holds bytes all the same (hasPart does not read them).
    expect(hasPart(doc)).toBe(true);
    doc.getMap('blob').delete('format');
    expect(() => readPart(doc, hash, 100, 0)).toThrowError(expect.objectContaining({ code: 'doc/invalid-field' }) as Error);
  });
});

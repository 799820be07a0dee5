import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { blobPartDocId, clearPart, hasPart, joinVerified, partBytes, partCount, readPart, sha256Hex, writePart } from './blob-room.ts';
import { BLOB_PART_BYTES } from './limits.ts';

function bytesOf(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 255;
  return bytes;
}

describe('blob rooms', () => {
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

  it('refuses bytes that do not match their hash, a part of another blob and a newer format', async () => {
    const blob = bytesOf(100);
    const hash = await sha256Hex(blob);
    const tampered = blob.slice();
    tampered[5] = 0;
    await expect(joinVerified([tampered], hash, 100)).rejects.toMatchObject({ code: 'sync/bad-blob' });
    await expect(joinVerified([blob.subarray(0, 50)], hash, 100)).rejects.toMatchObject({ code: 'sync/bad-blob' });

    const doc = new Y.Doc();
    writePart(doc, hash, 100, 0, blob, 'test');
    expect(() => readPart(doc, 'f'.repeat(64), 100, 0)).toThrow(expect.objectContaining({ code: 'sync/bad-blob' }));
    doc.getMap('blob').set('format', 99);
    expect(() => readPart(doc, hash, 100, 0)).toThrow(expect.objectContaining({ code: 'sync/bad-blob' }));
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

  it('names part rooms by hash and part, never by character', () => {
    expect(blobPartDocId('ab'.repeat(32), 2)).toBe(`blob:${'ab'.repeat(32)}:2`);
  });
});

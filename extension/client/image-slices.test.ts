// @vitest-environment node
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createMinimalPng, exportCharacterPng, parseCardFile } from '@troupe/shared/cards';
import { FIXTURES, fixtureBytes } from '../background/library/test-support.ts';
import { imageRanges } from './image-slices.ts';

function joined(file: Uint8Array, ranges: [number, number][]): Uint8Array {
  const out = new Uint8Array(ranges.reduce((sum, [start, end]) => sum + end - start, 0));
  let at = 0;
  for (const [start, end] of ranges) {
    out.set(file.subarray(start, end), at);
    at += end - start;
  }
  return out;
}

/** The card reader's image of a PNG card: the file without its card chunks. */
function readerImage(file: Uint8Array): Uint8Array {
  const parsed = parseCardFile(file, 'card.png');
  if (parsed.kind !== 'character') throw new Error('not a character');
  return parsed.assets[0]!.bytes;
}

describe('imageRanges', () => {
  it('finds the card reader\'s image in the file, as the file minus its card chunks', () => {
    for (const file of [fixtureBytes(FIXTURES.seraphina), fixtureBytes(FIXTURES.ccv3Png)]) {
      const image = readerImage(file);
      const ranges = imageRanges(file, image);
      expect(ranges).not.toBeNull();
      // Buffer comparison: toEqual walks half a megabyte element by element.
      expect(Buffer.compare(joined(file, ranges!), image)).toBe(0);
      expect(ranges!.length).toBeLessThanOrEqual(3);
    }
  });

  it('finds it when the card chunks sit between image chunks, and ignores bytes after IEND', () => {
    const card = exportCharacterPng({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: 'Mid', description: '', personality: '', scenario: '', first_mes: '', mes_example: '', creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '', character_version: '', extensions: {}, group_only_greetings: [] } }, { image: createMinimalPng() });
    // An ancillary chunk after the card chunks (before IEND, the last 12 bytes), and junk after IEND.
    const body = Uint8Array.from([0x74, 0x49, 0x4d, 0x45, 7, 234, 12, 3, 23, 0, 0]);
    const crc = crc32(body);
    const extra = Uint8Array.from([0, 0, 0, 7, ...body, crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]);
    const file = Uint8Array.from([...card.subarray(0, card.length - 12), ...extra, ...card.subarray(card.length - 12), 1, 2, 3]);
    const image = readerImage(file);
    const ranges = imageRanges(file, image);
    expect(ranges).not.toBeNull();
    expect(Buffer.compare(joined(file, ranges!), image)).toBe(0);
  });

  it('finds nothing for bytes that are not the file\'s own chunks', () => {
    const file = fixtureBytes(FIXTURES.seraphina);
    const image = readerImage(file).slice();
    image[20] = image[20]! ^ 0xff; // in IHDR
    expect(imageRanges(file, image)).toBeNull();
    expect(imageRanges(file, createMinimalPng())).toBeNull();
    expect(imageRanges(fixtureBytes(FIXTURES.charx), readerImage(file))).toBeNull();
    expect(imageRanges(file, new Uint8Array())).toBeNull();
  });
});

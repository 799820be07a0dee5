import { describe, expect, it } from 'vitest';
import { createMinimalPng, parseCardFile, type ParsedCharacterFile } from '@troupe/shared/cards';
import { avatarPng, cardFile } from './card-files.ts';
import { summariseCharacter } from './character-summary.ts';
import { MAX_BLURB_CHARS } from './limits.ts';
import { JPEG_BYTES, packCharacter } from './test-support.ts';

function character(file: Uint8Array, name: string): ParsedCharacterFile {
  const parsed = parseCardFile(file, name);
  if (parsed.kind !== 'character') throw new Error('not a character');
  return parsed;
}

describe('cardFile', () => {
  it('writes a V3 PNG card on the avatar that reads back as the same character', () => {
    const source = packCharacter('Aria: "Night/Day"?');
    const image = avatarPng(source);
    expect(image).toBe(source.assets[0]!.bytes);
    const file = cardFile(source, 'png', image!);
    expect(file).toMatchObject({ name: 'Aria Night Day.png', mime: 'image/png' });
    expect(file.blankImage).toBeUndefined();
    const back = character(file.bytes, file.name);
    expect(back.pngChunk).toBe('ccv3');
    expect(back.character).toStrictEqual(source.card);
    // The card's image is the avatar, its own card chunks aside.
    expect(back.assets[0]!.bytes).toStrictEqual(image);
  });

  it('writes a CHARX with card.json and every asset', () => {
    const source = packCharacter('Aria');
    const file = cardFile(source, 'charx');
    expect(file).toMatchObject({ name: 'Aria.charx', mime: 'application/zip' });
    const back = character(file.bytes, file.name);
    expect(back.character.data.character_book).toStrictEqual(source.card.data.character_book);
    expect(back.assets.map((asset) => asset.path).sort()).toEqual(['assets/emotion/happy.png', 'assets/icon/images/main.png']);
  });

  it('falls back to a blank image, and says so, when the avatar cannot carry the card', () => {
    const jpeg = packCharacter('Jay', JPEG_BYTES);
    expect(avatarPng(jpeg)).toBeNull();
    const unconverted = cardFile(jpeg, 'png');
    expect(unconverted.blankImage).toBe(true);
    expect(character(unconverted.bytes, 'x.png').character).toStrictEqual(jpeg.card);

    // Signed like a PNG, but not one: the card is still written.
    const broken = Uint8Array.from([...createMinimalPng().subarray(0, 20), 1, 2, 3]);
    const file = cardFile(packCharacter('Broken', broken), 'png', broken);
    expect(file.blankImage).toBe(true);
    expect(character(file.bytes, 'x.png').character.data.name).toBe('Broken');

    const noAvatar = { ...packCharacter('None'), assets: [] };
    expect(cardFile(noAvatar, 'png').blankImage).toBe(false);
  });
});

describe('summariseCharacter', () => {
  it("shows the name, the creator's notes, the book's entry count and the other files", () => {
    const summary = summariseCharacter(packCharacter('Aria'));
    expect(summary).toMatchObject({ name: 'Aria', blurb: 'Notes about Aria.', lorebookEntries: 2, otherAssets: 1 });
    expect(summary.avatar?.mime).toBe('image/png');
  });

  it('falls back to a shortened description, and shows no avatar that is not a raster image', () => {
    const long = packCharacter('Long');
    long.card.data.creator_notes = '  ';
    long.card.data.description = `word `.repeat(200);
    long.assets[0] = { ...long.assets[0]!, mime: 'image/png', bytes: new TextEncoder().encode('<svg onload="alert(1)"/>') };
    const summary = summariseCharacter(long);
    expect(Array.from(summary.blurb).length).toBeLessThanOrEqual(MAX_BLURB_CHARS);
    expect(summary.blurb.endsWith('word…')).toBe(true);
    expect(summary.avatar).toBeNull();
    expect(summariseCharacter({ ...long, card: { ...long.card, data: { ...long.card.data, character_book: undefined } } }).lorebookEntries).toBe(0);
  });
});

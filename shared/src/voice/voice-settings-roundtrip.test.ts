/**
 * Voice settings live in the card, so they must survive every way a card leaves and comes back:
 * the cards library's exports and parser, and the character's synced doc.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { exportCharacterCharx, exportCharacterJson, exportCharacterPng, parseCardFile, parseCardObject, toV2Card, type Character, type ParsedFile } from '../cards/index.ts';
import { encodePng, readPngChunks, replaceTextChunks } from '../cards/png.ts';
import { FIXTURES, readFixture } from '../cards/test-support.ts';
import { readCharacterDoc, writeCharacterDoc } from '../docs/character-doc.ts';
import { readVoiceSettings, withVoiceSettings, type VoiceSettings } from './voice-settings.ts';

const SETTINGS: VoiceSettings = {
  provider: 'openai-compatible',
  voice: 'af_bella',
  speed: 1.15,
  model: 'kokoro',
  reading: { dialogueOnly: true, narrator: true, skipCode: true, skipActions: true },
  narratorVoice: { provider: 'openai-compatible', voice: 'bm_george', speed: 0.95, model: 'kokoro' },
};

function character(parsed: ParsedFile): Character {
  if (parsed.kind !== 'character') throw new Error(`expected a character, got ${parsed.kind}`);
  return parsed.character;
}

/** The PNG with only one of its two card chunks left, so the parser must read that one. */
function keepOnly(png: Uint8Array, keyword: 'chara' | 'ccv3'): Uint8Array {
  return encodePng(replaceTextChunks(readPngChunks(png), [keyword === 'chara' ? 'ccv3' : 'chara'], []));
}

describe('voice settings survive export and import', () => {
  // The kitchen-sink card has its own extensions (SillyTavern's and unknown ones) that must stay beside ours.
  const voiced = withVoiceSettings(character(parseCardFile(readFixture(FIXTURES.kitchenSink), FIXTURES.kitchenSink)), SETTINGS);

  const roundTrips: [string, () => Character][] = [
    ['V3 JSON', () => character(parseCardFile(new TextEncoder().encode(exportCharacterJson(voiced)), 'mira.json'))],
    ['V3 PNG (ccv3 chunk)', () => character(parseCardFile(keepOnly(exportCharacterPng(voiced), 'ccv3'), 'mira.png'))],
    ['V2 PNG (chara chunk)', () => character(parseCardFile(keepOnly(exportCharacterPng(voiced), 'chara'), 'mira.png'))],
    ['CHARX', () => character(parseCardFile(exportCharacterCharx(voiced), 'mira.charx'))],
    ['V2 object (SillyTavern API)', () => character(parseCardObject(toV2Card(voiced)))],
  ];

  it.each(roundTrips)('%s', (_name, roundTrip) => {
    const back = roundTrip();
    expect(readVoiceSettings(back)).toEqual({ status: 'ok', settings: SETTINGS, errors: [] });
    expect(back.data.extensions).toEqual(voiced.data.extensions);
  });

  it('keeps them on a real SillyTavern PNG card (Seraphina)', () => {
    const parsed = parseCardFile(readFixture(FIXTURES.seraphina), FIXTURES.seraphina);
    if (parsed.kind !== 'character') throw new Error('expected a character');
    const avatar = parsed.assets[0]?.bytes;
    const png = exportCharacterPng(withVoiceSettings(parsed.character, SETTINGS), avatar ? { image: avatar } : {});
    expect(readVoiceSettings(character(parseCardFile(png, 'Seraphina.png'))).settings).toEqual(SETTINGS);
  });

  it('keeps them through the character doc another device syncs', () => {
    const doc = new Y.Doc();
    writeCharacterDoc(doc, voiced);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    expect(readVoiceSettings(readCharacterDoc(peer)).settings).toEqual(SETTINGS);
  });

  it('carries a newer format through untouched, for a newer Troupe to read', () => {
    const future = { format: 9, provider: 'hologram', voice: 'x', speed: 1, extra: { deep: [1, 2] } };
    const base = character(parseCardFile(readFixture(FIXTURES.kitchenSink), FIXTURES.kitchenSink));
    const card: Character = { ...base, data: { ...base.data, extensions: { ...base.data.extensions, troupe: { voice: future } } } };
    const back = character(parseCardFile(exportCharacterPng(card), 'future.png'));
    expect(readVoiceSettings(back).status).toBe('unsupported');
    expect(back.data.extensions['troupe']).toEqual({ voice: future });
  });
});

import { describe, expect, it } from 'vitest';
import { parseCardFile } from '../cards/index.ts';
import { readU32BE, utf8Decode, utf8Encode, writeU32BE } from '../cards/bytes.ts';
import { FIXTURES, prototypeIsClean, readFixture, sameBytes } from '../cards/test-support.ts';
import { decodePackContent, encodePackContent } from './content-format.ts';
import { MAX_PACK_ASSETS, MAX_PACK_CHARACTERS, MAX_PACK_LOREBOOK_ENTRIES } from './limits.ts';
import type { Pack } from './model.ts';
import { character, codeOf, lorebook, packErrorOf, pngAsset, samplePack } from './test-support.ts';

/** Rebuilds container bytes with `edit` applied to the manifest JSON and `sections` as the body. */
function withManifest(bytes: Uint8Array, edit: (manifest: Record<string, unknown>) => void, sections?: Uint8Array): Uint8Array {
  const length = readU32BE(bytes, 1);
  const manifest = JSON.parse(utf8Decode(bytes.subarray(5, 5 + length))) as Record<string, unknown>;
  edit(manifest);
  const text = utf8Encode(JSON.stringify(manifest));
  const body = sections ?? bytes.subarray(5 + length);
  const out = new Uint8Array(5 + text.length + body.length);
  out[0] = bytes[0]!;
  writeU32BE(out, 1, text.length);
  out.set(text, 5);
  out.set(body, 5 + text.length);
  return out;
}

/** A one-character pack whose card section is `cardJson` (as a hostile publisher would write it). */
function packWithCardText(cardJson: string): Uint8Array {
  const card = utf8Encode(cardJson);
  const manifest = utf8Encode(JSON.stringify({ createdAt: 1, characters: [{ card: card.length, assets: [] }], lorebooks: [], personas: [] }));
  const out = new Uint8Array(5 + manifest.length + card.length);
  out[0] = 1;
  writeU32BE(out, 1, manifest.length);
  out.set(manifest, 5);
  out.set(card, 5 + manifest.length);
  return out;
}

describe('pack content format', () => {
  it('round-trips characters, assets, lorebooks, personas and settings', () => {
    const pack = samplePack(3);
    pack.characters[0]!.settings = { voice: { id: 'alloy', rate: 1.1 } };
    const opened = decodePackContent(encodePackContent(pack));
    expect(opened.warnings).toEqual([]);
    expect(opened.pack.format).toBe(1);
    expect(opened.pack.createdAt).toBe(pack.createdAt);
    expect(opened.pack.characters.map((c) => c.card)).toEqual(pack.characters.map((c) => c.card));
    expect(opened.pack.characters.map((c) => c.assets)).toEqual(pack.characters.map((c) => c.assets));
    expect(opened.pack.characters[0]!.settings).toEqual({ voice: { id: 'alloy', rate: 1.1 } });
    expect(opened.pack.lorebooks).toEqual(pack.lorebooks);
    expect(opened.pack.personas).toEqual(pack.personas);
  });

  it('carries a real SillyTavern card and World Info book unchanged', () => {
    const seraphina = parseCardFile(readFixture(FIXTURES.seraphina), 'Seraphina.png');
    const eldoria = parseCardFile(readFixture(FIXTURES.eldoria), 'Eldoria.json');
    if (seraphina.kind !== 'character' || eldoria.kind !== 'lorebook') throw new Error('fixtures changed');
    const pack: Pack = { format: 1, createdAt: 1, characters: [{ card: seraphina.character, assets: seraphina.assets }], lorebooks: [eldoria.lorebook] };
    const opened = decodePackContent(encodePackContent(pack));
    expect(opened.pack.characters[0]!.card).toEqual(seraphina.character);
    expect(sameBytes(opened.pack.characters[0]!.assets[0]!.bytes, seraphina.assets[0]!.bytes)).toBe(true);
    expect(opened.pack.lorebooks[0]).toEqual(eldoria.lorebook);
  });

  it('refuses an empty pack and packs over the count limits', async () => {
    expect(await codeOf(() => encodePackContent({ ...samplePack(), characters: [] }))).toBe('pack/empty');
    const crowd = { ...samplePack(), characters: Array.from({ length: MAX_PACK_CHARACTERS + 1 }, () => ({ card: character('x'), assets: [] })) };
    expect(await codeOf(() => encodePackContent(crowd))).toBe('pack/too-many');
    const sprites = Array.from({ length: MAX_PACK_ASSETS + 1 }, (_, i) => pngAsset(40, i, `embeded://assets/${i}.png`));
    expect(await codeOf(() => encodePackContent({ ...samplePack(), characters: [{ card: character('x'), assets: sprites }] }))).toBe('pack/too-many');
  });

  it('refuses a manifest that claims too many items before reading any section', async () => {
    const bytes = encodePackContent(samplePack());
    const crowd = withManifest(bytes, (m) => {
      m['characters'] = Array.from({ length: MAX_PACK_CHARACTERS + 1 }, () => ({ card: 1, assets: [] }));
    });
    expect(await codeOf(() => decodePackContent(crowd))).toBe('pack/too-many');
    const huge = withManifest(bytes, (m) => {
      (m['characters'] as Array<{ assets: Array<{ size: number }> }>)[0]!.assets[0]!.size = 2 ** 40;
    });
    expect(await codeOf(() => decodePackContent(huge))).toBe('pack/too-large');
  });

  it('refuses more lorebook entries than a pack may hold, across books', async () => {
    const full = 20_000; // the card library's limit per book
    const rest = MAX_PACK_LOREBOOK_ENTRIES - 2 * full;
    const pack = { ...samplePack(), lorebooks: [lorebook('a', full), lorebook('b', full), lorebook('c', rest)] };
    // The character's own book adds one entry: one over.
    const error = await packErrorOf(() => decodePackContent(encodePackContent(pack)));
    expect(error?.code).toBe('pack/too-many');
    expect(error?.item).toBe('lorebooks[2]');
  });

  it('refuses sizes that do not add up, and a newer or missing format', async () => {
    const bytes = encodePackContent(samplePack());
    expect(await codeOf(() => decodePackContent(bytes.subarray(0, bytes.length - 1)))).toBe('pack/corrupt');
    expect(await codeOf(() => decodePackContent(new Uint8Array([...bytes, 0])))).toBe('pack/corrupt');
    expect(await codeOf(() => decodePackContent(bytes.subarray(0, 3)))).toBe('pack/corrupt');
    expect(await codeOf(() => decodePackContent(Uint8Array.of(2, ...bytes.subarray(1))))).toBe('pack/newer-format');
    expect(await codeOf(() => decodePackContent(Uint8Array.of(0, ...bytes.subarray(1))))).toBe('pack/corrupt');
    const notJson = Uint8Array.from(bytes);
    notJson[5] = 0x5b; // '[' where '{' was: a list, not an object
    expect(await codeOf(() => decodePackContent(notJson))).toBe('pack/corrupt');
  });

  it('refuses a hostile card with the card library\'s own reason', async () => {
    const deep = '{"a":'.repeat(200) + '1' + '}'.repeat(200);
    const error = await packErrorOf(() => decodePackContent(packWithCardText(`{"spec":"chara_card_v3","data":{"name":"x","extensions":${deep}}}`)));
    expect(error?.code).toBe('pack/bad-card');
    expect(error?.cardCode).toBe('json/too-deep');
    expect(error?.item).toBe('characters[0]');
    expect(error?.message).toMatch(/^Character 1 in the pack: /);

    const tooManyEntries = { spec: 'chara_card_v3', data: { name: 'x', character_book: { entries: Array.from({ length: 20_001 }, () => ({ keys: [], content: '' })) } } };
    expect((await packErrorOf(() => decodePackContent(packWithCardText(JSON.stringify(tooManyEntries)))))?.cardCode).toBe('lorebook/too-many-entries');

    const wrongType = { spec: 'chara_card_v3', data: { name: { first: 'x' } } };
    expect((await packErrorOf(() => decodePackContent(packWithCardText(JSON.stringify(wrongType)))))?.cardCode).toBe('card/invalid-field');

    // A lorebook where a character belongs, and a PNG card inside a JSON section.
    expect(await codeOf(() => decodePackContent(packWithCardText('{"entries":[]}')))).toBe('pack/bad-card');
    expect(await codeOf(() => decodePackContent(packWithCardText('\u0089PNG')))).toBe('pack/bad-card');
  });

  it('drops prototype keys from cards, with a warning, and never pollutes', () => {
    const hostile = '{"__proto__":{"polluted":1},"spec":"chara_card_v3","data":{"name":"M","extensions":{"__proto__":{"polluted":2}}}}';
    const opened = decodePackContent(packWithCardText(hostile));
    expect(prototypeIsClean()).toBe(true);
    expect(Object.keys(opened.pack.characters[0]!.card.data.extensions)).toEqual([]);
    expect(opened.warnings.length).toBeGreaterThan(0);
    expect(opened.warnings[0]!.item).toBe('characters[0]');
  });

  it('refuses malformed assets, personas and settings', async () => {
    const bad = (edit: (pack: Pack) => void) => {
      const pack = samplePack();
      edit(pack);
      return codeOf(() => encodePackContent(pack));
    };
    expect(await bad((p) => (p.characters[0]!.assets[0]!.mime = 'image/png; drop table'))).toBe('pack/bad-asset');
    expect(await bad((p) => (p.characters[0]!.assets[0]!.name = 'a\u0000b'))).toBe('pack/bad-asset');
    expect(await bad((p) => (p.personas![0]!.name = ''))).toBe('pack/bad-persona');
    expect(await bad((p) => (p.personas![0]!.avatar!.bytes = utf8Encode('<svg onload="x()"/>')))).toBe('pack/bad-persona');
    expect(await bad((p) => (p.characters[0]!.settings = { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } }))).toBe('pack/bad-settings');
    expect(await bad((p) => (p.characters[0]!.settings = { text: 'x'.repeat(70_000) }))).toBe('pack/bad-settings');

    const bytes = encodePackContent(samplePack());
    const noMime = withManifest(bytes, (m) => {
      delete (m['characters'] as Array<{ assets: Array<Record<string, unknown>> }>)[0]!.assets[0]!['mime'];
    });
    expect(await codeOf(() => decodePackContent(noMime))).toBe('pack/bad-asset');
  });
});

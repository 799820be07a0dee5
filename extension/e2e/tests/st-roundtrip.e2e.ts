/**
 * Troupe's card formats checked against SillyTavern 1.19 itself (one real server for this file, on
 * 127.0.0.1 with a fresh data root):
 * 1. every card and world SillyTavern ships in `default/content` reads, writes and reads again to the
 *    same model (cards as PNG and JSON, worlds as World Info), and reads the same from SillyTavern's API;
 * 2. a card Troupe writes (V3 PNG with `chara` and `ccv3`) imports into SillyTavern with every field
 *    intact. Where SillyTavern changes a card on import, the test states exactly what it changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  exportCharacterCharx,
  exportCharacterJson,
  exportCharacterPng,
  exportWorldInfoJson,
  parseCardFile,
  parseCardObject,
  type Character,
  type JsonObject,
  type Lorebook,
  type ParsedCharacterFile,
  type ParsedLorebookFile,
} from '@troupe/shared/cards';
import { INSTALL_AND_START_TIMEOUT_MS, pngTextChunks, startSillyTavern, stDefaultContentFiles } from '../harness/sillytavern.ts';
import type { SillyTavernServer } from '../harness/sillytavern.ts';
import { createSillyTavernClient, withCookieJar } from '../../background/sillytavern/index.ts';
import type { SillyTavernClient } from '../../background/sillytavern/index.ts';

const CONTENT = await stDefaultContentFiles();
const CONTENT_CARDS = CONTENT.filter((f) => f.kind === 'character');
const CONTENT_WORLDS = CONTENT.filter((f) => f.kind === 'world');

const FIXTURES_DIR = new URL('../../../../shared/fixtures/cards/', import.meta.url);
const FIXTURE_CARDS = ['st-default_Seraphina.png', 'synthetic-v3-ccv3-only.png', 'synthetic-v3-kitchen-sink.json', 'synthetic-v3.charx'];
const FIXTURE_BOOKS = ['st-Eldoria.worldinfo.json', 'synthetic-lorebook_v3.json'];

let st: SillyTavernServer;
let client: SillyTavernClient;

beforeAll(async () => {
  st = await startSillyTavern();
  client = createSillyTavernClient({ baseUrl: st.url, fetch: withCookieJar(fetch) });
}, INSTALL_AND_START_TIMEOUT_MS);

afterAll(async () => {
  await st?.close();
});

const bytesOf = async (path: string | URL): Promise<Uint8Array> => new Uint8Array(await readFile(path));
const fixture = (name: string): Promise<Uint8Array> => bytesOf(new URL(name, FIXTURES_DIR));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function asCharacter(parsed: ReturnType<typeof parseCardFile>): ParsedCharacterFile {
  if (parsed.kind !== 'character') throw new Error(`expected a character, got a ${parsed.kind}`);
  return parsed;
}

function asLorebook(parsed: ReturnType<typeof parseCardFile>): ParsedLorebookFile {
  if (parsed.kind !== 'lorebook') throw new Error(`expected a lorebook, got a ${parsed.kind}`);
  return parsed;
}

/** The image a PNG card was read from (the `ccdefault:` asset), to write the card back onto. */
function cardImage(parsed: ParsedCharacterFile): Uint8Array | undefined {
  return parsed.assets.find((a) => a.uri === 'ccdefault:')?.bytes;
}

/** A card PNG's tEXt chunk decoded from base64 JSON. */
function chunkJson(png: Uint8Array, keyword: 'chara' | 'ccv3'): JsonObject {
  const text = pngTextChunks(png).get(keyword);
  if (text === undefined) throw new Error(`no ${keyword} chunk`);
  return JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as JsonObject;
}

/** Byte equality without a deep-equal walk over half a million elements. */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // The IHDR chunk is always first: signature (8), length (4), type (4), then width and height.
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** PNG and JSON: the character comes back identical; the PNG carries both card chunks. */
function expectLosslessCardFormats(parsed: ParsedCharacterFile, fileName: string): void {
  const image = cardImage(parsed);
  const png = exportCharacterPng(parsed.character, image ? { image } : {});
  const fromPng = asCharacter(parseCardFile(png, fileName));
  expect(fromPng.character).toStrictEqual(parsed.character);
  expect(fromPng.pngChunk).toBe('ccv3');
  expect(fromPng.warnings).toEqual([]);
  if (image) {
    expect(fromPng.assets.map(({ bytes, ...rest }) => rest)).toStrictEqual([{ uri: 'ccdefault:', name: fileName, mime: 'image/png' }]);
    expect(sameBytes(fromPng.assets[0]?.bytes, image)).toBe(true);
  }
  expect(chunkJson(png, 'chara')).toMatchObject({ spec: 'chara_card_v2', spec_version: '2.0', data: { name: parsed.character.data.name } });

  const fromJson = asCharacter(parseCardFile(utf8(exportCharacterJson(parsed.character)), fileName));
  expect(fromJson.character).toStrictEqual(parsed.character);
  expect(fromJson.warnings).toEqual([]);
}

describe('SillyTavern default content round-trips through Troupe', () => {
  it('ships at least one card and one world to check', () => {
    expect(CONTENT_CARDS.map((f) => f.fileName)).toContain('default_Seraphina.png');
    expect(CONTENT_WORLDS.map((f) => f.fileName)).toContain('Eldoria.json');
  });

  it.each(CONTENT_CARDS)('card $fileName: PNG and JSON write-read is lossless, and the API gives the same card', async ({ fileName, path }) => {
    const parsed = asCharacter(parseCardFile(await bytesOf(path), fileName));
    expect(parsed.warnings).toEqual([]);
    expectLosslessCardFormats(parsed, fileName);

    // The file SillyTavern serves and the JSON record its API gives are the same card to Troupe.
    const served = asCharacter(parseCardFile(await client.getCharacterCard(fileName), fileName));
    expect(served.character).toStrictEqual(parsed.character);
    const detail = await client.getCharacterJson(fileName);
    expect(asCharacter(parseCardObject(detail.card)).character).toStrictEqual(parsed.character);
  });

  it.each(CONTENT_WORLDS)('world $fileName: World Info write-read is lossless and keeps every shipped field', async ({ fileName, path }) => {
    const raw = await bytesOf(path);
    const parsed = asLorebook(parseCardFile(raw, fileName));
    expect(parsed.sourceFormat).toBe('st_world_info');
    expect(parsed.warnings).toEqual([]);
    const written = exportWorldInfoJson(parsed.lorebook);
    expect(asLorebook(parseCardFile(utf8(written), fileName)).lorebook).toStrictEqual(parsed.lorebook);

    // Written out again, every entry keeps every field it shipped with, at the same value.
    const shipped = JSON.parse(Buffer.from(raw).toString('utf8')) as { entries: Record<string, JsonObject> };
    const rewritten = JSON.parse(written) as { entries: Record<string, JsonObject> };
    expect(Object.keys(rewritten.entries).sort()).toEqual(Object.keys(shipped.entries).sort());
    for (const [uid, entry] of Object.entries(shipped.entries)) {
      for (const [field, value] of Object.entries(entry)) expect(rewritten.entries[uid]?.[field], `entries.${uid}.${field}`).toStrictEqual(value);
    }

    // SillyTavern's API gives the same book (named by its file, as SillyTavern names worlds).
    const stem = fileName.replace(/\.json$/, '');
    expect(asLorebook(parseCardObject(await client.getWorld(stem), stem)).lorebook).toStrictEqual(parsed.lorebook);
  });
});

describe('the shared fixtures round-trip through Troupe', () => {
  it.each(FIXTURE_CARDS)('%s: PNG and JSON write-read is lossless', async (name) => {
    expectLosslessCardFormats(asCharacter(parseCardFile(await fixture(name), name)), name);
  });

  it.each(FIXTURE_CARDS)('%s: CHARX write-read changes only the ccdefault icon into the embedded main image', async (name) => {
    const parsed = asCharacter(parseCardFile(await fixture(name), name));
    const image = cardImage(parsed);
    const back = asCharacter(parseCardFile(exportCharacterCharx(parsed.character, parsed.assets), name));
    const { assets: before, ...restBefore } = parsed.character.data;
    const { assets: after, ...restAfter } = back.character.data;
    expect({ ...back.character, data: restAfter }).toStrictEqual({ ...parsed.character, data: restBefore });
    if (image === undefined) {
      expect(after).toStrictEqual(before);
      return;
    }
    // Documented in charx.ts: a PNG card's own image becomes assets/icon/images/main.png and its
    // `ccdefault:` icons point there (a card with no asset list gets that one icon).
    const main = 'embeded://assets/icon/images/main.png';
    const expected = before === undefined
      ? [{ type: 'icon', uri: main, name: 'main', ext: 'png' }]
      : before.map((a) => (a.type === 'icon' && a.uri === 'ccdefault:' ? { ...a, uri: main, ext: 'png' } : a));
    expect(after).toStrictEqual(expected);
    expect(sameBytes(back.assets.find((a) => a.uri === main)?.bytes, image)).toBe(true);
  });

  it('Eldoria (World Info) write-read is lossless', async () => {
    const name = FIXTURE_BOOKS[0] ?? '';
    const parsed = asLorebook(parseCardFile(await fixture(name), name));
    expect(asLorebook(parseCardFile(utf8(exportWorldInfoJson(parsed.lorebook)), name)).lorebook).toStrictEqual(parsed.lorebook);
  });

  it('a lorebook_v3 written as World Info gains only SillyTavern\'s entry defaults, then is stable', async () => {
    const name = FIXTURE_BOOKS[1] ?? '';
    const book = asLorebook(parseCardFile(await fixture(name), name)).lorebook;
    const once = asLorebook(parseCardFile(utf8(exportWorldInfoJson(book)), name)).lorebook;
    const twice = asLorebook(parseCardFile(utf8(exportWorldInfoJson(once)), name)).lorebook;
    expect(twice).toStrictEqual(once);
    const { entries: entriesOnce, ...bookOnce } = once;
    const { entries: entriesBefore, ...bookBefore } = book;
    expect(bookOnce).toStrictEqual(bookBefore);
    expect(entriesOnce).toHaveLength(entriesBefore.length);
    entriesBefore.forEach((entry, i) => {
      const got = entriesOnce[i];
      // World Info keeps SillyTavern's entry settings in extensions (worldinfo.ts): written out, an entry
      // gains them at SillyTavern's defaults, with its position, list index and case flag spelled out. As in
      // SillyTavern, an entry with no position is placed after the character, and one with no secondary
      // keys gets an empty list and `selective: false`.
      const position = entry.position ?? 'after_char';
      const stDefaults: JsonObject = {
        position: position === 'before_char' ? 0 : 1,
        display_index: i,
        exclude_recursion: false,
        probability: 100,
        useProbability: true,
        depth: 4,
        selectiveLogic: 0,
        outlet_name: '',
        group: '',
        group_override: false,
        group_weight: 100,
        prevent_recursion: false,
        delay_until_recursion: false,
        scan_depth: null,
        match_whole_words: null,
        use_group_scoring: null,
        automation_id: '',
        role: 0,
        vectorized: false,
        sticky: null,
        cooldown: null,
        delay: null,
        match_persona_description: false,
        match_character_description: false,
        match_character_personality: false,
        match_character_depth_prompt: false,
        match_scenario: false,
        match_creator_notes: false,
        triggers: [],
        ignore_budget: false,
        case_sensitive: entry.case_sensitive ?? null,
      };
      expect(got, `entry ${i}`).toStrictEqual({
        ...entry,
        position,
        selective: entry.selective ?? false,
        secondary_keys: entry.secondary_keys ?? [],
        extensions: { ...stDefaults, ...entry.extensions },
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Troupe -> SillyTavern

/** A card using every field, with text that tends to break encoders, and keys no spec knows. */
function richCard(name: string): JsonObject {
  const long = Array.from({ length: 2_000 }, (_, i) => `Line ${i}: 海の灯台 🎭 «${'\\'}» "quoted" {{char}}`).join('\n');
  return {
    spec: 'chara_card_v3',
    spec_version: '3.0',
    troupe_top_level: { kept: true, list: [1, 'two', null] },
    data: {
      name,
      description: `${long}\nمرحبا — RTL text, zero-width joiner 👩‍🚀, tab\tand NUL-free controls \u0001.`,
      personality: 'calm, wry, <b>not html</b>',
      scenario: 'A storm night at {{user}}\'s lighthouse.',
      first_mes: '*The lamp turns.* "Come in out of the rain, {{user}}."',
      mes_example: '<START>\n{{user}}: Hello?\n{{char}}: The sea says hello back.\n<START>\n{{user}}: And now?\n{{char}}: Tides.',
      creator_notes: 'Made by Troupe\'s round-trip test.\nSecond line.',
      system_prompt: '{{original}}\nStay in character as {{char}}.',
      post_history_instructions: '{{original}} Keep replies under 80 words.',
      alternate_greetings: ['Another wave, another guest.', '', '🌊'],
      tags: ['troupe', 'lighthouse', 'Ünïcödé'],
      creator: 'Troupe e2e',
      character_version: '2.5-beta',
      extensions: {
        talkativeness: '0.7',
        fav: true,
        world: 'Troupe Atlas',
        depth_prompt: { prompt: 'Remember the storm.', depth: 3, role: 'system' },
        troupe_unknown: { nested: { deeper: [1, 2.5, -3, true, null, 'x'] }, emoji: '🎭' },
        regex_scripts: [],
      },
      character_book: {
        name: 'Lighthouse lore',
        description: 'Book embedded in the card.',
        scan_depth: 3,
        token_budget: 700,
        recursive_scanning: true,
        extensions: { troupe_book_ext: { a: 1 } },
        entries: [
          {
            keys: ['lamp', 'beacon'],
            secondary_keys: ['night', 'storm'],
            content: 'The lamp has burned for 90 years.',
            extensions: { position: 0, depth: 4, probability: 80, useProbability: true, selectiveLogic: 3, group: 'light', troupe_entry_ext: 'kept' },
            enabled: true,
            insertion_order: 10,
            use_regex: false,
            case_sensitive: true,
            constant: false,
            name: 'lamp',
            priority: 5,
            id: 1,
            comment: 'selective, AND ALL',
            selective: true,
            position: 'before_char',
          },
          {
            keys: ['/\\bkeeper(s)?\\b/i'],
            secondary_keys: [],
            content: 'The last keeper left a logbook.',
            extensions: { position: 4, depth: 2, role: 1, sticky: 2, cooldown: 1 },
            enabled: false,
            insertion_order: 20,
            use_regex: true,
            constant: false,
            id: 'keeper-entry',
            comment: 'regex, disabled, at depth',
            selective: false,
            position: 'after_char',
          },
          {
            keys: [],
            content: '@@depth 2\nAlways mention the sea.',
            extensions: {},
            enabled: true,
            insertion_order: 30,
            use_regex: false,
            constant: true,
            id: 3,
          },
        ],
      },
      assets: [
        { type: 'icon', uri: 'ccdefault:', name: 'main', ext: 'png' },
        { type: 'background', uri: 'https://example.invalid/bg.png', name: 'storm', ext: 'png', troupe_asset_ext: 1 },
      ],
      nickname: 'Ari',
      creator_notes_multilingual: { en: 'English notes', fr: 'Notes en français', ja: '日本語のメモ' },
      source: ['https://example.invalid/cards/aria', 'troupe:test'],
      group_only_greetings: ['Hello, all of you.'],
      creation_date: 1_700_000_000,
      modification_date: 1_700_000_500,
      troupe_data_level: 'unknown data key',
    },
  };
}

const TEXT_FIELDS = [
  'name',
  'description',
  'personality',
  'scenario',
  'first_mes',
  'mes_example',
  'creator_notes',
  'system_prompt',
  'post_history_instructions',
  'alternate_greetings',
  'tags',
  'creator',
  'character_version',
] as const;

const V3_FIELDS = ['assets', 'nickname', 'creator_notes_multilingual', 'source', 'group_only_greetings', 'creation_date', 'modification_date'] as const;

/** SillyTavern's file-name sanitising of `data.name` on import (sanitize-filename): drops / ? < > \ : * | " and controls. */
function stSanitizedName(name: string): string {
  return name.replace(/[/?<>\\:*|"]/g, '').replace(/[\u0000-\u001f\u0080-\u009f]/g, '').replace(/[. ]+$/, '');
}

/**
 * What SillyTavern 1.19 stores when it imports a PNG whose `ccv3` chunk holds `sent` (importFromPng):
 * it reads `ccv3` (preferred over `chara`), sanitises `data.name` as a file name, clears the favourite
 * flag (`fav` and `data.extensions.fav` become false), drops `chat` and `json_data`, rebuilds the V1
 * mirror at the top level from `data` (name, description, personality, scenario, first_mes, mes_example,
 * tags, talkativeness when the card has one), names a new chat `<name> - <time>` and stamps `create_date`.
 * Nothing else: `data` keeps every other field and unknown key, and the book is not touched.
 */
function stImported(sent: JsonObject): JsonObject {
  const data = sent['data'] as JsonObject;
  const extensions = data['extensions'] as JsonObject;
  const name = stSanitizedName(String(data['name']));
  const storedData: JsonObject = { ...data, name, extensions: { ...extensions, fav: false } };
  const card: JsonObject = { ...sent, data: storedData, fav: false };
  delete card['chat'];
  delete card['json_data'];
  for (const field of ['name', 'description', 'personality', 'scenario', 'first_mes', 'mes_example', 'tags'] as const) card[field] = storedData[field];
  if (extensions['talkativeness'] !== undefined) card['talkativeness'] = extensions['talkativeness'];
  return {
    ...card,
    chat: expect.stringMatching(new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} - \\d{4}-\\d{1,2}-\\d{1,2}@`)),
    create_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  };
}

interface Exported {
  label: string;
  character: Character;
  image?: Uint8Array;
}

async function exportedCards(): Promise<Exported[]> {
  const cards: Exported[] = [{ label: 'rich generated card', character: asCharacter(parseCardObject(richCard('Troupe Rich Aria'))).character }];
  for (const name of FIXTURE_CARDS) {
    const parsed = asCharacter(parseCardFile(await fixture(name), name));
    const image = cardImage(parsed);
    cards.push({ label: name, character: parsed.character, ...(image ? { image } : {}) });
  }
  return cards;
}

function checkBook(stored: Lorebook | undefined, sent: Lorebook | undefined): void {
  if (sent === undefined) {
    expect(stored).toBeUndefined();
    return;
  }
  expect(stored?.entries).toHaveLength(sent.entries.length);
  sent.entries.forEach((entry, i) => {
    const got = stored?.entries[i];
    expect(got?.keys, `entry ${i} keys`).toStrictEqual(entry.keys);
    expect(got?.secondary_keys, `entry ${i} secondary keys`).toStrictEqual(entry.secondary_keys);
    expect(got?.content, `entry ${i} content`).toBe(entry.content);
    for (const flag of ['enabled', 'constant', 'selective', 'use_regex', 'case_sensitive', 'position', 'insertion_order', 'priority', 'id', 'name', 'comment'] as const) {
      expect(got?.[flag], `entry ${i} ${flag}`).toStrictEqual(entry[flag]);
    }
    expect(got?.extensions, `entry ${i} extensions`).toStrictEqual(entry.extensions);
  });
  expect(stored).toStrictEqual(sent);
}

const EXPORTED = await exportedCards();

describe('a card Troupe exports imports into SillyTavern 1.19 intact', () => {
  it.each(EXPORTED)('$label', async (card) => {
    const png = exportCharacterPng(card.character, card.image ? { image: card.image } : {});
    const sent = chunkJson(png, 'ccv3');
    expect(chunkJson(png, 'chara')).toMatchObject({ spec: 'chara_card_v2', data: { name: card.character.data.name } });

    const { avatar } = await client.importCharacter(png, 'troupe-export.png');
    const detail = await client.getCharacterJson(avatar);
    const storedCard = detail.card;
    if (storedCard === null) throw new Error(`${card.label}: SillyTavern sent no json_data`);

    // The whole stored card: exactly what Troupe sent, changed only as stImported documents.
    expect(storedCard).toStrictEqual(stImported(sent));
    expect(detail.data).toStrictEqual(storedCard['data']);

    // Field by field against the card Troupe exported.
    const stored = asCharacter(parseCardObject(storedCard)).character;
    const source = card.character.data;
    for (const field of TEXT_FIELDS) {
      const expected = field === 'name' ? stSanitizedName(source.name) : source[field];
      expect(stored.data[field], `${card.label}: ${field}`).toStrictEqual(expected);
    }
    expect(stored.data.extensions, `${card.label}: extensions`).toStrictEqual({ ...source.extensions, fav: false });
    for (const field of V3_FIELDS) expect(stored.data[field], `${card.label}: ${field}`).toStrictEqual(source[field]);
    checkBook(stored.data.character_book, source.character_book);
    expect(stored.spec).toBe('chara_card_v3');

    // The file SillyTavern wrote reads back in Troupe as the card exported, with the same changes: its
    // `chara` chunk is labelled V3 too (SillyTavern writes the card it read into both chunks).
    const storedPng = await client.getCharacterCard(avatar);
    expect(chunkJson(storedPng, 'chara')).toMatchObject({ spec: 'chara_card_v3', data: { name: stored.data.name } });
    const back = asCharacter(parseCardFile(storedPng, avatar));
    expect(back.pngChunk).toBe('ccv3');
    expect(back.character).toStrictEqual({
      ...card.character,
      data: { ...card.character.data, name: stSanitizedName(source.name), extensions: { ...source.extensions, fav: false } },
      chat: storedCard['chat'],
      create_date: storedCard['create_date'],
    });
    // The image is decoded and re-encoded (Jimp) at its own size.
    expect(pngSize(storedPng)).toEqual(pngSize(card.image ?? png));
  });

  it('SillyTavern strips file-name characters from the name and nothing else', async () => {
    const character = asCharacter(parseCardObject(richCard('Aria: "Night/Day"?'))).character;
    const png = exportCharacterPng(character);
    const { avatar } = await client.importCharacter(png, 'troupe-unsafe-name.png');
    expect(avatar).toBe('Aria NightDay.png');
    const storedCard = (await client.getCharacterJson(avatar)).card;
    expect(storedCard).toStrictEqual(stImported(chunkJson(png, 'ccv3')));
    expect((storedCard?.['data'] as JsonObject | undefined)?.['name']).toBe('Aria NightDay');
  });
});

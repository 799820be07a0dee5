/**
 * Troupe's SillyTavern client against a real SillyTavern 1.19 (installed from npm by the harness, started
 * once for this file on 127.0.0.1 with a fresh data root holding its default content).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { getFreePort } from '../harness/free-port.ts';
import { closeServer, listen } from '../harness/http-util.ts';
import { INSTALL_AND_START_TIMEOUT_MS, ST_VERSION, listUserFiles, makeCardPng, pngTextChunks, startSillyTavern, stDefaultContentFiles } from '../harness/sillytavern.ts';
import type { SillyTavernServer } from '../harness/sillytavern.ts';
import { createSillyTavernClient, SillyTavernError, withCookieJar } from '../../background/sillytavern/index.ts';
import type { SillyTavernClient, SillyTavernErrorCode } from '../../background/sillytavern/index.ts';

let st: SillyTavernServer;
let client: SillyTavernClient;

beforeAll(async () => {
  st = await startSillyTavern();
  client = createSillyTavernClient({ baseUrl: st.url, fetch: withCookieJar(fetch) });
}, INSTALL_AND_START_TIMEOUT_MS);

afterAll(async () => {
  await st?.close();
});

async function errorCode(promise: Promise<unknown>): Promise<SillyTavernErrorCode> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SillyTavernError) return err.code;
    throw err;
  }
  throw new Error('expected a SillyTavernError');
}

/** Addresses listening on a TCP port, from the kernel's tables (IPv4 dotted, IPv6 as its hex). */
async function listeningAddresses(port: number): Promise<string[]> {
  const found: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (local === undefined || state !== '0A') continue;
      const [addr = '', portHex = ''] = local.split(':');
      if (parseInt(portHex, 16) !== port) continue;
      // IPv4 is stored as a little-endian word.
      found.push(addr.length === 8 ? [6, 4, 2, 0].map((i) => parseInt(addr.slice(i, i + 2), 16)).join('.') : addr);
    }
  }
  return found;
}

const TEST_CARD = {
  spec: 'chara_card_v2',
  spec_version: '2.0',
  data: {
    name: 'Troupe Test Aria',
    description: 'A lighthouse keeper who speaks in tides.',
    personality: 'calm, wry',
    scenario: 'A storm night at the lighthouse.',
    first_mes: 'The lamp is lit. Come in out of the rain.',
    mes_example: '<START>\n{{user}}: Hello?\n{{char}}: The sea says hello back.',
    creator_notes: 'Made by the Troupe e2e test.',
    system_prompt: 'Stay in character as {{char}}.',
    post_history_instructions: 'Keep replies short.',
    alternate_greetings: ['Another wave, another guest.'],
    tags: ['troupe', 'lighthouse'],
    creator: 'Troupe e2e',
    character_version: '1.2',
    extensions: { troupe: { roundTrip: 'kept' } },
  },
};

describe('the harness SillyTavern', () => {
  it('runs the pinned version, bound to 127.0.0.1 only', async () => {
    expect(await client.probe()).toMatchObject({ version: ST_VERSION });
    expect(await listeningAddresses(st.port)).toEqual(['127.0.0.1']);
  });

  it('lists the shipped default card and world from its own content index', async () => {
    const files = await stDefaultContentFiles(st.contentDir);
    expect(files.map((f) => `${f.kind}:${f.fileName}`)).toEqual(expect.arrayContaining(['character:default_Seraphina.png', 'world:Eldoria.json']));
    for (const file of files) expect((await readFile(file.path)).byteLength).toBeGreaterThan(0);
  });
});

describe('SillyTavern client against SillyTavern 1.19', () => {
  it('lists Seraphina, lightly, with her file name, tags, creator and spec', async () => {
    const characters = await client.listCharacters();
    const seraphina = characters.find((c) => c.avatar === 'default_Seraphina.png');
    expect(seraphina).toEqual({ avatar: 'default_Seraphina.png', name: 'Seraphina', tags: [], creator: 'OtisAlejandro', spec: 'chara_card_v3', specVersion: '3.0' });
  });

  it('fetches her card PNG byte for byte as shipped, with ccv3 and chara chunks', async () => {
    const png = await client.getCharacterCard('default_Seraphina.png');
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(Buffer.from(png).equals(await readFile(`${st.contentDir}/default_Seraphina.png`))).toBe(true);
    const chunks = pngTextChunks(png);
    expect([...chunks.keys()]).toEqual(expect.arrayContaining(['chara', 'ccv3']));
    const v3: unknown = JSON.parse(Buffer.from(chunks.get('ccv3') ?? '', 'base64').toString('utf8'));
    expect(v3).toMatchObject({ spec: 'chara_card_v3', data: { name: 'Seraphina' } });
  });

  it('gives her JSON record with the raw card and its 4-entry book', async () => {
    const detail = await client.getCharacterJson('default_Seraphina.png');
    expect(detail).toMatchObject({ name: 'Seraphina', spec: 'chara_card_v3', card: { spec: 'chara_card_v3', data: { name: 'Seraphina' } } });
    const book = detail.data?.character_book as { entries?: unknown[] } | undefined;
    expect(book?.entries).toHaveLength(4);
  });

  it('lists Eldoria and returns its entries keyed by uid', async () => {
    expect(await client.listWorlds()).toContainEqual({ fileId: 'Eldoria', name: 'Eldoria' });
    const world = await client.getWorld('Eldoria');
    const keys = Object.keys(world.entries);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(world.entries[key]?.uid).toBe(Number(key));
    expect(world.entries['0']).toMatchObject({ key: expect.arrayContaining(['eldoria']), content: expect.stringContaining('Eldoria') });
  });

  it('imports a V2 card PNG that then lists and reads back with every field', async () => {
    const { avatar } = await client.importCharacter(makeCardPng(TEST_CARD), 'troupe-aria.png');
    expect(avatar).toBe('Troupe Test Aria.png');
    expect(await listUserFiles(st, 'characters')).toContain(avatar);

    // SillyTavern rewrites the file with a `chara` chunk (our V2 card) and a `ccv3` copy labelled V3, and
    // reads the ccv3 one back: from then on it reports the card as V3.
    const listed = (await client.listCharacters()).find((c) => c.avatar === avatar);
    expect(listed).toEqual({ avatar, name: 'Troupe Test Aria', tags: ['troupe', 'lighthouse'], creator: 'Troupe e2e', spec: 'chara_card_v3', specVersion: '3.0' });

    const { extensions, ...fields } = TEST_CARD.data;
    const detail = await client.getCharacterJson(avatar);
    expect(detail.card).toMatchObject({ spec: 'chara_card_v3', data: { ...fields, extensions } });
    expect(detail.data).toMatchObject({ ...fields, extensions });

    const stored = pngTextChunks(await client.getCharacterCard(avatar));
    expect([...stored.keys()]).toEqual(expect.arrayContaining(['chara', 'ccv3']));
    const chara: unknown = JSON.parse(Buffer.from(stored.get('chara') ?? '', 'base64').toString('utf8'));
    expect(chara).toMatchObject({ spec: 'chara_card_v2', spec_version: '2.0', data: { ...fields, extensions } });
  });

  it('reports missing characters and worlds as st/not-found', async () => {
    expect(await errorCode(client.getCharacterCard('Nobody.png'))).toBe('st/not-found');
    expect(await errorCode(client.getCharacterJson('Nobody.png'))).toBe('st/not-found');
    expect(await errorCode(client.getWorld('Nowhere'))).toBe('st/not-found');
  });

  it('fails its CSRF check when the session cookie is not kept (st/csrf)', async () => {
    const cookieless = createSillyTavernClient({ baseUrl: st.url, fetch });
    expect(await errorCode(cookieless.listWorlds())).toBe('st/csrf');
  });
});

describe('SillyTavern client errors', () => {
  it('reports a port where nothing listens as st/unreachable', async () => {
    const port = await getFreePort();
    const nobody = createSillyTavernClient({ baseUrl: `http://127.0.0.1:${port}`, fetch: withCookieJar(fetch) });
    expect(await errorCode(nobody.listCharacters())).toBe('st/unreachable');
  });

  it('reports another HTTP server as st/not-sillytavern', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>NextChat</title><div id="app-body"></div>');
    });
    const port = await listen(server, 0);
    try {
      const other = createSillyTavernClient({ baseUrl: `http://127.0.0.1:${port}`, fetch: withCookieJar(fetch) });
      expect(await errorCode(other.listCharacters())).toBe('st/not-sillytavern');
      expect(await errorCode(other.probe())).toBe('st/not-sillytavern');
    } finally {
      await closeServer(server);
    }
  });
});

// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseCardFile, parseCardObject } from '@troupe/shared/cards';
import { SillyTavernError } from '../sillytavern/index.ts';
import { ST_IMPORT_CHUNK_SIZE } from '../../messaging/limits/st-import.ts';
import { runStImport, type StImportProgress } from './run-import.ts';
import { cardPng, fixtureBytes, fixtureJson, recordingStore, scriptedClient } from './test-support.ts';
import type { StImportChoice, StImportItemResult, StoreImportItems } from '../../messaging/st-import-types.ts';

const SERAPHINA = fixtureBytes('st-default_Seraphina.png');
const ELDORIA = fixtureJson('st-Eldoria.worldinfo.json');

async function run(client: ReturnType<typeof scriptedClient>['client'], choices: StImportChoice[], store: StoreImportItems, signal?: AbortSignal) {
  const results: StImportItemResult[] = [];
  const progress: StImportProgress[] = [];
  await runStImport({ client, choices, store, onResult: (r) => results.push(r), onProgress: (p) => progress.push(p), ...(signal ? { signal } : {}) });
  return { results, progress };
}

const summary = (r: StImportItemResult): string => `${r.kind}:${r.label}:${r.ok ? 'ok' : r.code}`;

describe('runStImport', () => {
  it('hands the raw card, read losslessly, and its linked World Info to the store, world first', async () => {
    const { client } = scriptedClient({ 'default_Seraphina.png': SERAPHINA }, { Eldoria: ELDORIA });
    const { store, calls } = recordingStore();
    const { results } = await run(client, [{ avatar: 'default_Seraphina.png', name: 'Seraphina' }], store);

    expect(calls).toHaveLength(1);
    const [world, character] = calls[0] ?? [];
    expect(world).toMatchObject({ kind: 'lorebook', label: 'Eldoria', sourceName: 'Eldoria', parsed: { kind: 'lorebook', sourceFormat: 'st_world_info' } });
    expect(world?.parsed).toStrictEqual(parseCardObject(ELDORIA, 'Eldoria'));
    expect(character).toMatchObject({ kind: 'character', label: 'Seraphina', sourceName: 'default_Seraphina.png', linkedLorebook: 'Eldoria' });
    if (character?.kind !== 'character') throw new Error('expected the character second');
    const fromFile = parseCardFile(SERAPHINA, 'default_Seraphina.png');
    if (fromFile.kind !== 'character') throw new Error('Seraphina is a character');
    const { assets, ...rest } = character.parsed;
    const { assets: fileAssets, ...fileRest } = fromFile;
    expect(rest).toStrictEqual(fileRest);
    // Compared as buffers: a deep equality walks half a million bytes one by one.
    expect(assets.map((a) => [a.uri, a.name, a.mime])).toEqual([['ccdefault:', 'default_Seraphina.png', 'image/png']]);
    expect(Buffer.from(assets[0]?.bytes ?? []).equals(Buffer.from(fileAssets[0]?.bytes ?? [1]))).toBe(true);

    expect(results).toEqual([
      { kind: 'lorebook', label: 'Eldoria', source: 'Eldoria', ok: true, id: 'id-Eldoria', name: 'Eldoria', linkedLorebook: null, warnings: 0 },
      { kind: 'character', label: 'Seraphina', source: 'default_Seraphina.png', ok: true, id: 'id-default_Seraphina.png', name: 'Seraphina', linkedLorebook: 'Eldoria', warnings: 0 },
    ]);
  });

  it('gives a bad card its own error and goes on with the batch', async () => {
    const { client } = scriptedClient({
      'a.png': cardPng('Ann'),
      'broken.png': Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0),
      'refused.png': new SillyTavernError('st/forbidden', 'SillyTavern refused the request (403).', 403),
      'b.png': cardPng('Ben'),
    });
    const { store, calls } = recordingStore();
    const { results } = await run(client, ['a', 'broken', 'gone', 'refused', 'b'].map((n) => ({ avatar: `${n}.png`, name: n })), store);
    expect(results.map(summary)).toEqual(['character:a:ok', 'character:broken:png/truncated', 'character:gone:st/not-found', 'character:refused:st/forbidden', 'character:b:ok']);
    expect(results[2]).toMatchObject({ ok: false, message: 'SillyTavern has no character file gone.png.' });
    expect(calls.flat().map((i) => i.sourceName)).toEqual(['a.png', 'b.png']);
  });

  it('fetches a world linked by many characters once, across chunks', async () => {
    const count = ST_IMPORT_CHUNK_SIZE + 2;
    const cards = Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}.png`, cardPng(`C${i}`, 'Eldoria')]));
    const { client, calls: requests } = scriptedClient(cards, { Eldoria: ELDORIA });
    const { store, calls } = recordingStore();
    const { results, progress } = await run(client, Object.keys(cards).map((avatar, i) => ({ avatar, name: `C${i}` })), store);
    expect(requests.worlds).toEqual(['Eldoria']);
    expect(calls.map((c) => c.length)).toEqual([ST_IMPORT_CHUNK_SIZE + 1, 2]);
    expect(results.filter((r) => r.kind === 'lorebook')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'character' && r.ok && r.linkedLorebook === 'Eldoria')).toHaveLength(count);
    expect(progress.at(-1)).toEqual({ phase: 'storing', charactersDone: count });
    expect(progress.map((p) => p.charactersDone)).toEqual([...progress.map((p) => p.charactersDone)].sort((a, b) => a - b));
  });

  it('stores the character when its linked world is missing, and reports the world', async () => {
    const { client } = scriptedClient({ 'lone.png': cardPng('Lone', 'Atlantis') });
    const { store, calls } = recordingStore();
    const { results } = await run(client, [{ avatar: 'lone.png', name: 'Lone' }], store);
    expect(results.map(summary)).toEqual(['lorebook:Atlantis:st/not-found', 'character:Lone:ok']);
    expect(calls[0]?.[0]).toMatchObject({ kind: 'character', linkedLorebook: 'Atlantis' });
  });

  it('passes the store\'s own per-item errors through, and fills in results it did not give', async () => {
    const { client } = scriptedClient({ 'a.png': cardPng('Ann'), 'b.png': cardPng('Ben'), 'c.png': cardPng('Cid') });
    const { store } = recordingStore((item, i) => {
      if (i === 0) return { label: item.label, ok: false, code: 'import/too-large', message: 'Ann is too large.' };
      if (i === 1) return { label: item.label, ok: true, kind: 'character', id: 'b1', name: 'Ben', warnings: [{ path: 'data.tags', message: 'fixed' }] };
      return undefined;
    });
    const { results } = await run(client, ['a', 'b', 'c'].map((n) => ({ avatar: `${n}.png`, name: n })), store);
    expect(results).toEqual([
      { kind: 'character', label: 'a', source: 'a.png', ok: false, code: 'import/too-large', message: 'Ann is too large.' },
      { kind: 'character', label: 'b', source: 'b.png', ok: true, id: 'b1', name: 'Ben', linkedLorebook: null, warnings: 1 },
      { kind: 'character', label: 'c', source: 'c.png', ok: false, code: 'st-import/store-failed', message: 'c was not stored: the library gave no result for it.' },
    ]);
  });

  it('fails only the chunk whose store call throws', async () => {
    const count = ST_IMPORT_CHUNK_SIZE + 1;
    const cards = Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}.png`, cardPng(`C${i}`)]));
    const { client } = scriptedClient(cards);
    let call = 0;
    const store: StoreImportItems = async (items) => {
      if (call++ === 0) throw new Error('database closed');
      return items.map((item) => ({ label: item.label, ok: true as const, kind: item.kind, id: item.sourceName, name: item.label }));
    };
    const { results } = await run(client, Object.keys(cards).map((avatar) => ({ avatar, name: avatar })), store);
    expect(results.slice(0, ST_IMPORT_CHUNK_SIZE).every((r) => !r.ok && r.code === 'st-import/store-failed' && r.message === 'database closed')).toBe(true);
    expect(results.at(-1)).toMatchObject({ ok: true, source: `c${ST_IMPORT_CHUNK_SIZE}.png` });
  });

  it('stops at the next step once aborted, leaving later characters untouched', async () => {
    const count = ST_IMPORT_CHUNK_SIZE * 2;
    const cards = Object.fromEntries(Array.from({ length: count }, (_, i) => [`c${i}.png`, cardPng(`C${i}`)]));
    const { client, calls: requests } = scriptedClient(cards);
    const controller = new AbortController();
    const { store, calls } = recordingStore();
    const stopping: StoreImportItems = async (items, onProgress) => {
      const answer = await store(items, onProgress);
      controller.abort();
      return answer;
    };
    const { results } = await run(client, Object.keys(cards).map((avatar) => ({ avatar, name: avatar })), stopping, controller.signal);
    expect(calls).toHaveLength(1);
    expect(results).toHaveLength(ST_IMPORT_CHUNK_SIZE);
    expect(requests.cards).toHaveLength(ST_IMPORT_CHUNK_SIZE);
  });

  it('does not store a chunk downloaded after the abort', async () => {
    const controller = new AbortController();
    const { client } = scriptedClient({ 'a.png': cardPng('Ann') });
    const aborting: typeof client = { ...client, getCharacterCard: async (avatar) => { const png = await client.getCharacterCard(avatar); controller.abort(); return png; } };
    const { store, calls } = recordingStore();
    const { results } = await run(aborting, [{ avatar: 'a.png', name: 'Ann' }], store, controller.signal);
    expect(calls).toHaveLength(0);
    expect(results.map(summary)).toEqual(['character:Ann:st-import/cancelled']);
  });
});

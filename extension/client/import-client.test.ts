// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFiles, importParsedFiles, type FileLike, type ImportProgress } from './import-client.ts';
import { FIXTURES, fixtureBytes, parseFixture, testLibrary, type TestLibrary } from '../background/library/test-support.ts';
import { MAX_IMPORT_BATCH_ITEMS } from '../messaging/limits/library.ts';
import type { WireImportItem } from '../messaging/library-wire.ts';

let t: TestLibrary;
beforeEach(() => { t = testLibrary(); });
afterEach(async () => { await t.close(); });

const file = (name: string, bytes: Uint8Array): FileLike => ({ name, size: bytes.length, arrayBuffer: async () => bytes.slice().buffer });
const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('importFiles', () => {
  it('gives every file a result in order: stored, or its card error; the batch goes on', async () => {
    const seraphina = fixtureBytes(FIXTURES.seraphina);
    const truncated = seraphina.slice(0, 5_000);
    const progress: ImportProgress[] = [];
    const results = await importFiles([
      file('Seraphina.png', seraphina),
      file('broken.png', truncated),
      file('kitchen.json', fixtureBytes(FIXTURES.kitchenSink)),
      file('notes.txt', json('hello').subarray(1)),
      file('Marin.charx', fixtureBytes(FIXTURES.charx)),
      file('Eldoria.json', fixtureBytes(FIXTURES.eldoria)),
      file('empty.json', new Uint8Array()),
    ], { send: (items) => t.library.importWire(items), onProgress: (p) => progress.push(p) });

    expect(results.map((r) => (r.ok ? `ok ${r.kind} ${r.name}` : `error ${r.code}`))).toEqual([
      'ok character Seraphina',
      'error png/truncated',
      'ok character Marin Test-Keeper',
      'error card/unknown-format',
      'ok character Marin Test-Keeper',
      'ok lorebook Eldoria',
      'error file/empty',
    ]);
    expect(results[1]).toMatchObject({ label: 'broken.png', message: expect.stringMatching(/\S/) });
    expect(progress.at(-1)).toMatchObject({ done: 7, total: 7 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(await t.db.characters.count()).toBe(3);
    expect(await t.db.lorebooks.count()).toBe(1);
  });

  it('sends bounded batches and keeps results in file order', async () => {
    const count = MAX_IMPORT_BATCH_ITEMS * 2 + 7;
    const files = Array.from({ length: count }, (_, i) => file(`c${i}.json`, json({ name: `Card ${i}`, description: `number ${i}` })));
    const batches: number[] = [];
    const results = await importFiles(files, { send: async (items) => { batches.push(items.length); return t.library.importWire(items); } });
    expect(batches.every((n) => n <= MAX_IMPORT_BATCH_ITEMS)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(count);
    expect(results.map((r) => r.ok && r.name)).toEqual(files.map((_, i) => `Card ${i}`));
  });

  it('turns a failed batch into an error for each of its files', async () => {
    const results = await importFiles([file('a.json', json({ name: 'A' }))], {
      send: async () => { throw Object.assign(new Error('Troupe\'s background is not reachable.'), { code: 'runtime/unreachable' }); },
    });
    expect(results).toEqual([{ label: 'a.json', ok: false, code: 'runtime/unreachable', message: 'Troupe\'s background is not reachable.' }]);
  });

  it('refuses a file over the card size limit without reading it', async () => {
    const huge: FileLike = { name: 'huge.png', size: 64 * 1024 * 1024, arrayBuffer: () => { throw new Error('read'); } };
    const sent: WireImportItem[][] = [];
    const [result] = await importFiles([huge], { send: async (items) => { sent.push(items); return []; } });
    expect(result).toMatchObject({ ok: false, code: 'file/too-large' });
    expect(sent).toEqual([]);
  });
});

describe('importParsedFiles', () => {
  it('imports cards parsed elsewhere (e.g. from SillyTavern\'s API)', async () => {
    const results = await importParsedFiles([{ label: 'Seraphina (SillyTavern)', parsed: parseFixture(FIXTURES.seraphina) }], { send: (items) => t.library.importWire(items) });
    expect(results).toMatchObject([{ ok: true, name: 'Seraphina', label: 'Seraphina (SillyTavern)' }]);
  });
});

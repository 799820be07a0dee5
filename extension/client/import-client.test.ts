// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { importFiles, importParsedFiles, readCardFile, type FileLike, type ImportProgress, type ReadFile } from './import-client.ts';
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

describe('reading files', () => {
  it('hands a PNG card\'s image over as slices of the file, byte for byte what the reader made', async () => {
    const bytes = fixtureBytes(FIXTURES.seraphina);
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    const slices: [number, number][] = [];
    const picked: FileLike = { name: 'Seraphina.png', size: blob.size, arrayBuffer: () => blob.arrayBuffer(), slice: (start, end) => { slices.push([start, end]); return blob.slice(start, end); } };
    const read = await readCardFile(picked, 'blob');
    if ('ok' in read || read.item.kind !== 'character') throw new Error('not read');
    expect(slices.length).toBeGreaterThan(0);
    const parsed = parseFixture(FIXTURES.seraphina);
    if (parsed.kind !== 'character') throw new Error('fixture');
    // Buffer comparison: toEqual walks half a megabyte element by element.
    expect(Buffer.compare(new Uint8Array(await read.item.assets[0]!.blob!.arrayBuffer()), parsed.assets[0]!.bytes)).toBe(0);
    const [stored] = await t.library.importWire([read.item]);
    expect(stored).toMatchObject({ ok: true, name: 'Seraphina' });
    expect(Buffer.compare(new Uint8Array(await (await t.db.assets.toArray())[0]!.blob.arrayBuffer()), parsed.assets[0]!.bytes)).toBe(0);
  });

  it('reads through the given reader, many files at once, and keeps results in file order', async () => {
    const files = Array.from({ length: 12 }, (_, i) => file(`c${i}.json`, json({ name: `Card ${i}` })));
    const waiting: { file: FileLike; done(read: ReadFile): void }[] = [];
    const running = importFiles(files, {
      send: (items) => t.library.importWire(items),
      readFile: (picked) => new Promise<ReadFile>((done) => waiting.push({ file: picked, done })),
    });
    await vi.waitFor(() => expect(waiting.length).toBe(12));
    // Answered last to first: the reader may finish in any order.
    for (const { file: picked, done } of [...waiting].reverse()) done(await readCardFile(picked, 'base64'));
    expect((await running).map((r) => r.ok && r.name)).toEqual(files.map((_, i) => `Card ${i}`));
  });

  it('turns a reader that fails into that file\'s error', async () => {
    const [result] = await importFiles([file('a.json', json({ name: 'A' }))], {
      send: (items) => t.library.importWire(items),
      readFile: async () => { throw new Error('the worker went away'); },
    });
    expect(result).toEqual({ label: 'a.json', ok: false, code: 'import/failed', message: 'the worker went away' });
  });
});

describe('importParsedFiles', () => {
  it('imports cards parsed elsewhere (e.g. from SillyTavern\'s API)', async () => {
    const results = await importParsedFiles([{ label: 'Seraphina (SillyTavern)', parsed: parseFixture(FIXTURES.seraphina) }], { send: (items) => t.library.importWire(items) });
    expect(results).toMatchObject([{ ok: true, name: 'Seraphina', label: 'Seraphina (SillyTavern)' }]);
  });
});

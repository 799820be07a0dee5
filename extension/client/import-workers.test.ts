// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { FileLike, ReadFile } from './import-client.ts';
import { readCardFile } from './import-client.ts';
import type { ReadAnswer, ReadRequest } from './import-worker.ts';
import { openImportWorkers, type WorkerLike } from './import-workers.ts';

const file = (name: string, value: unknown): FileLike => {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return { name, size: bytes.length, arrayBuffer: async () => bytes.slice().buffer };
};
const card = (name: string) => file(`${name}.json`, { spec: 'chara_card_v3', spec_version: '3.0', data: { name } });
const nameOf = (read: ReadFile) => ('ok' in read ? `error ${read.ok ? read.name : read.code}` : read.item.kind === 'character' ? read.item.character.data.name : read.item.label);

/** A worker that runs readCardFile as the real one does, answering in the order it is told to. */
class FakeWorker implements WorkerLike {
  readonly requests: ReadRequest[] = [];
  terminated = false;
  private readonly listeners: { message: ((event: MessageEvent<ReadAnswer>) => void)[]; error: (() => void)[] } = { message: [], error: [] };

  postMessage(request: ReadRequest): void {
    if (typeof (request.file as { clone?: unknown }).clone === 'function') throw new DOMException('cannot clone', 'DataCloneError');
    this.requests.push(request);
  }

  addEventListener(type: 'message' | 'error', listener: ((event: MessageEvent<ReadAnswer>) => void) | (() => void)): void {
    if (type === 'message') this.listeners.message.push(listener as (event: MessageEvent<ReadAnswer>) => void);
    else this.listeners.error.push(listener as () => void);
  }

  terminate(): void { this.terminated = true; }

  /** Answers the oldest request. */
  async answer(): Promise<void> {
    const request = this.requests.shift()!;
    const read = await readCardFile(request.file, request.assets);
    for (const listener of this.listeners.message) listener({ data: { id: request.id, read } } as MessageEvent<ReadAnswer>);
  }

  fail(): void {
    for (const listener of this.listeners.error) listener();
  }
}

describe('openImportWorkers', () => {
  it('hands each file to the least busy worker and answers each read with its own file', async () => {
    const workers: FakeWorker[] = [];
    const readers = openImportWorkers('base64', 2, () => { const worker = new FakeWorker(); workers.push(worker); return worker; });
    const reads = ['Ann', 'Bo', 'Cy'].map((name) => readers.readFile(card(name)));
    expect(workers.map((worker) => worker.requests.map((r) => r.file.name))).toEqual([['Ann.json', 'Cy.json'], ['Bo.json']]);
    await workers[1]!.answer();
    await workers[0]!.answer();
    await workers[0]!.answer();
    expect((await Promise.all(reads)).map(nameOf)).toEqual(['Ann', 'Bo', 'Cy']);
    readers.close();
    expect(workers.every((worker) => worker.terminated)).toBe(true);
  });

  it("reads on the page's thread when a worker fails, including the files it had been given", async () => {
    const worker = new FakeWorker();
    const readers = openImportWorkers('base64', 1, () => worker);
    const first = readers.readFile(card('Ann'));
    worker.fail();
    expect(nameOf(await first)).toBe('Ann');
    expect(nameOf(await readers.readFile(card('Bo')))).toBe('Bo');
    expect(worker.requests.map((r) => r.file.name)).toEqual(['Ann.json']);
  });

  it("reads on the page's thread when no worker can be started, or a file cannot be handed over", async () => {
    const none = openImportWorkers('base64', 1, () => { throw new Error('no workers here'); });
    expect(nameOf(await none.readFile(card('Ann')))).toBe('Ann');
    const worker = new FakeWorker();
    const readers = openImportWorkers('base64', 1, () => worker);
    const odd = Object.assign(card('Bo'), { clone: () => undefined });
    expect(nameOf(await readers.readFile(odd))).toBe('Bo');
    expect(worker.requests).toEqual([]);
  });
});

/**
 * Packs bench (`pnpm bench packs`), on loopback, each figure beside a reference measured in the same
 * run:
 *   - link ready: seal a 10-character pack with 1 MB avatars and upload it until the link exists,
 *     against uploading the same bytes alone (what sealing adds on top of moving the bytes);
 *   - sealing alone, against JSON.stringify of the same cards with base64 avatars (a naive share);
 *   - fetch + open in Node (the proxy for importing it), against fetching the bytes alone;
 *   - the relay's memory per stored pack (its RSS, heap and ArrayBuffers after full GCs, over a batch
 *     of N uploads, divided by N), against the pack's own size (what holding it in memory would cost).
 * Each measurement is its own exported function, so the extension's bench can add a browser import
 * beside them (e.g. `measureOpen` with its own opener).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPublisherSecret, openPack, PACK_HEADERS, packLink, publisherHash, readPackReceipt, sealPack, type Pack, type PackKey } from '@troupe/shared/packs';
import { bytesToBase64 } from '@troupe/shared/bytes';
import type { BenchRow } from '../../shared/bench/types.ts';
import { character, pngAsset } from '../../shared/src/packs/test-support.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const MiB = 1024 * 1024;
/** The pack: 10 characters, a 1 MB avatar each (random bytes: images do not compress). */
export const BENCH_CHARACTERS = 10;
export const BENCH_AVATAR_BYTES = 1 * MiB;
/** Timed runs per figure; the median is reported (after one unreported warm-up). */
const ROUNDS = 5;
/** Packs stored for the memory figure: enough that per-pack cost rises above noise. */
const MEMORY_PACKS = 40;
/** The targets: link ready, and the pack imported on the other side. */
export const TARGETS = { linkReadyMs: 2_000, openMs: 5_000 } as const;
/** Rate limits out of the way: the bench publishes far more than a person does. */
const UNLIMITED_ENV = {
  TROUPE_PACK_PUBLISHES_PER_HOUR: '1000000',
  TROUPE_PACK_PUBLISH_BURST: '1000000',
  TROUPE_PACK_UPLOAD_BYTES_PER_HOUR: String(1024 * 1024 * MiB),
  TROUPE_PACK_UPLOAD_BYTES_BURST: String(1024 * 1024 * MiB),
  TROUPE_PACK_FETCHES_PER_MINUTE: '1000000',
  TROUPE_PACK_FETCH_BURST: '1000000',
};

/** A pack of `characters` characters with one avatar of `avatarBytes` each. */
export function benchPack(characters = BENCH_CHARACTERS, avatarBytes = BENCH_AVATAR_BYTES): Pack {
  return {
    format: 1,
    createdAt: Date.now(),
    characters: Array.from({ length: characters }, (_, i) => ({ card: character(`Bench ${i + 1}`), assets: [pngAsset(avatarBytes, i + 1)] })),
    lorebooks: [],
    personas: [],
  };
}

/** A relay process on 127.0.0.1 with its own data folder, which reports its memory on request. */
export interface BenchRelay {
  url: string;
  /** The relay's memory after two full GCs. */
  memory(): Promise<NodeJS.MemoryUsage>;
  close(): Promise<void>;
}

export async function startBenchRelay(): Promise<BenchRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'troupe-packs-bench-'));
  const child: ChildProcess = fork(join(HERE, 'pack-relay-child.ts'), [], {
    cwd: join(HERE, '..'),
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...UNLIMITED_ENV, TROUPE_HOST: '127.0.0.1', TROUPE_PORT: '0', TROUPE_DATA_DIR: dataDir },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(key: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        if (typeof message === 'object' && message !== null && key in message) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve((message as Record<string, T>)[key]!);
        }
      };
      const onExit = (code: number | null) => reject(new Error(`the bench relay exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const url = await next<string>('url');
  return {
    url,
    memory() {
      const answer = next<NodeJS.MemoryUsage>('memory');
      child.send('memory');
      return answer;
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Uploads sealed bytes as a new pack; resolves to its id. */
export async function uploadSealed(relayUrl: string, ciphertext: Uint8Array, hash: string): Promise<string> {
  const res = await fetch(`${relayUrl}/packs`, { method: 'POST', body: ciphertext as Uint8Array<ArrayBuffer>, headers: { [PACK_HEADERS.publisherHash]: hash } });
  const receipt = readPackReceipt(await res.json());
  if (res.status !== 201 || !receipt) throw new Error(`upload failed: ${res.status}`);
  return receipt.id;
}

/** Seal + upload until the link exists (ms, median), against uploading the same sealed bytes alone. */
export async function measureLinkReady(relayUrl: string, pack: Pack = benchPack(), rounds = ROUNDS): Promise<{ rows: BenchRow[]; shared: { id: string; key: PackKey } }> {
  const hash = await publisherHash(createPublisherSecret());
  let shared = { id: '', key: '' };
  let sealed: Uint8Array = new Uint8Array();
  const ready = await medianMs(rounds, async () => {
    const { ciphertext, key } = await sealPack(pack);
    const id = await uploadSealed(relayUrl, ciphertext, hash);
    packLink(relayUrl, id, key);
    shared = { id, key };
    sealed = ciphertext;
  });
  const uploadOnly = await medianMs(rounds, () => uploadSealed(relayUrl, sealed, hash));
  const sealOnly = await medianMs(rounds, () => sealPack(pack));
  const naive = await medianMs(rounds, async () => {
    JSON.stringify(pack.characters.map((c) => ({ card: c.card, assets: c.assets.map((a) => ({ ...a, bytes: bytesToBase64(a.bytes) })) })));
  });
  return {
    shared,
    rows: [
      row('link ready: seal + upload (Node, loopback)', 'ms', ready, uploadOnly),
      row(`link ready under ${TARGETS.linkReadyMs} ms (1 = met)`, 'met', ready < TARGETS.linkReadyMs ? 1 : 0),
      row('seal alone (vs JSON.stringify, base64 avatars)', 'ms', sealOnly, naive),
      row('sealed pack size (vs plain avatars + card JSON)', 'KB', sealed.length / 1024, plainSize(pack) / 1024),
    ],
  };
}

/** Fetch + open in Node (ms, median), against fetching the same bytes alone. */
export async function measureOpen(relayUrl: string, shared: { id: string; key: PackKey }, rounds = ROUNDS): Promise<BenchRow[]> {
  const download = async () => new Uint8Array(await (await fetch(`${relayUrl}/packs/${shared.id}`)).arrayBuffer());
  const open = await medianMs(rounds, async () => openPack(await download(), shared.key));
  const fetchOnly = await medianMs(rounds, download);
  return [
    row('fetch + open, the import proxy (Node, loopback)', 'ms', open, fetchOnly),
    row(`fetch + open under ${TARGETS.openMs} ms (1 = met)`, 'met', open < TARGETS.openMs ? 1 : 0),
  ];
}

/**
 * The relay's memory per stored pack: RSS, heap and ArrayBuffers (after full GCs) of a fresh relay
 * process, per pack, over a second batch of `count` uploads of `pack`. The first batch only raises
 * the allocator's high-water mark (measured here: RSS climbs ~70 MB over the first 40 uploads of
 * 1 MB, then stays flat for the next 120 while heap and ArrayBuffers never move), so measuring from a
 * fresh process would count upload buffers as stored packs. The reference is the pack's own size:
 * what holding it in memory would cost.
 */
export async function measureRelayMemory(pack: Pack = benchPack(1), count = MEMORY_PACKS): Promise<BenchRow[]> {
  const relay = await startBenchRelay();
  try {
    const hash = await publisherHash(createPublisherSecret());
    const { ciphertext } = await sealPack(pack);
    // Warm the store, the routes and the page bundle before the first reading.
    await uploadSealed(relay.url, ciphertext, hash);
    await fetch(`${relay.url}/p/AAECAwQFBgcICQoLDA0ODw`).then((res) => res.text());
    const fresh = await relay.memory();
    for (let i = 0; i < count; i++) await uploadSealed(relay.url, ciphertext, hash);
    const before = await relay.memory();
    for (let i = 0; i < count; i++) await uploadSealed(relay.url, ciphertext, hash);
    const after = await relay.memory();
    const perPack = (key: 'rss' | 'heapUsed' | 'arrayBuffers') => Math.max(0, after[key] - before[key]) / 1024 / count;
    const size = ciphertext.length / 1024;
    return [
      row(`relay RSS per stored pack (packs ${count + 2}-${2 * count + 1}, ${Math.round(size)} KB each)`, 'KB', perPack('rss'), size),
      row('relay heap per stored pack', 'KB', perPack('heapUsed'), size),
      row('relay ArrayBuffers per stored pack', 'KB', perPack('arrayBuffers'), size),
      row(`relay RSS after ${2 * count + 1} packs (vs after 1: upload buffers' high-water)`, 'MB', after.rss / MiB, fresh.rss / MiB),
    ];
  } finally {
    await relay.close();
  }
}

/** The whole bench: one relay for the timings, a fresh one for memory. */
export async function runPacksBench(): Promise<BenchRow[]> {
  const relay = await startBenchRelay();
  let rows: BenchRow[];
  try {
    const pack = benchPack();
    const linked = await measureLinkReady(relay.url, pack);
    rows = [...linked.rows, ...(await measureOpen(relay.url, linked.shared))];
  } finally {
    await relay.close();
  }
  return [...rows, ...(await measureRelayMemory())];
}

function plainSize(pack: Pack): number {
  return pack.characters.reduce((sum, c) => sum + JSON.stringify(c.card).length + c.assets.reduce((s, a) => s + a.bytes.length, 0), 0);
}

function row(name: string, unit: string, value: number, reference?: number): BenchRow {
  const out: BenchRow = { name, unit, value: round(value) };
  if (reference !== undefined) {
    out.reference = round(reference);
    if (value !== 0) out.ratio = Math.round((reference / value) * 100) / 100;
  }
  return out;
}

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}

/** Median wall time of `rounds` runs of `run`, after one unreported warm-up run. */
async function medianMs(rounds: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

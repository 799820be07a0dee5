/**
 * Relay bench: this relay against @y/websocket-server 0.1.1 (the reference), both started here as
 * child processes on loopback, measured by the same clients in the same run.
 *
 *   pnpm --filter @troupe/sync-server exec tsx bench/relay.bench.ts   (prints a table, writes JSON)
 *
 * - updates/s: one client sends pre-encoded Yjs updates as fast as it can, another receives them;
 *   the time until the last one arrives. Both relays apply every update to a Y.Doc.
 * - p50/p99 fan-out latency: the same, paced at ~1,000 updates/s, per update from send to receipt.
 * - RSS per idle connection: each connection in its own room, synced (step 1 answered), idle.
 * - RSS after all clients left, and whether rooms were released.
 * Our relay runs with its rate limit raised (a bench sends far more than a person types) and a
 * short idle time so that room release is visible within the run; everything else is default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { joinProtocols } from '@troupe/shared/protocol';
import type { BenchRow } from '../../shared/bench/types.ts';
import { formatBenchTable } from '../../shared/bench/report.ts';

export type { BenchRow };

const HERE = dirname(fileURLToPath(import.meta.url));
const SERVER_ROOT = join(HERE, '..');
const TOKEN = 'bench-token-0123456789abcdef';
/** Updates per throughput run; ~1 s on the reference here. */
const THROUGHPUT_UPDATES = 20_000;
/** Throughput runs per relay (alternating); the median is reported. */
const THROUGHPUT_ROUNDS = 5;
/** Unreported runs first, so both relays are measured with their code optimised by the JIT. */
const WARMUP_ROUNDS = 2;
/** Paced updates for the latency figures. */
const LATENCY_UPDATES = 2_000;
const LATENCY_INTERVAL_MS = 1;
/** Idle connection counts, each measured on freshly started relays. */
const IDLE_COUNTS = [1_000, 10_000];
/** If one idle size takes longer than this (a slow machine), larger sizes are skipped. */
const IDLE_BUDGET_MS = 60_000;

interface RelayUnderTest {
  name: 'troupe' | 'reference';
  process: ChildProcess;
  port: number;
  /** WebSocket URL for a room. */
  roomUrl(room: string): string;
  protocols: string[];
  rss(): number;
  stop(): Promise<void>;
}

/** Runs the whole bench and returns its rows (one per figure, ours as `value`, the reference beside it). */
export async function runRelayBench(): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'troupe-bench-'));
  progress('starting both relays');
  const ours = await startTroupe(dataDir);
  const reference = await startReference();
  try {
    const rows: BenchRow[] = [];
    const updates = makeUpdates(THROUGHPUT_UPDATES);

    const throughput: Record<string, number[]> = { troupe: [], reference: [] };
    progress(`throughput: ${WARMUP_ROUNDS} warm-up and ${THROUGHPUT_ROUNDS} measured rounds of ${THROUGHPUT_UPDATES} updates each`);
    for (let round = 0; round < WARMUP_ROUNDS; round++) {
      for (const relay of [reference, ours]) await measureThroughput(relay, `warm${round}`, updates);
    }
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      for (const relay of [reference, ours]) throughput[relay.name]!.push(await measureThroughput(relay, `tp${round}`, updates));
    }
    rows.push(compare('updates/s between two clients', 'updates/s', median(throughput.troupe!), median(throughput.reference!)));

    // Let our relay finish releasing (flushing, compacting) the throughput rooms first, so that
    // background work from the previous phase does not land in this one.
    await waitForRooms(ours.port, 0);
    progress(`latency: ${LATENCY_UPDATES} updates paced at ${LATENCY_INTERVAL_MS} ms`);
    const latencyUpdates = makeUpdates(LATENCY_UPDATES);
    const oursLatency = await measureLatency(ours, latencyUpdates);
    const refLatency = await measureLatency(reference, latencyUpdates);
    rows.push(compare('fan-out latency p50', 'ms', oursLatency.p50, refLatency.p50));
    rows.push(compare('fan-out latency p99', 'ms', oursLatency.p99, refLatency.p99));

    // Idle memory is measured on fresh processes, so heap grown by the runs above does not blur it.
    for (const count of IDLE_COUNTS) {
      progress(`idle memory: ${count} connections on fresh relays`);
      const started = Date.now();
      const oursIdle = await withFresh(() => startTroupe(dataDir), (relay) => measureIdle(relay, count, () => waitForRooms(relay.port, 0)));
      const refIdle = await withFresh(startReference, (relay) => measureIdle(relay, count, async () => {}));
      rows.push(compare(`RSS per idle connection (${count.toLocaleString('en')})`, 'KiB', oursIdle.perConnectionKiB, refIdle.perConnectionKiB));
      rows.push(compare(`RSS with ${count.toLocaleString('en')} idle connections`, 'MiB', oursIdle.peakMiB, refIdle.peakMiB));
      rows.push(compare(`RSS after ${count.toLocaleString('en')} clients left`, 'MiB', oursIdle.afterMiB, refIdle.afterMiB));
      rows.push({ name: `rooms in memory after ${count.toLocaleString('en')} clients left (troupe)`, unit: 'rooms', value: oursIdle.roomsAfter ?? -1 });
      if (Date.now() - started > IDLE_BUDGET_MS) break;
    }
    return rows;
  } finally {
    await ours.stop();
    await reference.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A row with the reference beside it. `ratio` follows shared/bench: > 1 means better than the
 * reference, so it is reference / value for costs (ms, KiB, MiB) and value / reference for rates.
 */
/** Progress on stderr, so a long run shows where it is without disturbing the table on stdout. */
function progress(message: string): void {
  process.stderr.write(`[relay bench] ${message}\n`);
}

function compare(name: string, unit: string, value: number, reference: number): BenchRow {
  const higherIsBetter = unit.endsWith('/s');
  const ratio = higherIsBetter ? value / reference : reference / value;
  return { name, unit, value: round(value), reference: round(reference), ratio: round(Number.isFinite(ratio) ? ratio : 0) };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Small map updates, as a character editor produces them, each pre-encoded as a y-websocket frame. */
function makeUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const frames: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, 2);
    encoding.writeVarUint8Array(encoder, update);
    frames.push(encoding.toUint8Array(encoder));
  });
  const map = doc.getMap('character');
  for (let i = 0; i < count; i++) map.set(`field${i % 50}`, `value ${i}`);
  doc.destroy();
  return frames;
}

function isUpdateFrame(frame: Uint8Array): boolean {
  return frame[0] === 0 && frame[1] === 2;
}

/** Opens a connection and waits for the relay's first frame (its sync step 1): the room is joined. */
async function open(relay: RelayUnderTest, room: string): Promise<WebSocket> {
  const socket = new WebSocket(relay.roomUrl(room), relay.protocols);
  socket.binaryType = 'nodebuffer';
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('error', reject);
    socket.once('close', (code) => reject(new Error(`closed with ${code} while joining ${room}`)));
  });
  return socket;
}

async function measureThroughput(relay: RelayUnderTest, room: string, frames: Uint8Array[]): Promise<number> {
  const receiver = await open(relay, room);
  const sender = await open(relay, room);
  let received = 0;
  const done = new Promise<number>((resolve) => {
    receiver.on('message', (data: Buffer) => {
      if (isUpdateFrame(data) && ++received === frames.length) resolve(performance.now());
    });
  });
  const start = performance.now();
  for (const frame of frames) sender.send(frame);
  const end = await done;
  sender.close();
  receiver.close();
  return frames.length / ((end - start) / 1000);
}

async function measureLatency(relay: RelayUnderTest, frames: Uint8Array[]): Promise<{ p50: number; p99: number }> {
  const receiver = await open(relay, 'latency');
  const sender = await open(relay, 'latency');
  const sentAt: number[] = [];
  const latencies: number[] = [];
  const done = new Promise<void>((resolve) => {
    receiver.on('message', (data: Buffer) => {
      if (!isUpdateFrame(data)) return;
      latencies.push(performance.now() - sentAt[latencies.length]!);
      if (latencies.length === frames.length) resolve();
    });
  });
  for (const frame of frames) {
    sentAt.push(performance.now());
    sender.send(frame);
    await new Promise((resolve) => setTimeout(resolve, LATENCY_INTERVAL_MS));
  }
  await done;
  sender.close();
  receiver.close();
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

/** Starts a relay, runs `work` against it, and always stops it. */
async function withFresh<T>(start: () => Promise<RelayUnderTest>, work: (relay: RelayUnderTest) => Promise<T>): Promise<T> {
  const relay = await start();
  try {
    return await work(relay);
  } finally {
    await relay.stop();
  }
}

/** Opens `count` synced idle connections (one room each), measures, closes them, measures again. */
async function measureIdle(
  relay: RelayUnderTest,
  count: number,
  roomsReleased: () => Promise<void>,
): Promise<{ perConnectionKiB: number; peakMiB: number; afterMiB: number; roomsAfter: number | null }> {
  const step1 = Uint8Array.of(0, 0, 1, 0);
  const openSynced = async (room: string) => {
    const socket = await open(relay, room);
    const answered = new Promise<void>((resolve) => socket.once('message', () => resolve()));
    socket.send(step1);
    await answered;
    socket.removeAllListeners('close');
    return socket;
  };
  // One connection first, so code paths are loaded and JIT-compiled before the baseline.
  const warm = await openSynced(`warm-${relay.name}-${count}`);
  warm.close();
  const before = relay.rss();
  const sockets: WebSocket[] = [];
  const BATCH = 200;
  for (let i = 0; i < count; i += BATCH) {
    const batch = await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => openSynced(`idle-${relay.name}-${count}-${i + j}`)));
    sockets.push(...batch);
  }
  const peak = relay.rss();
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );
  await roomsReleased();
  const after = relay.rss();
  // The reference has no way to report its rooms (and, without persistence configured, keeps them all).
  const roomsAfter = relay.name === 'troupe' ? (await fetchStats(relay.port)).rooms : null;
  return { perConnectionKiB: (peak - before) / 1024 / count, peakMiB: peak / 1024 / 1024, afterMiB: after / 1024 / 1024, roomsAfter };
}

async function fetchStats(port: number): Promise<{ rooms: number; connections: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/stats`);
  return (await response.json()) as { rooms: number; connections: number };
}

async function waitForRooms(port: number, rooms: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ((await fetchStats(port)).rooms > rooms) {
    if (Date.now() > deadline) throw new Error('rooms were not released within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kib * 1024;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before it was ready:\n${output}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

async function startTroupe(dataDir: string): Promise<RelayUnderTest> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/bin.ts'], {
    cwd: SERVER_ROOT,
    env: {
      ...process.env,
      TROUPE_PORT: '0',
      TROUPE_DATA_DIR: dataDir,
      TROUPE_MESSAGES_PER_SECOND: '1000000',
      TROUPE_MESSAGE_BURST: '1000000',
      TROUPE_ROOM_IDLE_MS: '500',
      TROUPE_MAX_ROOMS: '20000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const match = await waitForLine(child, /listening on http:\/\/127\.0\.0\.1:(\d+)/);
  const port = Number(match[1]);
  return {
    name: 'troupe',
    process: child,
    port,
    roomUrl: (room) => `ws://127.0.0.1:${port}/sync/${room.replace(/[^A-Za-z0-9_-]/g, '_').padEnd(8, '_')}`,
    protocols: joinProtocols(TOKEN),
    rss: () => rssOf(child.pid),
    stop: stopper(child),
  };
}

async function startReference(): Promise<RelayUnderTest> {
  const require = createRequire(join(SERVER_ROOT, 'package.json'));
  const script = join(dirname(require.resolve('@y/websocket-server/package.json')), 'src', 'server.js');
  const port = await freePort();
  const child = spawn(process.execPath, [script], {
    cwd: SERVER_ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await waitForLine(child, /running at/);
  return {
    name: 'reference',
    process: child,
    port,
    roomUrl: (room) => `ws://127.0.0.1:${port}/${room}`,
    protocols: [],
    rss: () => rssOf(child.pid),
    stop: stopper(child),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await runRelayBench();
  console.log(formatBenchTable('Relay: troupe vs @y/websocket-server 0.1.1 (reference), loopback, same run', rows));
  const out = join(HERE, 'results', 'relay.json');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ bench: 'relay', at: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n');
  console.log(`\nwrote ${out}`);
}

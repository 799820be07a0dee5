import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, type TestClient } from './testing/clients.ts';
import { spawnRelay, type RelayProcess } from './testing/relay-process.ts';
import { TEST_POSTGRES_URL, TEST_REDIS_URL, uniquePrefix } from './testing/services.ts';
import { startBalancer } from './testing/tcp-balancer.ts';
import { waitFor } from './testing/wait-for.ts';
import { PostgresStore } from './storage/postgres-store.ts';
import { PostgresPackStore } from './storage/postgres-pack-store.ts';
import { createPublisherSecret, PACK_HEADERS, publisherHash, readPackReceipt } from '@troupe/shared/packs';
import { fakeSealedPack } from './testing/packs.ts';
import Database from 'better-sqlite3';

const TOKEN = 'cluster-token-0123456789abc';
const cleanups: Array<() => unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function client(url: string, room: string): TestClient {
  const created = connectClient(url, room, TOKEN, { maxBackoffTime: 100 });
  let destroyed = false;
  const destroy = () => {
    if (!destroyed) created.destroy();
    destroyed = true;
  };
  cleanups.push(destroy);
  return { ...created, destroy };
}

async function stats(relay: RelayProcess): Promise<{ rooms: number; connections: number }> {
  return (await (await fetch(`${relay.url}/stats`)).json()) as { rooms: number; connections: number };
}

describe('two relay processes on Postgres + Redis', { timeout: 60_000 }, () => {
  const prefix = uniquePrefix('cluster');
  const env = {
    TROUPE_STORE: 'postgres',
    TROUPE_POSTGRES_URL: TEST_POSTGRES_URL,
    TROUPE_POSTGRES_TABLE_PREFIX: prefix,
    TROUPE_REDIS_URL: TEST_REDIS_URL,
    TROUPE_REDIS_CHANNEL_PREFIX: prefix,
    TROUPE_ROOM_IDLE_MS: '100',
  };
  let a: RelayProcess;
  let b: RelayProcess;
  let store: PostgresStore;

  beforeAll(async () => {
    [a, b] = await Promise.all([spawnRelay(env), spawnRelay(env)]);
    cleanups.push(() => a.kill('SIGKILL'), () => b.kill('SIGKILL'));
    store = await PostgresStore.open(TEST_POSTGRES_URL, { tablePrefix: prefix });
    cleanups.push(async () => {
      await store.dropTables();
      await store.close();
    });
    // Runs first (cleanups run in reverse): the pack table, then the room tables and the shared meta table.
    cleanups.push(async () => {
      const packs = await PostgresPackStore.open(TEST_POSTGRES_URL, { tablePrefix: prefix });
      await packs.dropTables();
      await packs.close();
    });
  }, 60_000);

  it('converges clients connected to different processes', async () => {
    const onA = client(a.url, 'room-converge');
    const onB = client(b.url, 'room-converge');
    await waitFor(() => onA.provider.synced && onB.provider.synced, 'both synced');
    onA.doc.getText('t').insert(0, 'from A. ');
    onB.doc.getMap('m').set('from', 'B');
    onA.provider.awareness.setLocalStateField('user', { name: 'on-a' });
    await waitFor(() => onB.doc.getText('t').toString() === 'from A. ' && onA.doc.getMap('m').get('from') === 'B', 'edits crossed processes');
    await waitFor(() => [...onB.provider.awareness.getStates().values()].some((state) => state.user?.name === 'on-a'), 'presence crossed');
    onA.destroy();
    onB.destroy();
    await waitFor(async () => (await stats(a)).connections === 0 && (await stats(b)).connections === 0, 'clients gone');
  });

  it('serves a pack published through one process from the other, and its revocation too', async () => {
    const secret = createPublisherSecret();
    const body = fakeSealedPack(10_000);
    const posted = await fetch(`${a.url}/packs`, { method: 'POST', body, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(secret) } });
    const receipt = readPackReceipt(await posted.json());
    const fromB = await fetch(`${b.url}/packs/${receipt!.id}`);
    expect(Buffer.from(await fromB.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
    const updated = await fetch(`${b.url}/packs/${receipt!.id}`, { method: 'PUT', body: fakeSealedPack(), headers: { authorization: `Bearer ${secret}` } });
    expect(readPackReceipt(await updated.json())?.version).toBe(2);
    expect((await fetch(`${a.url}/packs/${receipt!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${secret}` } })).status).toBe(204);
    expect((await fetch(`${b.url}/packs/${receipt!.id}`)).status).toBe(410);
  });

  it('loses no acknowledged update when one relay is killed -9 mid-stream', async () => {
    const balancer = await startBalancer([a.port, b.port]);
    cleanups.push(() => balancer.close());
    const room = 'room-failover';
    const writer = client(`http://127.0.0.1:${balancer.port}`, room);
    const reader = client(b.url, room);
    await waitFor(() => writer.provider.synced && reader.provider.synced, 'writer (via A) and reader (on B) synced');
    expect((await stats(a)).connections).toBe(1);

    const written = writer.doc.getArray<number>('log');
    const seen = reader.doc.getArray<number>('log');
    let next = 0;
    const timer = setInterval(() => written.push([next++]), 2);
    cleanups.push(() => clearInterval(timer));

    // "Acknowledged" = already seen by a client on the other relay when A dies.
    await waitFor(() => seen.length >= 100, 'a stream through A reached B');
    const acknowledged = seen.toArray();
    await a.kill('SIGKILL');
    const atKill = next;
    await waitFor(() => next >= atKill + 100 && writer.provider.synced && writer.closeCodes.length > 0, 'writer reconnected (to B) and kept writing');
    clearInterval(timer);

    await waitFor(() => seen.length === written.length, 'reader has everything the writer wrote');
    expect(seen.toArray()).toEqual(written.toArray());
    expect(new Set(seen.toArray())).toEqual(new Set(Array.from({ length: next }, (_, i) => i)));
    for (const value of acknowledged) expect(seen.toArray()).toContain(value);

    // Once everyone leaves, B flushes the room: Postgres then holds every update, A's included.
    writer.destroy();
    reader.destroy();
    await waitFor(async () => (await stats(b)).rooms === 0, 'B released the room');
    const stored = new Y.Doc();
    for (const row of await store.load(room)) Y.applyUpdate(stored, row);
    expect(new Set(stored.getArray<number>('log').toArray())).toEqual(new Set(Array.from({ length: next }, (_, i) => i)));
  });
});

describe('one relay process on SQLite', { timeout: 60_000 }, () => {
  it('restores every room after kill -9 and a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'troupe-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await spawnRelay({ TROUPE_DATA_DIR: dataDir });
    cleanups.push(() => first.kill('SIGKILL'));
    const rooms = Array.from({ length: 5 }, (_, i) => `room-crash-${i}`);
    const writers = rooms.map((room) => client(first.url, room));
    writers.forEach((writer, i) => writer.doc.getMap('card').set('index', i));
    await waitFor(() => writers.every((writer) => writer.provider.synced), 'writers synced');
    // Durable = committed to the file, which another connection to it can read (WAL allows that).
    const observer = new Database(join(dataDir, 'troupe.sqlite'), { readonly: true });
    const count = observer.prepare<[string], { n: number }>('SELECT count(*) AS n FROM updates WHERE room = ?');
    await waitFor(() => rooms.every((room) => (count.get(room)?.n ?? 0) > 0), 'every room committed');
    observer.close();
    await first.kill('SIGKILL');
    for (const writer of writers) writer.destroy();

    const second = await spawnRelay({ TROUPE_DATA_DIR: dataDir });
    cleanups.push(() => second.kill('SIGKILL'));
    const readers = rooms.map((room) => client(second.url, room));
    await waitFor(() => readers.every((reader, i) => reader.provider.synced && reader.doc.getMap('card').get('index') === i), 'every room restored');
    await second.kill('SIGTERM');
    expect(second.child.exitCode).toBe(0);
  });
});

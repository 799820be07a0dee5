import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE_CODES, SYNC_SUBPROTOCOL, TOKEN_SUBPROTOCOL_PREFIX, joinProtocols } from '@troupe/shared/protocol';
import { PairingKeys, createPairingSecret } from '@troupe/shared/pairing';
import { connectClient, connectRaw, type TestClient } from './testing/clients.ts';
import { startTestServer } from './testing/test-server.ts';
import type { RunningServer } from './server.ts';
import { waitFor } from './testing/wait-for.ts';
import { createApp } from './app.ts';
import { Relay } from './rooms/relay.ts';
import { silentLog } from './rooms/hooks.ts';
import { MemoryStore } from './storage/memory-store.ts';
import { createStoreHooks } from './storage/store-hooks.ts';

const TOKEN = 'server-test-token-0123456789';
const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function track(client: TestClient): TestClient {
  cleanups.push(() => client.destroy());
  return client;
}

describe('relay over a real WebSocket', () => {
  // One relay for most cases (a SQLite worker takes a moment to start); rooms keep tests apart.
  let shared: RunningServer & { dataDir: string };
  beforeAll(async () => {
    shared = await startTestServer({ limits: { roomIdleMs: 50 } });
    cleanups.push(() => shared.close(), () => rmSync(shared.dataDir, { recursive: true, force: true }));
  });

  it('converges two unchanged y-websocket providers through the relay, with presence', async () => {
    const server = shared;
    const keys = await PairingKeys.fromSecret(createPairingSecret());
    const { roomName, token } = await keys.join('character/seraphina');
    const a = track(connectClient(server.url, roomName, token));
    const b = track(connectClient(server.url, roomName, token));
    await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
    a.doc.getText('description').insert(0, 'A guardian of the glade.');
    b.doc.getMap('card').set('name', 'Seraphina');
    a.provider.awareness.setLocalStateField('user', { name: 'laptop' });
    await waitFor(
      () => b.doc.getText('description').toString() === 'A guardian of the glade.' && a.doc.getMap('card').get('name') === 'Seraphina',
      'edits crossed',
    );
    await waitFor(() => [...b.provider.awareness.getStates().values()].some((state) => state.user?.name === 'laptop'), 'presence crossed');
    expect(a.closeCodes).toEqual([]);
  });

  it('answers the handshake with the sync subprotocol only, never the token', async () => {
    const server = shared;
    const raw = connectRaw(server.url, 'room-handshake', joinProtocols(TOKEN));
    await raw.opened;
    expect(raw.socket.protocol).toBe(SYNC_SUBPROTOCOL);
    expect(raw.socket.protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)).toBe(false);
    raw.socket.close();
  });

  it('completes the handshake for a client of another version, then closes with 4426', async () => {
    const server = shared;
    const future = connectRaw(server.url, 'room-version', ['troupe-sync.v2', `${TOKEN_SUBPROTOCOL_PREFIX}${TOKEN}`]);
    await future.opened;
    expect(future.socket.protocol).toBe('troupe-sync.v2');
    await waitFor(() => future.closed, 'closed');
    expect(future.closed?.code).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
  });

  it('closes with 4401 without a token and 4403 with another token, and the provider stops retrying', async () => {
    const server = shared;
    const owner = track(connectClient(server.url, 'room-authtest', TOKEN));
    await waitFor(() => owner.provider.synced, 'owner synced');
    const intruder = track(connectClient(server.url, 'room-authtest', 'another-token-aaaaaaaaaaa'));
    const noToken = connectRaw(server.url, 'room-authtest', [SYNC_SUBPROTOCOL]);
    await waitFor(() => intruder.closeCodes.length > 0 && noToken.closed, 'both refused');
    expect(intruder.closeCodes[0]).toBe(CLOSE_CODES.FORBIDDEN);
    expect(noToken.closed?.code).toBe(CLOSE_CODES.UNAUTHORISED);
    expect(intruder.provider.shouldConnect).toBe(false);
    expect(intruder.doc.getMap('card').size).toBe(0);
  });

  it('restores every room from SQLite after a restart', async () => {
    const first = await startTestServer();
    cleanups.push(() => rmSync(first.dataDir, { recursive: true, force: true }));
    const rooms = Array.from({ length: 6 }, (_, i) => `room-restart-${i}`);
    const writers = rooms.map((room) => connectClient(first.url, room, TOKEN));
    writers.forEach((writer, i) => writer.doc.getMap('card').set('index', i));
    await waitFor(() => writers.every((writer) => writer.provider.synced), 'writers synced');
    // Wait until the relay holds every edit (a reader per room sees it), then stop the relay.
    const readers = rooms.map((room) => connectClient(first.url, room, TOKEN));
    await waitFor(() => readers.every((reader, i) => reader.doc.getMap('card').get('index') === i), 'relay holds every edit');
    for (const client of [...writers, ...readers]) client.destroy();
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    cleanups.push(() => second.close());
    const fresh = rooms.map((room) => track(connectClient(second.url, room, TOKEN)));
    await waitFor(() => fresh.every((client, i) => client.provider.synced && client.doc.getMap('card').get('index') === i), 'every room restored');
  });

  it('evicts an idle room after its last client leaves and reloads it on demand', async () => {
    const server = shared;
    const client = connectClient(server.url, 'room-eviction', TOKEN);
    client.doc.getArray('log').push(['kept']);
    await waitFor(() => client.provider.synced, 'synced');
    await waitFor(async () => (await server.store.load('room-eviction')).length > 0, 'stored');
    expect(server.relay.hasRoom('room-eviction')).toBe(true);
    client.destroy();
    await waitFor(() => !server.relay.hasRoom('room-eviction'), 'room released');
    const back = track(connectClient(server.url, 'room-eviction', TOKEN));
    await waitFor(() => back.doc.getArray('log').toArray()[0] === 'kept', 'reloaded');
  });

  it('deletes a room over HTTP for its token holder (unpair) and closes its clients with 4410', async () => {
    const server = shared;
    const client = track(connectClient(server.url, 'room-unpair1', TOKEN));
    client.doc.getMap('m').set('x', 1);
    await waitFor(async () => (await server.store.load('room-unpair1')).length > 0, 'stored');
    const wrong = await fetch(`${server.url}/sync/room-unpair1`, { method: 'DELETE', headers: { authorization: 'Bearer not-the-token-aaaaaaaaa' } });
    expect(wrong.status).toBe(403);
    const missing = await fetch(`${server.url}/sync/room-unpair1`, { method: 'DELETE' });
    expect(missing.status).toBe(401);
    const ok = await fetch(`${server.url}/sync/room-unpair1`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(204);
    await waitFor(() => client.closeCodes.includes(CLOSE_CODES.ROOM_DELETED), 'client told');
    expect(await server.store.load('room-unpair1')).toEqual([]);
  });
});

describe('relay HTTP routes without a socket', () => {
  const relay = new Relay({ hooks: createStoreHooks(new MemoryStore()), log: silentLog });
  const app = createApp({ relay });

  it('asks plain GETs on a room to upgrade (426)', async () => {
    const res = await app.request('/sync/room-anything');
    expect(res.status).toBe(426);
    expect(await res.json()).toMatchObject({ error: 'upgrade-required' });
  });

  it('reports counts, not room names, on /stats', async () => {
    const res = await app.request('/stats');
    expect(await res.json()).toEqual({ rooms: 0, connections: 0 });
  });

  it('refuses a DELETE with a malformed room name', async () => {
    const res = await app.request('/sync/..%2Fetc', { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(400);
  });

  it('still serves /healthz', async () => {
    expect((await app.request('/healthz')).status).toBe(200);
  });
});

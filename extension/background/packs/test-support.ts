/**
 * For the packs tests: the relay's real pack routes (sync-server's app, through app.request(), no
 * server) over an in-memory store, with switches to take it down or alter what it serves; and a
 * device (a library on its own fake-indexeddb database with a PackService) that talks to it.
 */
import { createApp } from '../../../sync-server/src/app.ts';
import { DEFAULT_PACK_LIMITS, type PackLimits } from '../../../sync-server/src/limits.ts';
import { PackService as RelayPackService } from '../../../sync-server/src/packs/pack-service.ts';
import type { NewPack, PackMeta, PackStore, PackVersion } from '../../../sync-server/src/storage/pack-store.ts';
import { testLibrary, type TestLibrary } from '../library/test-support.ts';
import { PackService } from './pack-service.ts';
import { PackRelayClient, type Fetch } from './relay-client.ts';

/** A PackStore in memory (the relay's SQLite and Postgres stores follow the same contract). */
export function memoryPackStore(): PackStore {
  const rows = new Map<string, { meta: PackMeta; data: Uint8Array | null }>();
  const live = (meta: PackMeta, at: number) => meta.revokedAt === null && (meta.expiresAt === null || meta.expiresAt > at);
  return {
    kind: 'sqlite',
    async create(pack: NewPack) {
      if (rows.has(pack.id)) return 'exists';
      rows.set(pack.id, { meta: { id: pack.id, version: 1, size: pack.data.length, createdAt: pack.at, updatedAt: pack.at, expiresAt: pack.expiresAt, revokedAt: null, publisherHash: pack.publisherHash }, data: pack.data });
      return 'created';
    },
    async meta(id) {
      return rows.get(id)?.meta ?? null;
    },
    async read(id) {
      return rows.get(id) ?? null;
    },
    async replace(id, hash, next: PackVersion) {
      const row = rows.get(id);
      if (!row || row.meta.publisherHash !== hash || !live(row.meta, next.at)) return null;
      row.meta = { ...row.meta, version: row.meta.version + 1, size: next.data.length, updatedAt: next.at, ...(next.expiresAt === undefined ? {} : { expiresAt: next.expiresAt }) };
      row.data = next.data;
      return row.meta;
    },
    async revoke(id, hash, at) {
      const row = rows.get(id);
      if (!row || row.meta.publisherHash !== hash) return null;
      row.meta = { ...row.meta, revokedAt: row.meta.revokedAt ?? at, size: 0 };
      row.data = null;
      return row.meta;
    },
    async sweepExpired() {
      return 0;
    },
    async close() {},
  };
}

export const RELAY_WS = 'ws://127.0.0.1:8787';
export const RELAY_HTTP = 'http://127.0.0.1:8787';

export interface TestRelay {
  fetch: Fetch;
  clock: { now: number };
  /** While true, every request fails as a refused connection does. */
  down: boolean;
  /** Changes the bytes of every pack download (a tampering relay or a broken proxy). */
  alter: ((bytes: Uint8Array) => Uint8Array) | null;
  /** Requests made so far (method and path). */
  requests: string[];
}

/** The relay's pack routes answering `http://127.0.0.1:8787`. */
export function testRelay(limits: Partial<PackLimits> = {}): TestRelay {
  const clock = { now: 1_800_000_000_000 };
  const all = { ...DEFAULT_PACK_LIMITS, ...limits };
  const app = createApp({ packs: { service: new RelayPackService({ store: memoryPackStore(), maxPackBytes: all.maxPackBytes, now: () => clock.now }), limits: all, clientIpHeader: null, now: () => clock.now } });
  const relay: TestRelay = {
    clock,
    down: false,
    alter: null,
    requests: [],
    fetch: async (input, init) => {
      const url = new URL(input);
      relay.requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      if (relay.down || url.origin !== RELAY_HTTP) throw new TypeError('Failed to fetch');
      const { signal: _signal, ...rest } = init ?? {};
      const response = await app.request(url.pathname, rest);
      if (!relay.alter || (init?.method ?? 'GET') !== 'GET' || !response.ok) return response;
      return new Response(relay.alter(new Uint8Array(await response.arrayBuffer())) as Uint8Array<ArrayBuffer>, { status: response.status, headers: response.headers });
    },
  };
  return relay;
}

export interface TestDevice extends TestLibrary {
  packs: PackService;
  opened: string[];
  changes: number;
}

/** A device: its own library and database, sharing to and opening from `relay`. */
export function testDevice(relay: TestRelay, relayUrl = RELAY_WS, relaySet = true): TestDevice {
  const base = testLibrary();
  const device: TestDevice = {
    ...base,
    opened: [],
    changes: 0,
    packs: new PackService({
      db: base.db,
      library: base.library,
      relay: new PackRelayClient(relay.fetch),
      relayUrl: async () => relayUrl,
      relaySet: async () => relaySet,
      images: null,
      now: () => relay.clock.now,
      openImportPage: async (link) => { device.opened.push(link); },
      changed: () => { device.changes++; },
    }),
  };
  return device;
}

import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import type { ServerConfig } from './config.ts';
import { RedisFanout } from './fanout/redis-fanout.ts';
import { consoleLog, type RelayLog } from './rooms/hooks.ts';
import { Relay } from './rooms/relay.ts';
import { PackService } from './packs/pack-service.ts';
import { packPageBundle } from './routes/pack-page-bundle.ts';
import type { DocStore } from './storage/doc-store.ts';
import type { PackStore } from './storage/pack-store.ts';
import { PostgresPackStore } from './storage/postgres-pack-store.ts';
import { PostgresStore } from './storage/postgres-store.ts';
import { SqlitePackStore } from './storage/sqlite-pack-store.ts';
import { SqliteStore } from './storage/sqlite-store.ts';
import { createStoreHooks } from './storage/store-hooks.ts';
import { createWebSocketServer, startHeartbeat } from './transport/websocket.ts';

export interface RunningServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** `http://host:port`. */
  url: string;
  relay: Relay;
  store: DocStore;
  /** The sealed-pack store; null when packs are turned off. */
  packStore: PackStore | null;
  /** Closes connections (GOING_AWAY), flushes rooms, then closes store and fan-out. */
  close(): Promise<void>;
}

/** Opens the configured store, fan-out and relay, and listens. Used by bin.ts and by tests. */
export async function startServer(config: ServerConfig, log: RelayLog = consoleLog): Promise<RunningServer> {
  const store = await openStore(config);
  let fanout: RedisFanout | null = null;
  let packStore: PackStore | null = null;
  try {
    packStore = config.packs ? await openPackStore(config) : null;
    fanout = config.redis ? await RedisFanout.connect(config.redis.url, { channelPrefix: config.redis.channelPrefix, log }) : null;
  } catch (error) {
    await packStore?.close();
    await store.close();
    throw error;
  }
  const relay = new Relay({ hooks: createStoreHooks(store), fanout, limits: config.limits, log });
  const wss = createWebSocketServer(relay.limits);
  const packs = config.packs && packStore ? { service: new PackService({ store: packStore, maxPackBytes: config.packs.limits.maxPackBytes }), ...config.packs } : null;
  const app = createApp({ relay, ...(packs ? { packs } : {}) });
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port, websocket: { server: wss } });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const stopHeartbeat = startHeartbeat(wss);
  // Expired packs' ciphertext leaves the disk within one interval; a failed sweep is retried next time.
  const sweeper = packs
    ? setInterval(() => void packs.service.sweep().catch((error: unknown) => log.warn('pack sweep failed', { error: String(error) })), packs.limits.sweepIntervalMs)
    : null;
  sweeper?.unref();
  // Build the link page's script now rather than on its first visitor; a failure is retried then.
  if (packs) packPageBundle().catch((error: unknown) => log.warn('pack page build failed', { error: String(error) }));
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${config.host}:${port}`,
    relay,
    store,
    packStore,
    close() {
      closing ??= (async () => {
        stopHeartbeat();
        if (sweeper) clearInterval(sweeper);
        await relay.close();
        for (const socket of wss.clients) socket.terminate();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          if ('closeAllConnections' in server) server.closeAllConnections();
        });
        await fanout?.close();
        await packStore?.close();
        await store.close();
      })();
      return closing;
    },
  };
}

async function openStore(config: ServerConfig): Promise<DocStore> {
  if (config.store.kind === 'postgres') return PostgresStore.open(config.store.url, { tablePrefix: config.store.tablePrefix });
  mkdirSync(config.dataDir, { recursive: true });
  return SqliteStore.open(config.store.file);
}

/** Packs live beside the rooms: in Postgres with the same prefix, or in their own SQLite file (packs.sqlite). */
async function openPackStore(config: ServerConfig): Promise<PackStore> {
  if (config.store.kind === 'postgres') return PostgresPackStore.open(config.store.url, { tablePrefix: config.store.tablePrefix });
  mkdirSync(config.dataDir, { recursive: true });
  return SqlitePackStore.open(join(config.dataDir, 'packs.sqlite'));
}

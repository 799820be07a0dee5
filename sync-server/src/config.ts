import { join, resolve } from 'node:path';
import { DEFAULT_LIMITS, type RelayLimits } from './limits.ts';

/** Where rooms are stored. */
export type StoreConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; tablePrefix: string };

/** Runtime settings, read once from the environment at start. Every default keeps the relay on loopback. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Folder for the embedded SQLite store. */
  dataDir: string;
  store: StoreConfig;
  /** Cross-node fan-out; null for a single process. */
  redis: { url: string; channelPrefix: string } | null;
  limits: RelayLimits;
}

export class ConfigError extends Error {
  constructor(
    readonly code: 'config/invalid',
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Environment variables that override a limit (see limits.ts for what each one bounds and why). */
const LIMIT_VARIABLES: Record<string, keyof RelayLimits> = {
  TROUPE_MAX_FRAME_BYTES: 'maxFrameBytes',
  TROUPE_MAX_DOC_BYTES: 'maxDocBytes',
  TROUPE_MAX_ROOMS: 'maxRooms',
  TROUPE_MESSAGES_PER_SECOND: 'messagesPerSecond',
  TROUPE_MESSAGE_BURST: 'messageBurst',
  TROUPE_MAX_BUFFERED_BYTES: 'maxBufferedBytes',
  TROUPE_ROOM_IDLE_MS: 'roomIdleMs',
  TROUPE_COMPACT_AFTER_ROWS: 'compactAfterRows',
  TROUPE_SHUTDOWN_FLUSH_MS: 'shutdownFlushMs',
};

/**
 * Reads the configuration. SQLite under TROUPE_DATA_DIR (default ./data) unless
 * `TROUPE_STORE=postgres` with `TROUPE_POSTGRES_URL`; `TROUPE_REDIS_URL` adds cross-node fan-out,
 * which is how several processes (on a shared Postgres) serve the same rooms.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.TROUPE_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`TROUPE_PORT must be a port number, got "${env.TROUPE_PORT}"`);
  const dataDir = resolve(env.TROUPE_DATA_DIR ?? 'data');
  return {
    host: env.TROUPE_HOST ?? '127.0.0.1',
    port,
    dataDir,
    store: readStore(env, dataDir),
    redis: env.TROUPE_REDIS_URL ? { url: env.TROUPE_REDIS_URL, channelPrefix: env.TROUPE_REDIS_CHANNEL_PREFIX ?? 'troupe:room:' } : null,
    limits: readLimits(env),
  };
}

function readStore(env: NodeJS.ProcessEnv, dataDir: string): StoreConfig {
  const kind = env.TROUPE_STORE ?? 'sqlite';
  if (kind === 'sqlite') return { kind, file: join(dataDir, 'troupe.sqlite') };
  if (kind === 'postgres') {
    const url = env.TROUPE_POSTGRES_URL;
    if (!url) throw new ConfigError('config/invalid', 'TROUPE_STORE=postgres needs TROUPE_POSTGRES_URL (e.g. postgres://user@host:5432/db)');
    return { kind, url, tablePrefix: env.TROUPE_POSTGRES_TABLE_PREFIX ?? 'troupe_' };
  }
  throw new ConfigError('config/invalid', `TROUPE_STORE must be "sqlite" or "postgres", got "${kind}"`);
}

function readLimits(env: NodeJS.ProcessEnv): RelayLimits {
  const limits: RelayLimits = { ...DEFAULT_LIMITS };
  for (const [variable, key] of Object.entries(LIMIT_VARIABLES)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new ConfigError('config/invalid', `${variable} must be a non-negative number, got "${raw}"`);
    limits[key] = value;
  }
  return limits;
}

import { join, resolve } from 'node:path';
import { DEFAULT_LIMITS, DEFAULT_PACK_LIMITS, type PackLimits, type RelayLimits } from './limits.ts';

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
  /** The pack routes (/packs, /p/:id); null when the operator turned them off (TROUPE_PACKS=off). */
  packs: PackConfig | null;
}

export interface PackConfig {
  limits: PackLimits;
  /**
   * Request header that carries the client's address when the relay sits behind a proxy (e.g.
   * `x-forwarded-for`, of which the last entry is taken: the one the proxy itself added), or null
   * to use the connection's address. Rates are per client, so behind a proxy without it every
   * client shares one budget.
   */
  clientIpHeader: string | null;
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

/** Environment variables that override a pack limit (see limits.ts). */
const PACK_LIMIT_VARIABLES: Record<string, keyof PackLimits> = {
  TROUPE_MAX_PACK_BYTES: 'maxPackBytes',
  TROUPE_PACK_PUBLISHES_PER_HOUR: 'publishesPerHour',
  TROUPE_PACK_PUBLISH_BURST: 'publishBurst',
  TROUPE_PACK_UPLOAD_BYTES_PER_HOUR: 'uploadBytesPerHour',
  TROUPE_PACK_UPLOAD_BYTES_BURST: 'uploadBytesBurst',
  TROUPE_PACK_FETCHES_PER_MINUTE: 'fetchesPerMinute',
  TROUPE_PACK_FETCH_BURST: 'fetchBurst',
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
    packs: readPacks(env),
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
  return overrideLimits(env, { ...DEFAULT_LIMITS }, LIMIT_VARIABLES);
}

function readPacks(env: NodeJS.ProcessEnv): PackConfig | null {
  const switchValue = (env.TROUPE_PACKS ?? 'on').toLowerCase();
  if (switchValue === 'off') return null;
  if (switchValue !== 'on') throw new ConfigError('config/invalid', `TROUPE_PACKS must be "on" or "off", got "${env.TROUPE_PACKS}"`);
  const limits = overrideLimits(env, { ...DEFAULT_PACK_LIMITS }, PACK_LIMIT_VARIABLES);
  if (limits.uploadBytesBurst < limits.maxPackBytes) {
    throw new ConfigError('config/invalid', 'TROUPE_PACK_UPLOAD_BYTES_BURST must be at least TROUPE_MAX_PACK_BYTES, or full-size packs can never be uploaded');
  }
  const header = env.TROUPE_CLIENT_IP_HEADER?.trim().toLowerCase() || null;
  if (header !== null && !/^[a-z0-9-]{1,64}$/.test(header)) throw new ConfigError('config/invalid', `TROUPE_CLIENT_IP_HEADER must be a header name, got "${header}"`);
  return { limits, clientIpHeader: header };
}

function overrideLimits<T extends object>(env: NodeJS.ProcessEnv, limits: T, variables: Record<string, keyof T>): T {
  for (const [variable, key] of Object.entries(variables)) {
    const raw = env[variable];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new ConfigError('config/invalid', `${variable} must be a non-negative number, got "${raw}"`);
    (limits as Record<keyof T, number>)[key] = value;
  }
  return limits;
}

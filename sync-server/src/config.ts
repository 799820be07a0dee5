import { resolve } from 'node:path';

/** Runtime settings, read once from the environment at start. Every default keeps the relay on loopback. */
export interface ServerConfig {
  host: string;
  port: number;
  /** Folder for the embedded SQLite store. */
  dataDir: string;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.TROUPE_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`TROUPE_PORT must be a port number, got "${env.TROUPE_PORT}"`);
  return {
    host: env.TROUPE_HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(env.TROUPE_DATA_DIR ?? 'data'),
  };
}

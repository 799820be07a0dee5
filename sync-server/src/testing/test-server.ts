import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../config.ts';
import type { RelayLimits } from '../limits.ts';
import { silentLog } from '../rooms/hooks.ts';
import { startServer, type RunningServer } from '../server.ts';

/** A real relay on 127.0.0.1 and a random port, with SQLite in a fresh (or given) folder. */
export async function startTestServer(options: { dataDir?: string; limits?: Partial<RelayLimits> } = {}): Promise<RunningServer & { dataDir: string }> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'troupe-relay-'));
  const config = readConfig({ TROUPE_PORT: '0', TROUPE_DATA_DIR: dataDir });
  const running = await startServer({ ...config, limits: { ...config.limits, ...options.limits } }, silentLog);
  return Object.assign(running, { dataDir });
}

// @vitest-environment node
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMinimalPng } from '@troupe/shared/cards';
import { createPairingSecret, PairingKeys } from '@troupe/shared/pairing';
import { spawnRelay, type RelayProcess } from '../../../sync-server/src/testing/relay-process.ts';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import { Library } from '../library/library.ts';
import { BLOB_PART_BYTES, sha256Hex } from '@troupe/shared/docs';
import { SyncManager, type PersistedSyncState } from './sync-manager.ts';
import { websocketTransport } from './transport.ts';

/** Node 20 has no global WebSocket; the relay's own dependency `ws` serves as the client. */
const NodeWebSocket = createRequire(resolve(import.meta.dirname, '../../../sync-server/package.json'))('ws') as typeof WebSocket;

let relay: RelayProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'troupe-asset-sync-'));
  relay = await spawnRelay({ TROUPE_DATA_DIR: dataDir });
}, 30_000);

afterAll(async () => {
  await relay.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

interface Device { db: TroupeDb; library: Library; manager: SyncManager }

async function device(secret: string): Promise<Device> {
  const db = openTroupeDb(`asset-sync-${crypto.randomUUID()}`);
  let state: PersistedSyncState | null = null;
  const manager = new SyncManager({
    db,
    keys: await PairingKeys.fromSecret(secret),
    transport: websocketTransport(relay.url.replace(/^http/, 'ws'), NodeWebSocket),
    store: { load: async () => state, save: async (next) => { state = next; } },
  });
  await manager.start();
  return { db, library: new Library(db, { images: null, maintain: false }), manager };
}

describe('asset sync through the real relay', () => {
  it('carries an avatar bigger than one relay frame, in parts, with its bytes intact', async () => {
    const secret = createPairingSecret();
    const a = await device(secret);
    const b = await device(secret);
    try {
      // Over one part (4 MiB) and over the relay's 8 MiB frame limit as a whole.
      const png = createMinimalPng();
      const avatar = new Uint8Array(2 * BLOB_PART_BYTES + 12_345);
      avatar.set(png);
      for (let i = png.length; i < avatar.length; i++) avatar[i] = (i * 7) & 255;
      const made = await a.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: `data:image/png;base64,${Buffer.from(avatar).toString('base64')}` });

      const deadline = Date.now() + 30_000;
      let stored: Blob | null = null;
      while (!stored && Date.now() < deadline) {
        const row = await b.db.characters.get(made.id);
        stored = row?.avatarAssetId ? ((await b.db.assets.get(row.avatarAssetId))?.blob ?? null) : null;
        if (!stored) await new Promise((done) => setTimeout(done, 50));
      }
      expect(stored).not.toBeNull();
      expect(await sha256Hex(new Uint8Array(await stored!.arrayBuffer()))).toBe(await sha256Hex(avatar));
      await a.manager.idle();
      await b.manager.idle();
    } finally {
      for (const d of [a, b]) {
        await d.manager.stop();
        d.library.dispose();
        await d.db.delete();
      }
    }
  }, 60_000);
});

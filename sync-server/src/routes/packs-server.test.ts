import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisherSecret, PACK_HEADERS, publisherHash, readPackReceipt } from '@troupe/shared/packs';
import { readConfig } from '../config.ts';
import { silentLog } from '../rooms/hooks.ts';
import { startServer, type RunningServer } from '../server.ts';
import { fakeSealedPack } from '../testing/packs.ts';
import { startTestServer } from '../testing/test-server.ts';

describe('pack routes on a running relay (SQLite in its data folder)', () => {
  let server: RunningServer & { dataDir: string };
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.close();
    rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('stores packs in packs.sqlite beside the rooms and serves them over HTTP', async () => {
    expect(existsSync(join(server.dataDir, 'packs.sqlite'))).toBe(true);
    const body = fakeSealedPack(100_000);
    const posted = await fetch(`${server.url}/packs`, { method: 'POST', body, headers: { [PACK_HEADERS.publisherHash]: await publisherHash(createPublisherSecret()) } });
    expect(posted.status).toBe(201);
    const receipt = readPackReceipt(await posted.json());
    const got = await fetch(`${server.url}/packs/${receipt!.id}`);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(body))).toBe(true);
    expect((await fetch(`${server.url}/p/${receipt!.id}`)).status).toBe(200);
  });

  it('refuses a body over the limit by its Content-Length, before reading it', async () => {
    const res = await fetch(`${server.url}/packs`, {
      method: 'POST',
      body: new Uint8Array(64 * 1024 * 1024 + 1),
      headers: { [PACK_HEADERS.publisherHash]: await publisherHash(createPublisherSecret()) },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'pack/too-large' } });
  });
});

describe('TROUPE_PACKS=off', () => {
  it('serves no pack routes and opens no pack store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'troupe-nopacks-'));
    const server = await startServer(readConfig({ TROUPE_PORT: '0', TROUPE_DATA_DIR: dataDir, TROUPE_PACKS: 'off' }), silentLog);
    try {
      expect(server.packStore).toBeNull();
      expect((await fetch(`${server.url}/packs/AAECAwQFBgcICQoLDA0ODw`)).status).toBe(404);
      expect(existsSync(join(dataDir, 'packs.sqlite'))).toBe(false);
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

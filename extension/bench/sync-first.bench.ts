/**
 * First sync of a big library (Node, fake-indexeddb, a real relay process on 127.0.0.1).
 *
 * The relay is seeded with what a device A would have pushed: CARDS character docs plus the library
 * index that lists them. Then a fresh device B (empty database, the real SyncManager with the
 * y-websocket transport) pulls them all; the time runs from `start()` until every character is
 * stored and the manager is idle. Measured in the same run:
 *   - the current limits;
 *   - the old limits (4 rooms open, every room lingering 1.5 s after its last update), the reference;
 *   - a plain y-websocket loop pulling the same rooms into memory (no IndexedDB, no bookkeeping)
 *     with as many rooms open as ours: the ceiling the network and the relay allow.
 * Then the same library with a ~100 KB avatar per character (blobs in their own rooms): when the
 * docs are all in, against the library without avatars (blobs must not hold docs back), and when
 * the avatars are all in too.
 */
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import 'fake-indexeddb/auto';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { createPairingSecret, PairingKeys } from '../../shared/src/pairing/index.ts';
import { joinProtocols, SYNC_PATH } from '../../shared/src/protocol/index.ts';
import { parseCardObject } from '../../shared/src/cards/index.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { spawnRelay } from '../../sync-server/src/testing/relay-process.ts';
import { openTroupeDb } from '../background/db/database.ts';
import { mapLimit } from '@troupe/shared/batch';
import { assetSource, prepareCharacter } from '../background/library/prepare.ts';
import { blobPartDocId, INDEX_DOC_ID, partBytes, partCount, setCharacterAssets, sha256Hex, stampItem, writePart } from '@troupe/shared/docs';
import { DEFAULT_SYNC_LIMITS, DOC_LINGER_MS, type SyncLimits } from '../background/sync/limits.ts';
import { SyncManager, type PersistedSyncState } from '../background/sync/sync-manager.ts';
import { websocketTransport } from '../background/sync/transport.ts';

/** Library size pulled by the fresh device (the report: a few hundred cards). */
const CARDS = 300;
/** Rooms the seeding client keeps open at once (seeding is not measured). */
const SEED_CONCURRENCY = 16;
/** Avatar size in the second library: a typical card portrait as a PNG. */
const AVATAR_BYTES = 100 * 1024;
/** The limits before this bench existed: 4 rooms, and pulled rooms lingered like pushed ones. */
const OLD_LIMITS: Partial<SyncLimits> = { maxOpenDocRooms: 4, pullLingerMs: DOC_LINGER_MS };

/** Node 20 has no global WebSocket; the relay's own dependency `ws` serves as the client. */
export const NodeWebSocket = createRequire(resolve(import.meta.dirname, '../../sync-server/package.json'))('ws') as typeof WebSocket;

export async function runSyncFirstBench(cards = CARDS): Promise<BenchRow[]> {
  // y-websocket registers a process 'exit' listener per open provider; dozens are open at once here.
  process.setMaxListeners(4 * SEED_CONCURRENCY);
  const dataDir = await mkdtemp(join(tmpdir(), 'troupe-sync-bench-'));
  const relay = await spawnRelay({ TROUPE_DATA_DIR: dataDir });
  const wsUrl = relay.url.replace(/^http/, 'ws');
  try {
    const secret = createPairingSecret();
    const keys = await PairingKeys.fromSecret(secret);
    progress(`seeding ${cards} character docs and the index`);
    const ids = await seed(wsUrl, keys, cards);

    progress('plain y-websocket loop (ceiling)');
    const plain = await plainPull(wsUrl, keys, ids, DEFAULT_SYNC_LIMITS.maxOpenDocRooms);
    progress('SyncManager, current limits');
    const ours = (await managerPull(wsUrl, keys, cards, {})).docs;
    progress(`SyncManager, old limits (~${Math.round(cards / 2.7)} s)`);
    const old = (await managerPull(wsUrl, keys, cards, OLD_LIMITS)).docs;
    progress(`seeding ${cards} character docs with ${AVATAR_BYTES / 1024} KB avatars`);
    const avatarKeys = await PairingKeys.fromSecret(createPairingSecret());
    await seed(wsUrl, avatarKeys, cards, AVATAR_BYTES);
    progress('SyncManager, current limits, with avatars');
    const withAvatars = await managerPull(wsUrl, avatarKeys, cards, {}, cards);

    const rate = (seconds: number) => cards / seconds;
    return [
      { name: `fresh device pulls ${cards} docs vs old limits`, unit: 's', value: ours, reference: old, ratio: old / ours },
      { name: 'docs/s vs old limits (ratio: ours / old)', unit: 'docs/s', value: rate(ours), reference: rate(old), ratio: rate(ours) / rate(old) },
      { name: 'docs/s vs plain y-websocket loop (no IndexedDB)', unit: 'docs/s', value: rate(ours), reference: rate(plain), ratio: rate(ours) / rate(plain) },
      { name: `with ${AVATAR_BYTES / 1024} KB avatars: all docs in, vs no avatars`, unit: 's', value: withAvatars.docs, reference: ours, ratio: ours / withAvatars.docs },
      { name: `with ${AVATAR_BYTES / 1024} KB avatars: all avatars in too`, unit: 's', value: withAvatars.all },
    ];
  } finally {
    await relay.kill('SIGTERM');
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Puts `cards` character docs and an index listing them on the relay, as device A's pushes would. */
export async function seed(wsUrl: string, keys: PairingKeys, cards: number, avatarBytes = 0): Promise<string[]> {
  const ids: string[] = [];
  const index = new Y.Doc();
  await mapLimit(Array.from({ length: cards }, (_, i) => i), SEED_CONCURRENCY, async (i) => {
    const parsed = parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: `Bench ${i}`, description: `Character number ${i}. `.repeat(40), first_mes: 'Hello.' } });
    if (parsed.kind !== 'character') throw new Error('bench card did not parse');
    const avatar = avatarBytes > 0 ? benchAvatar(i, avatarBytes) : null;
    const sources = avatar ? [assetSource({ uri: 'ccdefault:', name: 'avatar.png', mime: 'image/png', bytes: avatar })] : [];
    const { row, doc } = prepareCharacter(parsed.character, sources, Date.now());
    ids.push(row.id);
    await roundTrip(wsUrl, keys, row.id, doc);
    stampItem(index, 'character', row.id, crypto.randomUUID());
    doc.destroy();
    if (avatar) {
      const hash = await sha256Hex(avatar);
      setCharacterAssets(index, row.id, [{ uri: 'ccdefault:', hash, size: avatar.length, mime: 'image/png', name: 'avatar.png' }]);
      for (let part = 0; part < partCount(avatar.length); part++) {
        const partDoc = new Y.Doc();
        writePart(partDoc, hash, avatar.length, part, partBytes(avatar, part), 'seed');
        await roundTrip(wsUrl, keys, blobPartDocId(hash, part), partDoc);
        partDoc.destroy();
      }
    }
  });
  await roundTrip(wsUrl, keys, INDEX_DOC_ID, index);
  index.destroy();
  return ids;
}

/** Opens the doc's room, waits until it is in sync and what it sent has left the socket, closes it. */
async function roundTrip(wsUrl: string, keys: PairingKeys, id: string, doc: Y.Doc): Promise<void> {
  const room = await keys.join(id);
  const provider = new WebsocketProvider(`${wsUrl}${SYNC_PATH}`, room.roomName, doc, { protocols: joinProtocols(room.token), disableBc: true, WebSocketPolyfill: NodeWebSocket });
  try {
    await new Promise<void>((done) => provider.once('sync', () => done()));
    while ((provider.ws?.bufferedAmount ?? 0) > 0) await new Promise((done) => setTimeout(done, 5));
  } finally {
    provider.destroy();
  }
}

/** The ceiling: every doc room pulled into memory, `concurrency` at a time. Seconds. */
async function plainPull(wsUrl: string, keys: PairingKeys, ids: readonly string[], concurrency: number): Promise<number> {
  const started = performance.now();
  await mapLimit(ids, concurrency, async (id) => {
    const doc = new Y.Doc();
    await roundTrip(wsUrl, keys, id, doc);
    doc.destroy();
  });
  return (performance.now() - started) / 1000;
}

/** Bytes that pass for a PNG (the signature first), distinct per character. */
function benchAvatar(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let x = index * 2654435761 + 1;
  for (let i = 8; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/**
 * A fresh device B with the real SyncManager: seconds until all `cards` characters are stored
 * (`docs`), and until every seeded avatar is stored too and the manager is idle (`all`).
 */
export async function managerPull(wsUrl: string, keys: PairingKeys, cards: number, limits: Partial<SyncLimits>, avatars = 0): Promise<{ docs: number; all: number }> {
  const db = openTroupeDb(`sync-bench-${crypto.randomUUID()}`);
  let state: PersistedSyncState | null = null;
  const manager = new SyncManager({
    db,
    keys,
    transport: websocketTransport(wsUrl, NodeWebSocket),
    store: { load: async () => state, save: async (next) => { state = next; } },
    limits,
  });
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    await manager.start();
    let docs = 0;
    for (;;) {
      if (docs === 0 && (await db.characters.count()) >= cards) docs = seconds();
      if (docs > 0 && manager.status().state === 'connected' && (avatars === 0 || (await db.assets.count()) >= avatars)) break;
      await new Promise((done) => setTimeout(done, 20));
    }
    return { docs, all: seconds() };
  } finally {
    await manager.stop();
    db.close();
    await db.delete();
  }
}

function progress(message: string): void {
  console.error(`[sync-first] ${message}`);
}

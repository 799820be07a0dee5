// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMinimalPng, parseCardObject } from '@troupe/shared/cards';
import { createPairingSecret, PairingKeys } from '@troupe/shared/pairing';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import { Library } from '../library/library.ts';
import { SyncManager, type PersistedSyncState, type SyncStateStore } from './sync-manager.ts';
import { bytesToBase64 } from '@troupe/shared/bytes';
import { BLOB_PART_BYTES, blobPartDocId, INDEX_DOC_FORMAT, INDEX_DOC_ID, sha256Hex, writePart } from '@troupe/shared/docs';
import { MAX_BLOB_ATTEMPTS, type SyncLimits } from './limits.ts';
import type { SyncTransport } from './transport.ts';
import { getChatState, setActiveCharacter } from '../chats/chats.ts';
import { addFact, readMemory, syncTranscript } from '../memory/memory-store.ts';

const RELAY = Symbol('relay');

/** An in-memory relay behind the transport seam: one Y.Doc per room, reachable unless `down`. */
class MemoryRelay {
  readonly rooms = new Map<string, Y.Doc>();
  private readonly clients = new Set<{ connect(): void; drop(): void }>();
  down = false;

  setDown(down: boolean): void {
    this.down = down;
    for (const client of this.clients) (down ? client.drop() : client.connect());
  }

  transport(): SyncTransport {
    return {
      open: (room, doc, events) => {
        const server = this.rooms.get(room.roomName) ?? new Y.Doc();
        this.rooms.set(room.roomName, server);
        let live = false;
        const toClient = (update: Uint8Array, origin: unknown) => { if (live && origin !== doc) Y.applyUpdate(doc, update, RELAY); };
        const toServer = (update: Uint8Array, origin: unknown) => { if (live && origin !== RELAY) Y.applyUpdate(server, update, doc); };
        server.on('update', toClient);
        doc.on('update', toServer);
        const client = {
          connect: () => {
            queueMicrotask(() => {
              if (live || this.down || !this.clients.has(client)) return;
              live = true;
              events.onConnected?.(true);
              Y.applyUpdate(server, Y.encodeStateAsUpdate(doc), doc);
              Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), RELAY);
              events.onSynced?.();
            });
          },
          drop: () => {
            if (!live) return;
            live = false;
            events.onConnected?.(false);
          },
        };
        this.clients.add(client);
        client.connect();
        return {
          drained: true,
          close: () => {
            this.clients.delete(client);
            live = false;
            server.off('update', toClient);
            doc.off('update', toServer);
          },
        };
      },
    };
  }
}

function memoryStore(): SyncStateStore & { state: PersistedSyncState | null } {
  return {
    state: null,
    async load() { return this.state; },
    async save(state) { this.state = state; },
  };
}

interface TestLibrary { db: TroupeDb; library: Library; clock: { now: number }; close(): Promise<void> }

/** A fresh database and a library on it with a clock the test moves. */
function testLibrary(): TestLibrary {
  const db = openTroupeDb(`sync-test-${crypto.randomUUID()}`);
  const clock = { now: Date.now() };
  const library = new Library(db, { images: null, now: () => clock.now, maintain: false });
  return { db, library, clock, async close() { library.dispose(); await db.delete(); } };
}

interface Device { lib: TestLibrary; manager: SyncManager; store: ReturnType<typeof memoryStore> }

const open: Device[] = [];

async function device(relay: MemoryRelay, secret: string, store = memoryStore(), lib = testLibrary(), limits: Partial<SyncLimits> = {}): Promise<Device> {
  const manager = new SyncManager({ db: lib.db, keys: await PairingKeys.fromSecret(secret), transport: relay.transport(), store, limits });
  await manager.start();
  const made = { lib, manager, store };
  open.push(made);
  return made;
}

/** Waits until `read` returns something truthy (polling the database; the managers work in the background). */
async function until<T>(read: () => Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 8_000;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(async () => {
  for (const { manager, lib } of open.splice(0)) {
    await manager.stop();
    await lib.close();
  }
});

describe('SyncManager', () => {
  it('carries a new character, its edits and its deletion to the paired device, and a deletion sticks', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    const b = await device(relay, secret);

    const made = await a.lib.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: null });
    const arrived = await until(() => b.lib.db.characters.get(made.id), 'the character on B');
    expect(arrived.name).toBe('Ada');
    expect((await b.lib.library.character(made.id)).character.data.description).toBe('An engine');

    await a.lib.library.updateCharacter(made.id, { name: 'Ada Lovelace' });
    await until(async () => (await b.lib.db.characters.get(made.id))?.name === 'Ada Lovelace', 'the edit on B');

    await a.lib.library.remove('character', made.id);
    a.lib.clock.now += 60 * 60 * 1000;
    await a.lib.library.purgeExpired();
    await until(async () => (await b.lib.db.characters.get(made.id)) === undefined, 'the deletion on B');
    expect(await b.lib.db.tombstones.get(made.id)).toMatchObject({ kind: 'character' });

    // A stale copy of the doc pushed again later must not bring it back.
    await b.manager.idle();
    expect(await b.lib.db.characters.get(made.id)).toBeUndefined();
  });

  it("carries a chat's memory: B gets its transcript, facts and character; B's NextChat, behind A's, deletes nothing it never showed", async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    const made = await a.lib.library.createCharacter({ name: 'Mira', description: 'A cartographer', avatar: null });
    const chat = 'http://127.0.0.1:3000#s1';
    const said = (id: string, text: string, role: 'user' | 'assistant' = 'user') => ({ id, role, text });
    await setActiveCharacter(a.lib.db, chat, made.id);
    // Memory made before pairing is carried too.
    await syncTranscript(a.lib.db, chat, [said('m1', 'My sister Ilse keeps bees.'), said('m2', 'Noted.', 'assistant')]);
    const b = await device(relay, secret);
    await addFact(a.lib.db, chat, 'The compass is due by the solstice.');
    await syncTranscript(a.lib.db, chat, [said('m1', 'My sister Ilse keeps bees.'), said('m2', 'Noted.', 'assistant'), said('m3', 'Where is the map?'), said('m4', 'In the chest.', 'assistant')]);

    await until(async () => (await readMemory(b.lib.db, chat)).messages.length === 4 && (await readMemory(b.lib.db, chat)).facts.length === 1, 'the memory on B');
    expect((await readMemory(b.lib.db, chat)).facts.map((f) => f.text)).toEqual(['The compass is due by the solstice.']);
    // B never gave the chat a character: it takes the memory's once B has that character.
    await until(() => b.lib.db.characters.get(made.id), 'the character on B');
    expect((await getChatState(b.lib.db, chat)).character?.id).toBe(made.id);

    // B's NextChat has the chat as it was before m3 and m4, plus a message of its own, and deletes m2:
    // m3 and m4 were never shown there, so they stay; m2 was, so its deletion counts everywhere.
    await syncTranscript(b.lib.db, chat, [said('m1', 'My sister Ilse keeps bees.'), said('m2', 'Noted.', 'assistant')]);
    await syncTranscript(b.lib.db, chat, [said('m1', 'My sister Ilse keeps bees.'), said('b1', 'And the lantern?')]);
    expect((await readMemory(b.lib.db, chat)).messages.map((m) => m.id)).toEqual(['m1', 'b1', 'm3', 'm4']);
    await until(async () => (await readMemory(a.lib.db, chat)).messages.map((m) => m.id).join() === 'm1,b1,m3,m4', "B's changes on A");
  });

  it('syncs lorebooks and docs made before pairing, and an unpaired device sees nothing', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const lib = testLibrary();
    const book = await lib.library.createLorebook('Eldoria');
    const a = await device(relay, secret, memoryStore(), lib);
    const b = await device(relay, secret);
    const stranger = await device(relay, createPairingSecret());
    const arrived = await until(() => b.lib.db.lorebooks.get(book.id), 'the lorebook on B');
    expect(arrived.name).toBe('Eldoria');
    await a.manager.idle();
    await stranger.manager.idle();
    expect(await stranger.lib.db.lorebooks.count()).toBe(0);
    expect(await stranger.lib.db.characters.count()).toBe(0);
  });

  it('keeps offline edits on both sides and merges them when the relay is back', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    const b = await device(relay, secret);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: null });
    await until(() => b.lib.db.characters.get(made.id), 'the character on B');
    await a.manager.idle();
    await b.manager.idle();

    relay.setDown(true);
    expect(a.manager.status()).toEqual({ state: 'offline' });
    await a.lib.library.updateCharacter(made.id, { name: 'Ada L.' });
    await b.lib.library.updateCharacter(made.id, { description: 'The first program' });
    const other = await b.lib.library.createCharacter({ name: 'Babbage', description: 'Difference engine', avatar: null });
    relay.setDown(false);

    await until(async () => (await b.lib.db.characters.get(made.id))?.name === 'Ada L.', 'A\'s offline edit on B');
    await until(() => a.lib.db.characters.get(other.id), 'B\'s offline character on A');
    await until(async () => (await a.lib.library.character(made.id)).character.data.description === 'The first program', 'B\'s offline edit on A');
  });

  it('resumes from its saved state after a restart without losing a pending change', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    relay.setDown(true);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: null });
    await until(async () => a.store.state?.dirty[made.id] === 'character', 'the pending change saved');
    await a.manager.stop();
    open.splice(open.indexOf(a), 1);

    relay.setDown(false);
    const restarted = await device(relay, secret, a.store, a.lib);
    const b = await device(relay, secret);
    await until(() => b.lib.db.characters.get(made.id), 'the character on B');
    await until(async () => restarted.store.state !== null && restarted.store.state.dirty[made.id] === undefined, 'the pushed change cleared from the saved state');
    expect(restarted.store.state?.seen[made.id]).toMatch(/./);
  });

  it('pulls a library without lingering in rooms that had nothing to push', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const lib = testLibrary();
    const made = await lib.library.importParsed(Array.from({ length: 30 }, (_, i) => ({
      label: `c${i}`,
      parsed: parseCardObject({ spec: 'chara_card_v3', spec_version: '3.0', data: { name: `C${i}`, description: `Number ${i}` } }),
    })));
    expect(made.every((r) => r.ok)).toBe(true);
    const a = await device(relay, secret, memoryStore(), lib);
    await a.manager.idle();
    // A pushing room lingers a minute here, a pulling one not at all: 30 docs through 2 rooms must not wait on it.
    const b = await device(relay, secret, memoryStore(), testLibrary(), { maxOpenDocRooms: 2, docLingerMs: 60_000 });
    const started = Date.now();
    await until(async () => (await b.lib.db.characters.count()) === 30, 'all 30 characters on B');
    await b.manager.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an index made by a newer Troupe: says so, and neither pulls from it nor writes to it', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const keys = await PairingKeys.fromSecret(secret);
    const a = await device(relay, secret);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: null });
    const relayIndex = relay.rooms.get(await keys.roomName(INDEX_DOC_ID))!;
    await until(async () => relayIndex.getMap('items').has(made.id), 'the character listed');
    await a.manager.idle();

    // A newer Troupe on another device moves the index to a layout this build cannot read.
    relayIndex.getMap('meta').set('format', INDEX_DOC_FORMAT + 1);
    const refused = { state: 'error', reason: 'index made by a newer Troupe' };
    await until(async () => JSON.stringify(a.manager.status()) === JSON.stringify(refused), 'A refusing the index');
    const b = await device(relay, secret);
    await until(async () => JSON.stringify(b.manager.status()) === JSON.stringify(refused), 'B refusing the index');
    const listed = relayIndex.getMap('items').get(made.id);

    await a.lib.library.updateCharacter(made.id, { name: 'Ada L.' });
    await until(async () => a.store.state?.dirty[made.id] === 'character', 'the edit kept as owed');
    expect(relayIndex.getMap('items').get(made.id)).toEqual(listed);
    expect(await b.lib.db.characters.get(made.id)).toBeUndefined();
    expect(a.manager.status()).toEqual(refused);
  });

  it('carries avatars and assets by hash (in parts when big), follows a replaced avatar, and clears unused blobs from the relay', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    const b = await device(relay, secret);
    const first = withTail(createMinimalPng(), 64, 1);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: 'An engine', avatar: `data:image/png;base64,${bytesToBase64(first)}` });
    const firstHash = await sha256Hex(first);
    expect(await avatarHashOn(b, made.id)).toBe(firstHash);

    // A new main icon becomes the avatar; a sprite bigger than one part travels in two.
    const second = withTail(createMinimalPng(), 64, 2);
    const sprite = withTail(createMinimalPng(), BLOB_PART_BYTES + 1000, 3);
    await a.lib.library.addAsset(made.id, { type: 'icon', name: 'main', bytes: second });
    await a.lib.library.addAsset(made.id, { type: 'expression', name: 'joy', bytes: sprite });
    const secondHash = await sha256Hex(second);
    const spriteHash = await sha256Hex(sprite);
    await until(async () => (await avatarHashOn(b, made.id)) === secondHash, 'the new avatar on B');
    const spriteOnB = await until(async () => (await b.lib.db.assets.where('characterId').equals(made.id).toArray()).find((asset) => asset.sha256 === spriteHash), 'the sprite on B');
    expect(spriteOnB).toMatchObject({ size: sprite.length, uri: 'embeded://assets/expression/images/joy.png' });
    expect(await sha256Hex(new Uint8Array(await spriteOnB.blob.arrayBuffer()))).toBe(spriteHash);

    // Deleting the character leaves none of its blobs' bytes on the relay.
    await a.lib.library.remove('character', made.id);
    a.lib.clock.now += 60 * 60 * 1000;
    await a.lib.library.purgeExpired();
    const keys = await PairingKeys.fromSecret(secret);
    const partRooms = await Promise.all([blobPartDocId(firstHash, 0), blobPartDocId(secondHash, 0), blobPartDocId(spriteHash, 0), blobPartDocId(spriteHash, 1)].map((id) => keys.roomName(id)));
    await until(async () => partRooms.every((room) => relay.rooms.get(room)?.getMap('blob').has('bytes') === false), 'the blob rooms cleared');
    await until(async () => (await b.lib.db.assets.where('characterId').equals(made.id).count()) === 0, 'the assets gone on B');
  }, 20_000);

  it('waits for a blob not uploaded yet, refuses bytes that do not match their hash, and an uploader repairs a damaged part', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const keys = await PairingKeys.fromSecret(secret);
    const a = await device(relay, secret);
    const first = withTail(createMinimalPng(), 64, 4);
    const firstHash = await sha256Hex(first);
    const firstRoom = await keys.roomName(blobPartDocId(firstHash, 0));
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: '', avatar: `data:image/png;base64,${bytesToBase64(first)}` });
    await a.manager.idle();

    // Not on the relay yet when B arrives: B asks again until it is.
    const uploaded = relay.rooms.get(firstRoom)!;
    relay.rooms.delete(firstRoom);
    const b = await device(relay, secret, memoryStore(), testLibrary(), { blobRetryMs: 50 });
    await until(() => b.lib.db.characters.get(made.id), 'the character on B');
    relay.rooms.set(firstRoom, uploaded);
    expect(await avatarHashOn(b, made.id, 'the late blob on B')).toBe(firstHash);

    // A part whose bytes do not match its hash is never stored...
    const second = withTail(createMinimalPng(), 64, 5);
    const secondHash = await sha256Hex(second);
    const secondRoom = await keys.roomName(blobPartDocId(secondHash, 0));
    const damaged = new Y.Doc();
    writePart(damaged, secondHash, second.length, 0, new Uint8Array(second.length), 'damage');
    relay.rooms.set(secondRoom, damaged);
    const c = await device(relay, secret, memoryStore(), testLibrary(), { blobRetryMs: 50 });
    // ...but the device that owns the asset finds the damage on upload and writes the part again.
    await a.lib.library.addAsset(made.id, { type: 'icon', name: 'main', bytes: second });
    expect(await avatarHashOn(c, made.id, 'the repaired blob on C')).toBe(secondHash);
    await until(async () => (await avatarHashOn(b, made.id)) === secondHash, 'the repaired blob on B');
  }, 20_000);

  it('lists and uploads, once, the assets of characters synced before asset sync existed (a format-1 state)', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const keys = await PairingKeys.fromSecret(secret);
    const lib = testLibrary();
    const a = await device(relay, secret, memoryStore(), lib);
    const png = withTail(createMinimalPng(), 64, 6);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: '', avatar: `data:image/png;base64,${bytesToBase64(png)}` });
    await a.manager.idle();
    await until(async () => a.store.state?.seen[made.id] !== undefined, 'the push recorded');
    await a.manager.stop();
    open.splice(open.indexOf(a), 1);

    // Make it look as before: no asset list in the index, no blob on the relay, a format-1 state.
    const relayIndex = relay.rooms.get(await keys.roomName(INDEX_DOC_ID))!;
    relayIndex.transact(() => { for (const key of [...relayIndex.getMap('assets').keys()]) relayIndex.getMap('assets').delete(key); });
    relay.rooms.delete(await keys.roomName(blobPartDocId(await sha256Hex(png), 0)));
    const old = memoryStore();
    old.state = { format: 1, index: bytesToBase64(Y.encodeStateAsUpdate(relayIndex)), seen: { ...a.store.state!.seen }, dirty: {} };

    const restarted = await device(relay, secret, old, lib);
    const b = await device(relay, secret);
    expect(await avatarHashOn(b, made.id)).toBe(await sha256Hex(png));
    await until(async () => restarted.store.state?.format === 2 && restarted.store.state.assetsListed === true, 'the listing recorded');
  }, 20_000);

  it('fetches at start the assets the index lists and this device lacks', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const a = await device(relay, secret);
    const b = await device(relay, secret);
    const png = withTail(createMinimalPng(), 64, 7);
    const made = await a.lib.library.createCharacter({ name: 'Ada', description: '', avatar: `data:image/png;base64,${bytesToBase64(png)}` });
    expect(await avatarHashOn(b, made.id)).toBe(await sha256Hex(png));
    await b.manager.idle();
    await until(async () => b.store.state?.seen[made.id] !== undefined, 'B\'s state saved');
    await b.manager.stop();
    open.splice(open.indexOf(b), 1);

    // The asset went missing while the worker slept (nothing in the index changed meanwhile).
    await b.lib.db.assets.where('characterId').equals(made.id).delete();
    await b.lib.db.characters.update(made.id, { avatarAssetId: null });
    const restarted = await device(relay, secret, b.store, b.lib);
    expect(await avatarHashOn(restarted, made.id)).toBe(await sha256Hex(png));
  }, 20_000);

  it('backs off from a blob room the relay refuses instead of asking again at once', async () => {
    const relay = new MemoryRelay();
    const secret = createPairingSecret();
    const keys = await PairingKeys.fromSecret(secret);
    const png = withTail(createMinimalPng(), 64, 8);
    const refusedRoom = await keys.roomName(blobPartDocId(await sha256Hex(png), 0));
    let refusals = 0;
    const inner = relay.transport();
    // The relay closes that one room for good (as it does with 4413 for a frame over its limit).
    const refusing: SyncTransport = {
      open: (room, doc, events) => {
        if (room.roomName !== refusedRoom) return inner.open(room, doc, events);
        refusals++;
        queueMicrotask(() => events.onRefused?.(4413));
        return { drained: true, close() {} };
      },
    };
    const lib = testLibrary();
    const manager = new SyncManager({ db: lib.db, keys, transport: refusing, store: memoryStore(), limits: { blobRetryMs: 100 } });
    await manager.start();
    open.push({ lib, manager, store: memoryStore() });
    await lib.library.createCharacter({ name: 'Ada', description: '', avatar: `data:image/png;base64,${bytesToBase64(png)}` });
    await until(async () => refusals > 0, 'the first refusal');
    await manager.idle();
    await new Promise((done) => setTimeout(done, 1_000));
    // One try per retry interval, at most MAX_BLOB_ATTEMPTS in the session; never a tight loop.
    expect(refusals).toBeLessThanOrEqual(MAX_BLOB_ATTEMPTS);
    expect(manager.status()).toEqual({ state: 'connected' });
  }, 20_000);
});

/** Bytes that start as `head` and carry `extra` more, distinct per `seed` (so each has its own hash). */
function withTail(head: Uint8Array, extra: number, seed: number): Uint8Array {
  const out = new Uint8Array(head.length + extra);
  out.set(head);
  for (let i = head.length; i < out.length; i++) out[i] = (i * seed + seed) & 255;
  return out;
}

/** The hash of the character's avatar bytes on a device, once it has one. */
async function avatarHashOn(device: Device, id: string, what = 'an avatar'): Promise<string> {
  const asset = await until(async () => {
    const row = await device.lib.db.characters.get(id);
    return row?.avatarAssetId ? device.lib.db.assets.get(row.avatarAssetId) : undefined;
  }, what);
  expect(asset.sha256).toBe(await sha256Hex(new Uint8Array(await asset.blob.arrayBuffer())));
  return asset.sha256!;
}

// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createPairingSecret, PairingKeys } from '@troupe/shared/pairing';
import { openTroupeDb, type TroupeDb } from '../db/database.ts';
import { DocRooms, type DocRoomsOptions } from './doc-rooms.ts';
import type { RoundDone } from './index-sync.ts';
import { DEFAULT_SYNC_LIMITS } from './limits.ts';
import type { ConnectionEvents, SyncTransport } from './transport.ts';

/** A relay that syncs a room only when the test says so; counts the rooms open at once. */
class HeldRelay {
  readonly waiting: ConnectionEvents[] = [];
  live = 0;
  mostLive = 0;
  opened = 0;

  transport(): SyncTransport {
    return {
      open: (_room, _doc: Y.Doc, events) => {
        this.opened++;
        this.live++;
        this.mostLive = Math.max(this.mostLive, this.live);
        this.waiting.push(events);
        let closed = false;
        return { drained: true, close: () => { if (!closed) this.live--; closed = true; } };
      },
    };
  }

  /** Lets every room opened so far finish its sync. */
  syncAll(): void {
    for (const events of this.waiting.splice(0)) {
      events.onConnected?.(true);
      events.onSynced?.();
    }
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const dbs: TroupeDb[] = [];
afterEach(async () => {
  for (const db of dbs.splice(0)) await db.delete();
});

async function rooms(relay: HeldRelay, overrides: Partial<DocRoomsOptions> = {}): Promise<{ rooms: DocRooms; rounds: RoundDone[] }> {
  const db = openTroupeDb(`doc-rooms-${crypto.randomUUID()}`);
  dbs.push(db);
  const rounds: RoundDone[] = [];
  const made = new DocRooms({
    db,
    keys: await PairingKeys.fromSecret(createPairingSecret()),
    transport: relay.transport(),
    limits: { ...DEFAULT_SYNC_LIMITS, maxOpenDocRooms: 2 },
    online: () => true,
    pushing: () => false,
    stampOf: (id) => `stamp-${id}`,
    finished: (round) => { rounds.push(round); return false; },
    changed: () => {},
    ...overrides,
  });
  return { rooms: made, rounds };
}

describe('DocRooms', () => {
  it('opens at most maxOpenDocRooms rooms at once and reports each finished round', async () => {
    const relay = new HeldRelay();
    const { rooms: docRooms, rounds } = await rooms(relay);
    for (const id of ['a', 'b', 'c', 'd', 'e']) docRooms.request('character', id);
    docRooms.pump();
    while (rounds.length < 5) {
      await until(() => relay.waiting.length > 0 || rounds.length === 5, 'a room to open');
      expect(relay.live).toBeLessThanOrEqual(2);
      relay.syncAll();
      await until(() => relay.live === 0 || relay.waiting.length > 0, 'the rooms to close');
    }
    expect(relay.mostLive).toBe(2);
    expect(rounds.map((r) => r.id).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(rounds[0]).toMatchObject({ kind: 'character', pushed: false, startStamp: `stamp-${rounds[0]!.id}`, changedAfterSync: false });
    expect(docRooms.pending()).toBe(0);
  });

  it('runs another round when the index asks for one', async () => {
    const relay = new HeldRelay();
    let asked = 0;
    const { rooms: docRooms } = await rooms(relay, { finished: () => ++asked < 2 });
    docRooms.request('lorebook', 'a');
    docRooms.pump();
    await until(() => relay.waiting.length === 1, 'the first room');
    relay.syncAll();
    await until(() => relay.waiting.length === 1 && asked === 1, 'the second room');
    relay.syncAll();
    await until(() => asked === 2 && docRooms.pending() === 0, 'the second round');
    expect(relay.opened).toBe(2);
  });

  it('opens nothing while offline, and a cancelled doc gets no round', async () => {
    const relay = new HeldRelay();
    let online = false;
    const { rooms: docRooms, rounds } = await rooms(relay, { online: () => online });
    docRooms.request('character', 'a');
    docRooms.request('character', 'b');
    docRooms.pump();
    expect(relay.opened).toBe(0);
    expect(docRooms.pending()).toBe(2);
    docRooms.cancel('b');
    online = true;
    docRooms.pump();
    await until(() => relay.waiting.length === 1, 'a room');
    docRooms.cancel('a');
    await until(() => docRooms.pending() === 0 && relay.live === 0, 'the cancelled room closed');
    expect(rounds).toEqual([]);
    expect(relay.opened).toBe(1);
  });

  it('sends a local edit through the open room instead of queueing another', async () => {
    const relay = new HeldRelay();
    // A pushing room lingers after its last update; not for long here.
    const { rooms: docRooms, rounds } = await rooms(relay, { limits: { ...DEFAULT_SYNC_LIMITS, docLingerMs: 20 } });
    docRooms.request('character', 'a');
    docRooms.pump();
    await until(() => relay.waiting.length === 1, 'the room');
    docRooms.pushLocal('character', 'a');
    expect(docRooms.pending()).toBe(1);
    relay.syncAll();
    await until(() => rounds.length === 1, 'the round');
    expect(rounds[0]).toMatchObject({ id: 'a', pushed: true });
    expect(relay.opened).toBe(1);
  });
});

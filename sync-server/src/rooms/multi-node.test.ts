import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES } from '@troupe/shared/protocol';
import { Relay } from './relay.ts';
import { silentLog, type RelayHooks } from './hooks.ts';
import { MemoryStore } from '../storage/memory-store.ts';
import { createStoreHooks } from '../storage/store-hooks.ts';
import { MemoryFanoutBus } from '../fanout/memory-fanout.ts';
import { ProtocolClient } from '../testing/protocol-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import { encodeAwarenessUpdate } from './awareness-table.ts';
import { encodeAwarenessFrame } from './frame-encode.ts';

const ROOM = 'room-multinode';

/** Two relay "processes" sharing one store and a fan-out bus, as two nodes share Postgres and Redis. */
function cluster(hooksFor: (hooks: RelayHooks, node: 'a' | 'b') => RelayHooks = (hooks) => hooks) {
  const store = new MemoryStore();
  const bus = new MemoryFanoutBus();
  const make = (node: 'a' | 'b') =>
    new Relay({ hooks: hooksFor(createStoreHooks(store), node), fanout: bus.node(), log: silentLog, limits: { roomIdleMs: 0 } });
  return { store, a: make('a'), b: make('b') };
}

async function storedDoc(store: MemoryStore): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await store.load(ROOM)) Y.applyUpdate(doc, update);
  return doc;
}

describe('relay core across nodes', () => {
  it('delivers an update from a client on node A to a client on node B, both ways', async () => {
    const { a, b } = cluster();
    const onA = ProtocolClient.join(a, { room: ROOM });
    const onB = ProtocolClient.join(b, { room: ROOM });
    await waitFor(() => onA.session.state === 'open' && onB.session.state === 'open', 'both open');
    onA.doc.getMap('m').set('from', 'a');
    onB.doc.getMap('m').set('to', 'b');
    await waitFor(() => onB.doc.getMap('m').get('from') === 'a' && onA.doc.getMap('m').get('to') === 'b', 'crossed');
  });

  it('stores every update exactly once (by the node that received it from a client)', async () => {
    const { a, b, store } = cluster();
    const onA = ProtocolClient.join(a, { room: ROOM });
    const onB = ProtocolClient.join(b, { room: ROOM });
    await waitFor(() => onA.session.state === 'open' && onB.session.state === 'open', 'both open');
    for (let i = 0; i < 10; i++) onA.doc.getArray('a').push([i]);
    for (let i = 0; i < 7; i++) onB.doc.getArray('b').push([i]);
    await waitFor(() => onB.doc.getArray('a').length === 10 && onA.doc.getArray('b').length === 7, 'converged');
    await waitFor(async () => (await store.load(ROOM)).length === 17, '17 rows, one per update');
  });

  it('catches a late node up from the nodes that hold the room, even before the store has it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { a, b, store } = cluster((hooks, node) => (node === 'a' ? { ...hooks, store: async (room, updates) => gate.then(() => hooks.store(room, updates)) } : hooks));
    const onA = ProtocolClient.join(a, { room: ROOM });
    onA.doc.getText('t').insert(0, 'written on A, not yet stored');
    await waitFor(() => onA.session.state === 'open', 'a open');
    expect(await store.load(ROOM)).toEqual([]);
    const onB = ProtocolClient.join(b, { room: ROOM });
    await waitFor(() => onB.doc.getText('t').toString() === 'written on A, not yet stored', 'B caught up through the fan-out');
    release();
  });

  it('persists what a node learned from a node that died before storing it', async () => {
    const { a, b, store } = cluster((hooks, node) => (node === 'a' ? { ...hooks, store: () => new Promise<void>(() => {}) } : hooks));
    const onA = ProtocolClient.join(a, { room: ROOM });
    const onB = ProtocolClient.join(b, { room: ROOM });
    await waitFor(() => onA.session.state === 'open' && onB.session.state === 'open', 'both open');
    onA.doc.getMap('m').set('only-on-a', 'saved by b');
    await waitFor(() => onB.doc.getMap('m').get('only-on-a') === 'saved by b', 'b has it');
    onB.leave();
    await waitFor(() => !b.hasRoom(ROOM), 'b released the room');
    expect((await storedDoc(store)).getMap('m').get('only-on-a')).toBe('saved by b');
  });

  it('shares presence across nodes and announces departures there', async () => {
    const { a, b } = cluster();
    const onA = ProtocolClient.join(a, { room: ROOM });
    const onB = ProtocolClient.join(b, { room: ROOM });
    const stays = ProtocolClient.join(b, { room: ROOM });
    await waitFor(() => [onA, onB, stays].every((c) => c.session.state === 'open'), 'open');
    onA.session.receive(encodeAwarenessFrame(encodeAwarenessUpdate([{ clientId: 99, clock: 1, state: '{"user":"on-a"}' }])));
    await waitFor(() => stays.framesOf(1).length === 1, 'presence crossed');
    onA.leave();
    await waitFor(() => stays.framesOf(1).length === 2, 'departure crossed');
    expect(Buffer.from(stays.framesOf(1)[1]!).toString()).toContain('null');
  });

  it('drops a room deleted on another node without writing it back', async () => {
    const { a, b, store } = cluster();
    const onA = ProtocolClient.join(a, { room: ROOM, token: 'owner-token-aaaaaaaaaaaa' });
    const onB = ProtocolClient.join(b, { room: ROOM, token: 'owner-token-aaaaaaaaaaaa' });
    onA.doc.getMap('m').set('x', 1);
    await waitFor(() => onB.doc.getMap('m').get('x') === 1, 'synced');
    await a.deleteRoom(ROOM, 'owner-token-aaaaaaaaaaaa');
    await waitFor(() => onB.closed && !b.hasRoom(ROOM), 'b dropped the room');
    expect(onB.closed?.code).toBe(CLOSE_CODES.ROOM_DELETED);
    expect(await store.load(ROOM)).toEqual([]);
  });
});

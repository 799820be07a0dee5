import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODES, MESSAGE_TYPE, SYNC_TYPE } from '@troupe/shared/protocol';
import { Relay, type RelayOptions } from './relay.ts';
import { silentLog } from './hooks.ts';
import { MemoryStore } from '../storage/memory-store.ts';
import { createStoreHooks } from '../storage/store-hooks.ts';
import { ProtocolClient } from '../testing/protocol-client.ts';
import { waitFor } from '../testing/wait-for.ts';
import { encodeAwarenessUpdate } from './awareness-table.ts';
import { encodeAwarenessFrame, encodeUpdateFrame } from './frame-encode.ts';

const ROOM = 'room-aaaaaaaa';

function makeRelay(options: Partial<RelayOptions> & { store?: MemoryStore } = {}): { relay: Relay; store: MemoryStore } {
  const store = options.store ?? new MemoryStore();
  const relay = new Relay({ hooks: createStoreHooks(store), log: silentLog, ...options, limits: { roomIdleMs: 0, ...options.limits } });
  return { relay, store };
}

async function storedDoc(store: MemoryStore, room: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await store.load(room)) Y.applyUpdate(doc, update);
  return doc;
}

function awarenessFrame(clientId: number, clock: number, state: unknown): Uint8Array {
  return encodeAwarenessFrame(encodeAwarenessUpdate([{ clientId, clock, state: JSON.stringify(state) }]));
}

describe('relay core: sync', () => {
  it('answers the sync handshake and converges two clients both ways', async () => {
    const { relay } = makeRelay();
    const a = ProtocolClient.join(relay, { room: ROOM });
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.framesOf(MESSAGE_TYPE.SYNC, SYNC_TYPE.STEP2).length > 0 && b.framesOf(MESSAGE_TYPE.SYNC, SYNC_TYPE.STEP2).length > 0, 'step 2 for both');
    a.doc.getText('bio').insert(0, 'Seraphina guards the forest.');
    b.doc.getMap('meta').set('name', 'Seraphina');
    await waitFor(() => b.doc.getText('bio').toString() !== '' && a.doc.getMap('meta').get('name') === 'Seraphina', 'both edits on both sides');
    expect(b.doc.getText('bio').toString()).toBe('Seraphina guards the forest.');
  });

  it('gives a late joiner the whole document', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    a.doc.getArray('lines').push(['one', 'two', 'three']);
    await waitFor(() => relay.hasRoom(ROOM), 'room loaded');
    const late = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => late.doc.getArray('lines').length === 3, 'late joiner synced');
  });

  it('forwards an update to the other clients and does not echo it to its sender', async () => {
    const { relay } = makeRelay();
    const a = ProtocolClient.join(relay, { room: ROOM });
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open' && b.session.state === 'open', 'both open');
    a.doc.getMap('m').set('k', 1);
    await waitFor(() => b.framesOf(MESSAGE_TYPE.SYNC, SYNC_TYPE.UPDATE).length === 1, 'b got the update');
    expect(a.framesOf(MESSAGE_TYPE.SYNC, SYNC_TYPE.UPDATE)).toHaveLength(0);
  });

  it('re-frames a step-2 payload as an update, so it never marks another client synced', async () => {
    const { relay } = makeRelay();
    const a = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open', 'a open');
    const offline = new Y.Doc();
    offline.getMap('m').set('offline', true);
    const b = ProtocolClient.join(relay, { room: ROOM }, offline);
    await waitFor(() => a.doc.getMap('m').get('offline') === true, 'a got b offline edit');
    expect(a.framesOf(MESSAGE_TYPE.SYNC, SYNC_TYPE.STEP2)).toHaveLength(1); // only the relay's own answer
    expect(b.closed).toBeNull();
  });
});

describe('relay core: awareness', () => {
  it('shares presence with everyone, sender included, and hands it to newcomers', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open' && b.session.state === 'open', 'both open');
    a.session.receive(awarenessFrame(11, 1, { user: 'alice' }));
    await waitFor(() => a.framesOf(MESSAGE_TYPE.AWARENESS).length === 1 && b.framesOf(MESSAGE_TYPE.AWARENESS).length === 1, 'echo and forward');
    const c = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => c.framesOf(MESSAGE_TYPE.AWARENESS).length === 1, 'newcomer got presence');
    expect(Buffer.from(c.framesOf(MESSAGE_TYPE.AWARENESS)[0]!).toString()).toContain('alice');
  });

  it('announces a client as gone when its connection closes', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open' && b.session.state === 'open', 'both open');
    a.session.receive(awarenessFrame(11, 3, { user: 'alice' }));
    await waitFor(() => b.framesOf(MESSAGE_TYPE.AWARENESS).length === 1, 'presence shared');
    a.leave();
    const removal = await waitFor(() => b.framesOf(MESSAGE_TYPE.AWARENESS)[1], 'removal');
    expect(Buffer.from(removal).includes(Buffer.from('null'))).toBe(true);
  });

  it('ignores stale presence (an older clock)', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open' && b.session.state === 'open', 'both open');
    a.session.receive(awarenessFrame(11, 5, { v: 'new' }));
    a.session.receive(awarenessFrame(11, 4, { v: 'old' }));
    a.session.receive(awarenessFrame(11, 6, { v: 'newer' }));
    await waitFor(() => b.framesOf(MESSAGE_TYPE.AWARENESS).length === 2, 'two accepted');
    expect(b.framesOf(MESSAGE_TYPE.AWARENESS).map((f) => Buffer.from(f).toString()).join()).not.toContain('old');
  });
});

describe('relay core: joining', () => {
  it('closes with UNAUTHORISED without a token and FORBIDDEN with another token', async () => {
    const { relay } = makeRelay();
    const noToken = ProtocolClient.join(relay, { room: ROOM, token: null });
    const first = ProtocolClient.join(relay, { room: ROOM, token: 'first-token-aaaaaaaaaaaa' });
    await waitFor(() => first.session.state === 'open', 'first open');
    const other = ProtocolClient.join(relay, { room: ROOM, token: 'other-token-bbbbbbbbbbbb' });
    await waitFor(() => noToken.closed && other.closed, 'both refused');
    expect(noToken.closed?.code).toBe(CLOSE_CODES.UNAUTHORISED);
    expect(other.closed?.code).toBe(CLOSE_CODES.FORBIDDEN);
    expect(first.closed).toBeNull();
  });

  it('binds the token on first use across reloads of the room', async () => {
    const { relay, store } = makeRelay();
    const first = ProtocolClient.join(relay, { room: ROOM, token: 'first-token-aaaaaaaaaaaa' });
    await waitFor(() => first.session.state === 'open', 'first open');
    first.leave();
    await waitFor(() => !relay.hasRoom(ROOM), 'room released');
    const again = ProtocolClient.join(relay, { room: ROOM, token: 'first-token-aaaaaaaaaaaa' });
    const other = ProtocolClient.join(relay, { room: ROOM, token: 'other-token-bbbbbbbbbbbb' });
    await waitFor(() => again.session.state === 'open' && other.closed, 'decided');
    expect(other.closed?.code).toBe(CLOSE_CODES.FORBIDDEN);
    expect(await store.bindToken(ROOM, 'x')).toBe('mismatched');
  });

  it('refuses bad room names and clients that do not offer its protocol version', async () => {
    const { relay } = makeRelay();
    const badName = ProtocolClient.join(relay, { room: '../etc' });
    const oldClient = ProtocolClient.join(relay, { room: ROOM, versions: [] });
    const newerOnly = ProtocolClient.join(relay, { room: ROOM, versions: [2] });
    const both = ProtocolClient.join(relay, { room: ROOM, versions: [2, 1] });
    await waitFor(() => badName.closed && oldClient.closed && newerOnly.closed && both.session.state === 'open', 'decided');
    expect(badName.closed?.code).toBe(CLOSE_CODES.BAD_FRAME);
    expect(oldClient.closed?.code).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
    expect(newerOnly.closed?.code).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
  });

  it('refuses a room beyond the per-process limit with ROOM_LIMIT', async () => {
    const { relay } = makeRelay({ limits: { maxRooms: 2, roomIdleMs: 60_000 } });
    const one = ProtocolClient.join(relay, { room: 'room-1111111' });
    const two = ProtocolClient.join(relay, { room: 'room-2222222' });
    await waitFor(() => one.session.state === 'open' && two.session.state === 'open', 'two rooms');
    const three = ProtocolClient.join(relay, { room: 'room-3333333' });
    const sameAsOne = ProtocolClient.join(relay, { room: 'room-1111111' });
    await waitFor(() => three.closed && sameAsOne.session.state === 'open', 'third refused, existing room still joinable');
    expect(three.closed?.code).toBe(CLOSE_CODES.ROOM_LIMIT);
  });
});

describe('relay core: limits and bad frames', () => {
  it('closes only the offending connection on a malformed frame', async () => {
    const { relay } = makeRelay();
    const bad = ProtocolClient.join(relay, { room: ROOM });
    const good = ProtocolClient.join(relay, { room: ROOM });
    const elsewhere = ProtocolClient.join(relay, { room: 'room-bbbbbbbb' });
    await waitFor(() => bad.session.state === 'open' && good.session.state === 'open' && elsewhere.session.state === 'open', 'open');
    bad.session.receive(Uint8Array.of(0, 2, 5, 1, 2)); // update whose length runs past the frame
    await waitFor(() => bad.closed, 'bad closed');
    expect(bad.closed?.code).toBe(CLOSE_CODES.BAD_FRAME);
    good.doc.getMap('m').set('still', 'works');
    const check = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => check.doc.getMap('m').get('still') === 'works', 'room still serves');
    expect(good.closed).toBeNull();
    expect(elsewhere.closed).toBeNull();
  });

  it('refuses text frames and unknown message types', async () => {
    const { relay } = makeRelay();
    const text = ProtocolClient.join(relay, { room: ROOM });
    const unknown = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => text.session.state === 'open' && unknown.session.state === 'open', 'open');
    text.session.receive('hello');
    unknown.session.receive(Uint8Array.of(MESSAGE_TYPE.AUTH, 0));
    await waitFor(() => text.closed && unknown.closed, 'both closed');
    expect([text.closed?.code, unknown.closed?.code]).toEqual([CLOSE_CODES.BAD_FRAME, CLOSE_CODES.BAD_FRAME]);
  });

  it('closes a frame over the frame limit with TOO_LARGE', async () => {
    const { relay } = makeRelay({ limits: { maxFrameBytes: 1024 } });
    const client = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => client.session.state === 'open', 'open');
    client.session.receive(new Uint8Array(1025));
    expect(client.closed?.code).toBe(CLOSE_CODES.TOO_LARGE);
  });

  it('refuses an update that would push the document over its limit, keeping the document as it was', async () => {
    const { relay } = makeRelay({ limits: { maxDocBytes: 2_000, roomIdleMs: 60_000 } });
    const writer = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => writer.session.state === 'open', 'open');
    writer.doc.getText('t').insert(0, 'small');
    writer.doc.getText('t').insert(0, 'x'.repeat(5_000));
    await waitFor(() => writer.closed, 'writer closed');
    expect(writer.closed?.code).toBe(CLOSE_CODES.TOO_LARGE);
    const reader = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => reader.doc.getText('t').toString() === 'small', 'document kept without the big update');
  });

  it('rate-limits a flooding connection with RATE_LIMITED (a transient code)', async () => {
    let now = 0;
    const { relay } = makeRelay({ limits: { messagesPerSecond: 10, messageBurst: 5 }, now: () => now });
    const client = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => client.session.state === 'open', 'open');
    const frame = encodeUpdateFrame(new Uint8Array([0, 0]));
    for (let i = 0; i < 3; i++) client.session.receive(frame); // step 1 used one token already
    expect(client.closed).toBeNull();
    now += 1_000;
    for (let i = 0; i < 5; i++) client.session.receive(frame);
    expect(client.closed).toBeNull();
    client.session.receive(frame);
    expect(client.closed?.code).toBe(CLOSE_CODES.RATE_LIMITED);
  });

  it('drops a client that stopped reading (SLOW_CONSUMER) without slowing the room', async () => {
    const { relay } = makeRelay({ limits: { maxBufferedBytes: 100 } });
    const stalled = ProtocolClient.join(relay, { room: ROOM });
    const writer = ProtocolClient.join(relay, { room: ROOM });
    const reader = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => [stalled, writer, reader].every((c) => c.session.state === 'open'), 'open');
    stalled.buffered = 1_000;
    writer.doc.getMap('m').set('k', 'v');
    await waitFor(() => stalled.closed && reader.doc.getMap('m').get('k') === 'v', 'stalled dropped, reader served');
    expect(stalled.closed?.code).toBe(CLOSE_CODES.SLOW_CONSUMER);
  });
});

describe('relay core: persistence and lifecycle', () => {
  it('releases an idle room with its updates flushed, and restores it on the next join', async () => {
    const { relay, store } = makeRelay();
    const a = ProtocolClient.join(relay, { room: ROOM });
    a.doc.getMap('m').set('kept', 42);
    await waitFor(() => a.session.state === 'open', 'open');
    a.leave();
    await waitFor(() => !relay.hasRoom(ROOM), 'room released');
    expect(relay.stats()).toEqual({ rooms: 0, connections: 0 });
    expect((await storedDoc(store, ROOM)).getMap('m').get('kept')).toBe(42);
    const b = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => b.doc.getMap('m').get('kept') === 42, 'restored');
  });

  it('stores each client update once, and compacts to one snapshot on unload', async () => {
    const { relay, store } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open', 'open');
    for (let i = 0; i < 20; i++) a.doc.getMap('m').set(`k${i}`, i);
    await waitFor(async () => (await store.load(ROOM)).length === 20, '20 rows');
    a.leave();
    await relay.close();
    const rows = await store.load(ROOM);
    expect(rows).toHaveLength(1);
    expect((await storedDoc(store, ROOM)).getMap('m').get('k19')).toBe(19);
  });

  it('closes everyone with GOING_AWAY on shutdown and refuses new joins', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open', 'open');
    await relay.close();
    expect(a.closed?.code).toBe(CLOSE_CODES.GOING_AWAY);
    const late = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => late.closed, 'late refused');
    expect(late.closed?.code).toBe(CLOSE_CODES.GOING_AWAY);
  });

  it('keeps retrying a failing store and loses nothing once it recovers', async () => {
    const store = new MemoryStore();
    let failures = 3;
    const hooks = createStoreHooks(store);
    const relay = new Relay({
      log: silentLog,
      limits: { roomIdleMs: 0 },
      hooks: {
        ...hooks,
        store: async (room, updates) => {
          if (failures-- > 0) throw new Error('database is down');
          return hooks.store(room, updates);
        },
      },
    });
    const a = ProtocolClient.join(relay, { room: ROOM });
    a.doc.getMap('m').set('survives', true);
    await waitFor(() => a.session.state === 'open', 'open');
    a.leave();
    await waitFor(() => !relay.hasRoom(ROOM), 'released after the store recovered', 10_000);
    expect((await storedDoc(store, ROOM)).getMap('m').get('survives')).toBe(true);
  });

  it('deletes a room for its token holder: closes clients with ROOM_DELETED and forgets data and token', async () => {
    const { relay, store } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM, token: 'owner-token-aaaaaaaaaaaa' });
    a.doc.getMap('m').set('secret', 'gone');
    await waitFor(async () => (await store.load(ROOM)).length > 0, 'stored');
    await expect(relay.deleteRoom(ROOM, 'other-token-bbbbbbbbbbbb')).rejects.toMatchObject({ code: 'auth/token-mismatch' });
    await relay.deleteRoom(ROOM, 'owner-token-aaaaaaaaaaaa');
    expect(a.closed?.code).toBe(CLOSE_CODES.ROOM_DELETED);
    expect(await store.load(ROOM)).toEqual([]);
    const repaired = ProtocolClient.join(relay, { room: ROOM, token: 'new-pairing-token-cccccc' });
    await waitFor(() => repaired.session.state === 'open', 'a new token binds after deletion');
    expect(repaired.doc.getMap('m').get('secret')).toBeUndefined();
  });

  it('answers a query-awareness frame with current presence', async () => {
    const { relay } = makeRelay({ limits: { roomIdleMs: 60_000 } });
    const a = ProtocolClient.join(relay, { room: ROOM });
    await waitFor(() => a.session.state === 'open', 'open');
    a.session.receive(awarenessFrame(7, 1, { user: 'x' }));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.QUERY_AWARENESS);
    a.session.receive(encoding.toUint8Array(encoder));
    await waitFor(() => a.framesOf(MESSAGE_TYPE.AWARENESS).length === 2, 'echo and answer');
  });
});

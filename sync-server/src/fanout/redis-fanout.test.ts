import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisFanout } from './redis-fanout.ts';
import { silentLog, type FanoutMessage } from '../rooms/hooks.ts';
import { TEST_REDIS_URL, uniquePrefix } from '../testing/services.ts';
import { waitFor } from '../testing/wait-for.ts';

const opened: RedisFanout[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((fanout) => fanout.close()));
});

async function node(channelPrefix: string): Promise<RedisFanout> {
  const fanout = await RedisFanout.connect(TEST_REDIS_URL, { channelPrefix, log: silentLog });
  opened.push(fanout);
  return fanout;
}

describe('RedisFanout', () => {
  it('delivers a message to the other nodes in the room, not back to its sender, and leaves no keys', async () => {
    const prefix = uniquePrefix('fanout');
    const [a, b, c] = [await node(prefix), await node(prefix), await node(prefix)];
    const seen: Record<string, FanoutMessage[]> = { a: [], b: [], c: [] };
    await a.subscribe('room-one', (message) => seen.a!.push(message));
    await b.subscribe('room-one', (message) => seen.b!.push(message));
    await c.subscribe('room-two', (message) => seen.c!.push(message));
    a.publish('room-one', { kind: 'update', payload: Uint8Array.of(1, 2, 3) });
    b.publish('room-one', { kind: 'deleted' });
    await waitFor(() => seen.a!.length === 1 && seen.b!.length === 1, 'each got the other one');
    expect(seen.b).toEqual([{ kind: 'update', payload: Uint8Array.of(1, 2, 3) }]);
    expect(seen.a).toEqual([{ kind: 'deleted' }]);
    expect(seen.c).toEqual([]);
    const redis = new Redis(TEST_REDIS_URL);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    redis.disconnect();
  });

  it('stops delivering after unsubscribe', async () => {
    const prefix = uniquePrefix('unsub');
    const [a, b] = [await node(prefix), await node(prefix)];
    const seen: FanoutMessage[] = [];
    await b.subscribe('room-one', (message) => seen.push(message));
    a.publish('room-one', { kind: 'awareness', payload: Uint8Array.of(1) });
    await waitFor(() => seen.length === 1, 'first delivered');
    await b.unsubscribe('room-one');
    a.publish('room-one', { kind: 'awareness', payload: Uint8Array.of(2) });
    // A marker on a room b still listens to shows the second message had its chance to arrive.
    const marks: FanoutMessage[] = [];
    await b.subscribe('room-mark', (message) => marks.push(message));
    a.publish('room-mark', { kind: 'deleted' });
    await waitFor(() => marks.length === 1, 'marker delivered');
    expect(seen).toHaveLength(1);
  });

  it('tells rooms to resync after its subscription connection comes back', async () => {
    const prefix = uniquePrefix('resync');
    const a = await node(prefix);
    const seen: FanoutMessage[] = [];
    await a.subscribe('room-one', (message) => seen.push(message));
    const admin = new Redis(TEST_REDIS_URL);
    const name = `${RedisFanout.connectionName(a.nodeId)}-sub`;
    const line = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n').find((l) => l.includes(`name=${name} `));
    const id = /id=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', id!);
    admin.disconnect();
    await waitFor(() => seen.some((message) => message.kind === 'reconnected'), 'reconnected signal');
  });
});

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Fanout, FanoutMessage, RelayLog } from '../rooms/hooks.ts';
import { NODE_ID_BYTES, decodeFanoutMessage, encodeFanoutMessage, sameNode } from './fanout-message.ts';

export interface RedisFanoutOptions {
  /** Channel names are `<prefix><room>`; separate deployments (or tests) sharing a Redis use different prefixes. */
  channelPrefix?: string;
  log: RelayLog;
}

type Listener = (message: FanoutMessage) => void;

/**
 * Cross-node fan-out over Redis pub/sub: one channel per room, binary messages, one publishing and
 * one subscribing connection per process. Pub/sub keeps nothing, so nothing needs cleaning up;
 * what a node misses (it joined late, or Redis blinked) it recovers with a sync-request that the
 * other nodes answer from memory, and clients recover the rest with y-websocket's own sync on
 * reconnect. Persistence is not Redis's job here: every node writes what its own clients sent.
 */
export class RedisFanout implements Fanout {
  readonly nodeId: Uint8Array;
  private readonly listeners = new Map<string, Listener>();
  private readonly prefix: string;
  private readonly log: RelayLog;

  private constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    nodeId: Uint8Array,
    options: RedisFanoutOptions,
  ) {
    this.nodeId = nodeId;
    this.prefix = options.channelPrefix ?? 'troupe:room:';
    this.log = options.log;
    sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.onMessage(channel.toString('utf8'), message));
    for (const connection of [pub, sub]) {
      connection.on('error', (error: Error) => this.log.warn('redis connection error', { error: error.message }));
    }
    // Constructed once connected, so every later 'ready' is a reconnect. ioredis re-subscribes by
    // itself; messages published meanwhile are gone, and the rooms ask the other nodes for them.
    sub.on('ready', () => {
      for (const listener of this.listeners.values()) listener({ kind: 'reconnected' });
    });
  }

  /** Connects both Redis connections; rejects if Redis cannot be reached. */
  static async connect(url: string, options: RedisFanoutOptions): Promise<RedisFanout> {
    const nodeId = randomBytes(NODE_ID_BYTES);
    // Named per node, so an operator (or a test) can tell relay connections apart in CLIENT LIST.
    const name = RedisFanout.connectionName(nodeId);
    const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `${name}-pub` });
    const sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectionName: `${name}-sub` });
    try {
      await Promise.all([pub.connect(), sub.connect()]);
    } catch (error) {
      pub.disconnect();
      sub.disconnect();
      throw error;
    }
    return new RedisFanout(pub, sub, nodeId, options);
  }

  /** The Redis client name prefix of a node's connections (`-pub` / `-sub` appended). */
  static connectionName(nodeId: Uint8Array): string {
    return `troupe-relay-${Buffer.from(nodeId).toString('hex').slice(0, 12)}`;
  }

  async subscribe(room: string, listener: Listener): Promise<void> {
    this.listeners.set(room, listener);
    await this.sub.subscribe(this.prefix + room);
  }

  async unsubscribe(room: string): Promise<void> {
    this.listeners.delete(room);
    await this.sub.unsubscribe(this.prefix + room);
  }

  publish(room: string, message: FanoutMessage): void {
    if (message.kind === 'reconnected') return;
    const bytes = encodeFanoutMessage(this.nodeId, message);
    this.pub.publish(this.prefix + room, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).catch((error: unknown) => {
      this.log.warn('redis publish failed', { room, kind: message.kind, error: String(error) });
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }

  private onMessage(channel: string, bytes: Buffer): void {
    if (!channel.startsWith(this.prefix)) return;
    const listener = this.listeners.get(channel.slice(this.prefix.length));
    if (!listener) return;
    const decoded = decodeFanoutMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (!decoded || sameNode(decoded.nodeId, this.nodeId)) return;
    listener(decoded.message);
  }
}

import { createHash } from 'node:crypto';
import { PROTOCOL_VERSION, isValidRoomName } from '@troupe/shared/protocol';
import { DEFAULT_LIMITS, type RelayLimits } from '../limits.ts';
import type { Connection } from './connection.ts';
import { RelayError } from './errors.ts';
import { consoleLog, type Fanout, type RelayHooks, type RelayLog } from './hooks.ts';
import { Room } from './room.ts';
import { Session } from './session.ts';

export interface RelayOptions {
  hooks: RelayHooks;
  /** Cross-node fan-out; omit for a single process. */
  fanout?: Fanout | null;
  limits?: Partial<RelayLimits>;
  log?: RelayLog;
  now?: () => number;
}

/** What a client asked for when it connected (from the URL and the WebSocket subprotocols). */
export interface JoinRequest {
  room: string;
  token: string | null;
  /** Protocol versions the client offered (`troupe-sync.vN`); this relay needs its own among them. */
  versions: readonly number[];
}

export interface RelayStats {
  rooms: number;
  connections: number;
}

/**
 * The relay core: rooms keyed by name, each a Y.Doc with its connections. It speaks the y-websocket
 * protocol over any `Connection`, persists and authenticates through `RelayHooks`, and shares rooms
 * with other processes through a `Fanout`. It imports no HTTP or WebSocket library.
 *
 * @example
 *   const relay = new Relay({ hooks: createStoreHooks(store) });
 *   const session = relay.connect(connection, { room, token, versions: [1] });
 *   socket.on('message', (bytes) => session.receive(bytes));
 *   socket.on('close', () => session.disconnected());
 */
export class Relay {
  readonly limits: RelayLimits;
  private readonly rooms = new Map<string, Room>();
  private readonly sessions = new Set<Session>();
  private readonly hooks: RelayHooks;
  private readonly fanout: Fanout | null;
  private readonly log: RelayLog;
  private readonly now: () => number;
  private closing = false;

  constructor(options: RelayOptions) {
    this.hooks = options.hooks;
    this.fanout = options.fanout ?? null;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.log = options.log ?? consoleLog;
    this.now = options.now ?? Date.now;
  }

  /** Accepts a new connection; joining (auth, room load) continues in the background. */
  connect(conn: Connection, join: JoinRequest): Session {
    const session = new Session(conn, this.limits, (s) => this.sessions.delete(s), this.now);
    this.sessions.add(session);
    void this.join(session, join);
    return session;
  }

  stats(): RelayStats {
    return { rooms: this.rooms.size, connections: this.sessions.size };
  }

  /** Whether a room is in memory (tests and diagnostics). */
  hasRoom(name: string): boolean {
    return this.rooms.has(name);
  }

  private async join(session: Session, join: JoinRequest): Promise<void> {
    let room: Room | null = null;
    try {
      if (this.closing) throw new RelayError('relay/shutting-down', 'relay is shutting down');
      if (!isValidRoomName(join.room)) throw new RelayError('room/bad-name', 'room names are 8-128 base64url characters');
      if (join.token === null) throw new RelayError('auth/missing-token', 'no join token offered');
      if (!join.versions.includes(PROTOCOL_VERSION)) {
        const offered = join.versions.map((v) => `v${v}`).join(', ') || 'none';
        throw new RelayError('auth/unsupported-protocol', `relay speaks troupe-sync.v${PROTOCOL_VERSION}, client offered ${offered}`);
      }
      const tokenHash = hashToken(join.token);
      if (this.rooms.get(join.room)?.tokenHash !== tokenHash) await this.hooks.authenticate({ room: join.room, token: join.token });
      if (session.isClosed()) return;
      room = await this.acquire(join.room);
      room.tokenHash = tokenHash;
      if (!session.isClosed()) session.open(room);
    } catch (error) {
      session.fail(this.asRelayError(error, join.room));
    } finally {
      if (room) {
        room.joining--;
        room.checkIdle();
      }
    }
  }

  /** The room, loaded; waits out an unload in progress; counts the caller as joining. */
  private async acquire(name: string): Promise<Room> {
    for (;;) {
      let room = this.rooms.get(name);
      if (room?.unloaded) {
        await room.unloaded.catch(() => {});
        if (this.rooms.get(name) === room) this.rooms.delete(name);
        continue;
      }
      if (!room) {
        if (this.closing) throw new RelayError('relay/shutting-down', 'relay is shutting down');
        if (this.rooms.size >= this.limits.maxRooms) throw new RelayError('room/limit', `this relay holds its maximum of ${this.limits.maxRooms} rooms`);
        room = this.createRoom(name);
      }
      room.joining++;
      try {
        await room.loaded;
      } catch (error) {
        room.joining--;
        throw error;
      }
      if (room.state === 'ready') return room;
      room.joining--;
    }
  }

  private createRoom(name: string): Room {
    const room = new Room(name, {
      hooks: this.hooks,
      fanout: this.fanout,
      limits: this.limits,
      log: this.log,
      now: this.now,
      onIdle: (r) => void this.unloadRoom(r),
      onDeletedElsewhere: (r) => void this.discardRoom(r),
    });
    this.rooms.set(name, room);
    room.loaded = room.load().catch(async (error: unknown) => {
      this.log.error('room failed to load', { room: name, error: String(error) });
      room.state = 'gone';
      if (this.rooms.get(name) === room) this.rooms.delete(name);
      await this.fanout?.unsubscribe(name).catch(() => {});
      throw new RelayError('relay/internal', 'room could not be loaded');
    });
    return room;
  }

  private async unloadRoom(room: Room): Promise<void> {
    try {
      await room.unload();
    } catch (error) {
      this.log.error('room unload failed', { room: room.name, error: String(error) });
    } finally {
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
    }
  }

  private async discardRoom(room: Room): Promise<void> {
    room.unloaded ??= room.discard(new RelayError('room/deleted', 'room deleted'));
    await room.unloaded.catch(() => {});
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
  }

  /**
   * Deletes a room's data on behalf of a client holding its token (unpairing): closes its
   * connections with ROOM_DELETED, tells other nodes, and removes updates and token binding.
   */
  async deleteRoom(name: string, token: string): Promise<void> {
    if (!isValidRoomName(name)) throw new RelayError('room/bad-name', 'room names are 8-128 base64url characters');
    const room = this.rooms.get(name);
    if (room?.tokenHash !== hashToken(token)) await this.hooks.authenticate({ room: name, token });
    if (room) await this.discardRoom(room);
    this.fanout?.publish(name, { kind: 'deleted' });
    await this.hooks.delete(name);
  }

  /**
   * Stops: closes every connection with GOING_AWAY (clients reconnect, possibly to another node),
   * then flushes and releases every room, waiting at most `shutdownFlushMs`.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const session of [...this.sessions]) session.fail(new RelayError('relay/shutting-down', 'relay is shutting down'));
    const unloads = Promise.all([...this.rooms.values()].map((room) => this.unloadRoom(room)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.limits.shutdownFlushMs);
    });
    const outcome = await Promise.race([unloads.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.error('shutdown gave up waiting for the store', { rooms: this.rooms.size });
  }

  private asRelayError(error: unknown, room: string): RelayError {
    if (error instanceof RelayError) return error;
    this.log.error('join failed', { room, error: String(error) });
    return new RelayError('relay/internal', 'internal error');
  }
}

/** SHA-256 of a join token, hex: what stores keep and what the in-memory cache compares. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The relay's outward dependencies, as hook objects in the manner of hocuspocus' extensions: the
 * core calls them and knows nothing of SQL, Redis or HTTP. `storage/store-hooks.ts` builds
 * `RelayHooks` from any `DocStore`; `fanout/` provides `Fanout` over Redis or in memory.
 */
export interface RelayHooks {
  /**
   * Admits `token` to `room` or throws RelayError('auth/token-mismatch'). The default binds the
   * first token a room sees and refuses every other afterwards.
   */
  authenticate(request: { room: string; token: string }): Promise<void>;
  /** The stored updates of a room (a snapshot and the rows appended since), oldest first. */
  load(room: string): Promise<Uint8Array[]>;
  /** Appends updates received from this relay's clients. */
  store(room: string, updates: Uint8Array[]): Promise<void>;
  /** Merges a room's stored rows into one snapshot row; returns what is stored afterwards. */
  compact(room: string): Promise<{ rows: number; bytes: number }>;
  /** Forgets a room: its updates and its token binding. */
  delete(room: string): Promise<void>;
}

/** What relay nodes tell each other about a room. */
export type FanoutMessage =
  /** A Yjs update a node applied from one of its clients (or a diff answering a sync-request). */
  | { kind: 'update'; payload: Uint8Array }
  /** An awareness update (y-protocols encoding) that changed presence in the room. */
  | { kind: 'awareness'; payload: Uint8Array }
  /** A node that just loaded the room sends its state vector; others answer with what it lacks. */
  | { kind: 'sync-request'; payload: Uint8Array }
  /** The room was deleted: drop it without flushing. */
  | { kind: 'deleted' }
  /**
   * Local only, never sent: the fan-out lost its connection and is back, so messages may have been
   * missed; the room asks the other nodes for what it lacks, as after a load.
   */
  | { kind: 'reconnected' };

/**
 * Cross-node fan-out, so that several relay processes serve the same rooms. Messages a node
 * publishes are delivered to every other subscribed node, never back to itself.
 */
export interface Fanout {
  /** Starts delivering a room's messages to `listener`; resolves once delivery is live. */
  subscribe(room: string, listener: (message: FanoutMessage) => void): Promise<void>;
  unsubscribe(room: string): Promise<void>;
  publish(room: string, message: FanoutMessage): void;
  close(): Promise<void>;
}

/** Where the relay reports what operators need to know. */
export interface RelayLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Logs one line per event to the console. */
export const consoleLog: RelayLog = {
  info: (message, fields) => console.log(`[relay] ${message}`, fields ?? ''),
  warn: (message, fields) => console.warn(`[relay] ${message}`, fields ?? ''),
  error: (message, fields) => console.error(`[relay] ${message}`, fields ?? ''),
};

/** Drops everything (tests). */
export const silentLog: RelayLog = { info: () => {}, warn: () => {}, error: () => {} };

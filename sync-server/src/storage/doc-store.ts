/**
 * Where rooms live between sessions: a small interface in the manner of y-sweet's store, so that
 * SQLite (default), Postgres (several relay processes) and memory (tests) are interchangeable.
 * Rows are Yjs v1 updates, oldest first; a compacted room is one snapshot row.
 */
export interface DocStore {
  readonly kind: 'sqlite' | 'postgres' | 'memory';
  /** Every stored update of a room, oldest first (empty for an unknown room). */
  load(room: string): Promise<Uint8Array[]>;
  /** Appends updates as rows, atomically. */
  append(room: string, updates: readonly Uint8Array[]): Promise<void>;
  /**
   * Replaces the rows read at the start with one merged snapshot, atomically and without losing a
   * row appended meanwhile by another writer. Returns the room's row count and bytes afterwards.
   */
  compact(room: string): Promise<{ rows: number; bytes: number }>;
  /** Removes a room's rows and token binding. */
  delete(room: string): Promise<void>;
  /**
   * Binds `tokenHash` to the room if none is bound yet (first use wins, also across processes) and
   * says whether the given hash is the bound one.
   */
  bindToken(room: string, tokenHash: string): Promise<'bound' | 'matched' | 'mismatched'>;
  close(): Promise<void>;
}

/** Stored schema version; a store refuses to open data written by a newer schema. */
export const STORE_SCHEMA_VERSION = 1;

export type StoreErrorCode = 'store/newer-schema' | 'store/misconfigured';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Where sealed packs live: beside the room store, through the same kind of small interface, so
 * SQLite (default) and Postgres (several relay processes) are interchangeable. A pack row holds
 * ciphertext, its size, times, a version number and the publisher secret's hash: nothing else
 * (no client address, no name). Revoking or expiring drops the ciphertext and keeps the row as a
 * tombstone, so a link says "revoked" or "expired" rather than "not found".
 */
export interface PackMeta {
  id: string;
  /** 1 when created; +1 per new version. */
  version: number;
  /** Bytes of the current ciphertext (0 once dropped). */
  size: number;
  /** Unix ms. */
  createdAt: number;
  updatedAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** base64url SHA-256 of the publisher secret (see @troupe/shared/packs publisherHash). */
  publisherHash: string;
}

export interface NewPack {
  id: string;
  data: Uint8Array;
  publisherHash: string;
  at: number;
  expiresAt: number | null;
}

export interface PackVersion {
  data: Uint8Array;
  at: number;
  /** A new expiry, null to clear it, undefined to keep the current one. */
  expiresAt?: number | null;
}

export interface PackStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Stores a new pack at version 1; 'exists' if the id is taken (the caller draws another). */
  create(pack: NewPack): Promise<'created' | 'exists'>;
  /** A pack's row without its ciphertext, or null for an unknown id. */
  meta(id: string): Promise<PackMeta | null>;
  /** A pack's row with its ciphertext (null once revoked or swept after expiry), or null for an unknown id. */
  read(id: string): Promise<{ meta: PackMeta; data: Uint8Array | null } | null>;
  /**
   * Replaces the ciphertext and bumps the version, atomically, only while the pack is neither
   * revoked nor expired at `at` and its publisher hash is `publisherHash`. Null when any of those
   * does not hold (the caller reads the row again to say which).
   */
  replace(id: string, publisherHash: string, next: PackVersion): Promise<PackMeta | null>;
  /** Drops the ciphertext and marks the row revoked (once: a second call keeps the first time). Null for an unknown id or another hash. */
  revoke(id: string, publisherHash: string, at: number): Promise<PackMeta | null>;
  /** Drops the ciphertext of every pack expired at `now`; returns how many were dropped. */
  sweepExpired(now: number): Promise<number>;
  close(): Promise<void>;
}

/** Stored schema of the pack tables (SQLite `user_version` of packs.sqlite, Postgres `packs_schema_version`); newer is refused. */
export const PACK_STORE_SCHEMA_VERSION = 1;

/** A pack row as both SQL stores select it (Postgres returns bigint columns as text). */
export interface PackRow {
  id: string;
  version: number | string;
  size: number | string;
  created_at: number | string;
  updated_at: number | string;
  expires_at: number | string | null;
  revoked_at: number | string | null;
  publisher_hash: string;
}

/** The columns of PackRow, for SELECT and RETURNING. */
export const PACK_META_COLUMNS = 'id, version, size, created_at, updated_at, expires_at, revoked_at, publisher_hash';

export function packMetaFromRow(row: PackRow): PackMeta {
  return {
    id: row.id,
    version: Number(row.version),
    size: Number(row.size),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    publisherHash: row.publisher_hash,
  };
}

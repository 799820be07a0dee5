import { timingSafeEqual } from 'node:crypto';
import { checkSealedPack, createPackId, isPackError, isPublisherHash, isValidPackId, publisherHash, type PublisherSecret } from '@troupe/shared/packs';
import type { PackMeta, PackStore } from '../storage/pack-store.ts';
import { PackRelayFailure } from './errors.ts';

export interface PackServiceOptions {
  store: PackStore;
  /** Largest ciphertext accepted (PackLimits.maxPackBytes). */
  maxPackBytes: number;
  now?: () => number;
}

/** Ids drawn before giving up: 128 random bits collide never in practice; a loop here means a broken store. */
const ID_ATTEMPTS = 3;

/**
 * The relay's pack rules, without HTTP: what may be stored, who may replace or revoke it, and what
 * a fetch answers for a revoked or expired pack. Every refusal is a PackRelayFailure with a code
 * the extension maps to a message. The relay never reads a pack: it checks the envelope's header
 * (magic, length) and stores the bytes.
 */
export class PackService {
  private readonly store: PackStore;
  private readonly maxPackBytes: number;
  private readonly now: () => number;

  constructor(options: PackServiceOptions) {
    this.store = options.store;
    this.maxPackBytes = options.maxPackBytes;
    this.now = options.now ?? Date.now;
  }

  /** Stores a new pack at version 1 under a fresh random id. */
  async publish(input: { data: Uint8Array; publisherHash: string; expiresAt: number | null }): Promise<PackMeta> {
    if (!isPublisherHash(input.publisherHash)) throw new PackRelayFailure('pack/bad-publisher-hash', 'Send the base64url SHA-256 of the publisher secret (43 characters).');
    const at = this.now();
    this.checkExpiry(input.expiresAt, at);
    this.checkEnvelope(input.data);
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const id = createPackId();
      if ((await this.store.create({ id, data: input.data, publisherHash: input.publisherHash, at, expiresAt: input.expiresAt })) === 'created') {
        return { id, version: 1, size: input.data.length, createdAt: at, updatedAt: at, expiresAt: input.expiresAt, revokedAt: null, publisherHash: input.publisherHash };
      }
    }
    throw new Error(`Could not draw an unused pack id in ${ID_ATTEMPTS} attempts`);
  }

  /** A pack's ciphertext and metadata; refuses unknown, revoked and expired packs. */
  async fetch(id: string): Promise<{ meta: PackMeta; data: Uint8Array }> {
    this.checkId(id);
    const found = await this.store.read(id);
    const meta = this.available(id, found?.meta ?? null);
    // A live row always has its ciphertext (revoking and sweeping drop it in the statement that ends it).
    if (!found?.data) throw new Error(`Pack ${id} is live but has no ciphertext`);
    return { meta, data: found.data };
  }

  /** A pack's metadata without its ciphertext (HEAD, If-None-Match); refuses as fetch does. */
  async describe(id: string): Promise<PackMeta> {
    this.checkId(id);
    return this.available(id, await this.store.meta(id));
  }

  /** Stores a new version; only the publisher (its secret) may, and only while the pack is live. */
  async update(id: string, secret: PublisherSecret, next: { data: Uint8Array; expiresAt?: number | null }): Promise<PackMeta> {
    this.checkId(id);
    const hash = await this.authorise(id, secret);
    const at = this.now();
    if (next.expiresAt !== undefined) this.checkExpiry(next.expiresAt, at);
    this.checkEnvelope(next.data);
    const updated = await this.store.replace(id, hash, { data: next.data, at, ...(next.expiresAt === undefined ? {} : { expiresAt: next.expiresAt }) });
    if (updated) return updated;
    // Revoked, expired (or revoked by a racing request) between the check and the write: say which.
    this.available(id, await this.store.meta(id));
    throw new Error(`Pack ${id} could not be updated although it is live`);
  }

  /** Revokes a pack: drops its ciphertext and keeps a tombstone. Revoking twice is not an error. */
  async revoke(id: string, secret: PublisherSecret): Promise<PackMeta> {
    this.checkId(id);
    const hash = await this.authorise(id, secret);
    const revoked = await this.store.revoke(id, hash, this.now());
    if (!revoked) throw new PackRelayFailure('pack/not-found', 'No pack has this id.');
    return revoked;
  }

  /** Drops the ciphertext of expired packs; their rows stay, so their links say "expired". */
  sweep(): Promise<number> {
    return this.store.sweepExpired(this.now());
  }

  /** The publisher hash of `secret` if it is this pack's; refuses an unknown pack or another secret. */
  private async authorise(id: string, secret: PublisherSecret): Promise<string> {
    const meta = await this.store.meta(id);
    if (!meta) throw new PackRelayFailure('pack/not-found', 'No pack has this id.');
    let hash: string;
    try {
      hash = await publisherHash(secret);
    } catch (error) {
      if (isPackError(error)) throw new PackRelayFailure('pack/wrong-secret', 'This is not the secret of this pack.');
      throw error;
    }
    // Constant time, so response timing tells nothing about how much of a guess matched.
    const stored = Buffer.from(meta.publisherHash);
    const given = Buffer.from(hash);
    if (stored.length !== given.length || !timingSafeEqual(stored, given)) {
      throw new PackRelayFailure('pack/wrong-secret', 'This is not the secret of this pack.');
    }
    return hash;
  }

  private available(id: string, meta: PackMeta | null): PackMeta {
    if (!meta) throw new PackRelayFailure('pack/not-found', `No pack has the id ${id}.`);
    if (meta.revokedAt !== null) throw new PackRelayFailure('pack/revoked', 'The publisher revoked this pack.');
    if (meta.expiresAt !== null && meta.expiresAt <= this.now()) throw new PackRelayFailure('pack/expired', 'This pack has expired.');
    return meta;
  }

  private checkId(id: string): void {
    if (!isValidPackId(id)) throw new PackRelayFailure('pack/bad-id', 'A pack id is 22 base64url characters.');
  }

  private checkExpiry(expiresAt: number | null, now: number): void {
    if (expiresAt !== null && (!Number.isSafeInteger(expiresAt) || expiresAt <= now)) {
      throw new PackRelayFailure('pack/bad-expiry', 'The expiry must be a future time in Unix milliseconds.');
    }
  }

  private checkEnvelope(data: Uint8Array): void {
    if (data.length > this.maxPackBytes) throw new PackRelayFailure('pack/too-large', `Packs up to ${this.maxPackBytes} bytes are accepted.`);
    try {
      checkSealedPack(data);
    } catch (error) {
      if (!isPackError(error)) throw error;
      if (error.code === 'pack/too-large') throw new PackRelayFailure('pack/too-large', error.message);
      throw new PackRelayFailure('pack/bad-envelope', `The body is not a sealed pack: ${error.message}`);
    }
  }
}

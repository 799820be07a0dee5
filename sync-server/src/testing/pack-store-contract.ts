import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPackId } from '@troupe/shared/packs';
import type { PackStore } from '../storage/pack-store.ts';
import { fakeSealedPack } from './packs.ts';

const HASH = 'h'.repeat(43);
const OTHER = 'o'.repeat(43);

/** The behaviour every PackStore must have, run against each adapter. */
export function describePackStoreContract(name: string, open: () => Promise<PackStore>, cleanup: (store: PackStore) => Promise<void> = async () => {}): void {
  describe(`${name} pack store contract`, () => {
    let store: PackStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await cleanup(store);
      await store.close();
    });

    it('creates a pack at version 1 and reads it back byte for byte', async () => {
      const id = createPackId();
      const data = fakeSealedPack(1000);
      expect(await store.create({ id, data, publisherHash: HASH, at: 10, expiresAt: null })).toBe('created');
      const read = await store.read(id);
      expect(read?.meta).toEqual({ id, version: 1, size: data.length, createdAt: 10, updatedAt: 10, expiresAt: null, revokedAt: null, publisherHash: HASH });
      expect(Buffer.from(read!.data!).equals(Buffer.from(data))).toBe(true);
      expect(await store.meta(id)).toEqual(read?.meta);
      expect(await store.create({ id, data, publisherHash: OTHER, at: 11, expiresAt: null })).toBe('exists');
      expect(await store.meta(createPackId())).toBeNull();
      expect(await store.read(createPackId())).toBeNull();
    });

    it('replaces only with the right hash, bumping the version and keeping or changing the expiry', async () => {
      const id = createPackId();
      await store.create({ id, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: 1_000 });
      expect(await store.replace(id, OTHER, { data: fakeSealedPack(), at: 20 })).toBeNull();
      const next = fakeSealedPack(500);
      const kept = await store.replace(id, HASH, { data: next, at: 20 });
      expect(kept).toMatchObject({ version: 2, size: next.length, createdAt: 10, updatedAt: 20, expiresAt: 1_000 });
      expect(await store.replace(id, HASH, { data: next, at: 30, expiresAt: null })).toMatchObject({ version: 3, expiresAt: null });
      expect(await store.replace(id, HASH, { data: next, at: 40, expiresAt: 5_000 })).toMatchObject({ version: 4, expiresAt: 5_000 });
      expect(Buffer.from((await store.read(id))!.data!).equals(Buffer.from(next))).toBe(true);
    });

    it('refuses to replace an expired or revoked pack', async () => {
      const expiring = createPackId();
      await store.create({ id: expiring, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: 100 });
      expect(await store.replace(expiring, HASH, { data: fakeSealedPack(), at: 100 })).toBeNull();
      const revoked = createPackId();
      await store.create({ id: revoked, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: null });
      await store.revoke(revoked, HASH, 50);
      expect(await store.replace(revoked, HASH, { data: fakeSealedPack(), at: 60 })).toBeNull();
    });

    it('revokes once, with the right hash only, dropping the ciphertext and keeping a tombstone', async () => {
      const id = createPackId();
      await store.create({ id, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: null });
      expect(await store.revoke(id, OTHER, 20)).toBeNull();
      expect(await store.revoke(id, HASH, 20)).toMatchObject({ revokedAt: 20, size: 0 });
      expect(await store.revoke(id, HASH, 30)).toMatchObject({ revokedAt: 20 });
      expect(await store.read(id)).toMatchObject({ meta: { revokedAt: 20 }, data: null });
      expect(await store.revoke(createPackId(), HASH, 20)).toBeNull();
    });

    it('sweeps the ciphertext of expired packs only', async () => {
      const expired = createPackId();
      const live = createPackId();
      await store.create({ id: expired, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: 100 });
      await store.create({ id: live, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: 10_000 });
      expect(await store.sweepExpired(100)).toBeGreaterThanOrEqual(1);
      expect(await store.read(expired)).toMatchObject({ meta: { expiresAt: 100, size: 0 }, data: null });
      expect((await store.read(live))?.data).not.toBeNull();
    });

    it('leaves one consistent row when a new version races a revoke', async () => {
      const id = createPackId();
      await store.create({ id, data: fakeSealedPack(), publisherHash: HASH, at: 10, expiresAt: null });
      await Promise.all([store.replace(id, HASH, { data: fakeSealedPack(), at: 20 }), store.revoke(id, HASH, 20)]);
      const read = await store.read(id);
      expect(read?.meta.revokedAt).toBe(20);
      expect(read?.data).toBeNull();
    });
  });
}

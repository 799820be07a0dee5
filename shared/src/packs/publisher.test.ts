import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPublisherSecret, isPublisherHash, isPublisherSecret, publisherHash } from './publisher.ts';
import { codeOf } from './test-support.ts';

describe('publisher secret', () => {
  it('is 256 random bits, and the relay gets only a labelled SHA-256 of it', async () => {
    const secret = createPublisherSecret();
    expect(isPublisherSecret(secret)).toBe(true);
    expect(createPublisherSecret()).not.toBe(secret);
    const hash = await publisherHash(secret);
    expect(hash).toBe(createHash('sha256').update(`troupe-pack-publisher.v1:${secret}`).digest('base64url'));
    expect(isPublisherHash(hash)).toBe(true);
    expect(hash).not.toContain(secret.slice(0, 8));
  });

  it('refuses text that is not a secret', async () => {
    expect(await codeOf(() => publisherHash('short'))).toBe('publisher/bad-secret');
    expect(isPublisherHash('x'.repeat(43))).toBe(false);
    expect(isPublisherHash('not a hash')).toBe(false);
  });
});

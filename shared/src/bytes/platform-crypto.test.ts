import { afterEach, describe, expect, it, vi } from 'vitest';
import { platformCrypto } from './platform-crypto.ts';

afterEach(() => { vi.unstubAllGlobals(); });

describe('platformCrypto', () => {
  it("gives the platform's WebCrypto, or throws the caller's error where there is none", () => {
    expect(platformCrypto<object>(() => new Error('none'))).toBe((globalThis as unknown as { crypto: object }).crypto);
    vi.stubGlobal('crypto', { getRandomValues: () => new Uint8Array() });
    expect(() => platformCrypto(() => new Error('no subtle here'))).toThrow('no subtle here');
  });
});

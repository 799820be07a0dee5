import { describe, expect, it } from 'vitest';
import { PACK_RELAY_ERRORS, readPackReceipt, readPackRelayError } from './wire.ts';

describe('pack relay answers', () => {
  it('give every error code a 4xx or 5xx status', () => {
    for (const status of Object.values(PACK_RELAY_ERRORS)) expect(status).toBeGreaterThanOrEqual(400);
  });

  it('read a known error, and name an unknown one by its status', () => {
    expect(readPackRelayError(410, { error: { code: 'pack/revoked', message: 'Revoked.' } })).toEqual({ code: 'pack/revoked', message: 'Revoked.' });
    expect(readPackRelayError(404, '<html>nginx</html>').code).toBe('pack/not-found');
    expect(readPackRelayError(502, null).code).toBe('pack/internal');
    expect(readPackRelayError(400, { error: { code: '__proto__', message: 'x' } }).code).toBe('pack/internal');
  });

  it('check a receipt', () => {
    const receipt = { id: 'AAECAwQFBgcICQoLDA0ODw', version: 1, size: 10, createdAt: 1, updatedAt: 1, expiresAt: null };
    expect(readPackReceipt(receipt)).toEqual(receipt);
    expect(readPackReceipt({ ...receipt, id: '../x' })).toBeNull();
    expect(readPackReceipt({ ...receipt, version: -1 })).toBeNull();
    expect(readPackReceipt({ ...receipt, expiresAt: 'soon' })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { PACK_RELAY_ERRORS } from '@troupe/shared/packs';
import { isPacksErrorCode, packErrorMessage } from './pack-errors.ts';

describe('pack error words', () => {
  it('have a sentence for every code the relay answers', () => {
    for (const code of Object.keys(PACK_RELAY_ERRORS)) {
      expect(isPacksErrorCode(code)).toBe(true);
      expect(packErrorMessage(code as keyof typeof PACK_RELAY_ERRORS)).toMatch(/^[A-Z].*[.)]$/);
    }
  });

  it('tell revoked from expired, and a cut link from a wrong key', () => {
    expect(packErrorMessage('pack/revoked')).toContain('revoked');
    expect(packErrorMessage('pack/expired')).toContain('expired');
    expect(packErrorMessage('link/bad-id')).toContain('cut short');
    expect(packErrorMessage('pack/cannot-decrypt')).toContain('key does not open');
    expect(isPacksErrorCode('pack/whatever')).toBe(false);
  });
});

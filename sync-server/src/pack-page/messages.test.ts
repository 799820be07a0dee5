import { describe, expect, it } from 'vitest';
import { PACK_RELAY_ERRORS, type PackErrorCode } from '@troupe/shared/packs';
import { problemMessage } from './messages.ts';
import type { PageProblemCode } from './problems.ts';

/** Every pack library code (kept in step with PackErrorCode by the type below). */
const PACK_CODES = [
  'pack/not-a-pack', 'pack/newer-format', 'pack/truncated', 'pack/cannot-decrypt', 'pack/bad-key', 'pack/too-large', 'pack/too-many',
  'pack/corrupt', 'pack/empty', 'pack/bad-card', 'pack/bad-asset', 'pack/bad-persona', 'pack/bad-settings', 'pack/unsupported-runtime',
  'link/not-a-pack-link', 'link/no-key', 'link/bad-key', 'link/bad-id', 'link/bad-relay-url', 'publisher/bad-secret',
] as const satisfies readonly PackErrorCode[];
const PAGE_CODES = ['page/unreachable', 'page/download-broken', 'page/unexpected-answer', 'page/unsupported-browser', 'page/failed'] as const;

describe('problemMessage', () => {
  it('has a title and a sentence for every code', () => {
    const all: PageProblemCode[] = [...PACK_CODES, ...PAGE_CODES, ...(Object.keys(PACK_RELAY_ERRORS) as (keyof typeof PACK_RELAY_ERRORS)[])];
    for (const code of all) {
      const { title, text } = problemMessage({ code });
      expect(title, code).toMatch(/^[A-Z]/);
      expect(text, code).toMatch(/\.$/);
    }
  });

  it('says what each problem a visitor can meet means, in its own words', () => {
    const title = (code: PageProblemCode) => problemMessage({ code }).title;
    expect(title('link/no-key')).toBe('This link is missing its key');
    expect(title('link/bad-key')).toBe("This link's key is damaged");
    expect(title('pack/cannot-decrypt')).toBe("The link's key does not open this pack");
    expect(title('pack/truncated')).toBe('The pack arrived incomplete');
    expect(title('pack/newer-format')).toBe('This pack was made by a newer Troupe');
    expect(title('pack/revoked')).toBe('This pack is no longer shared');
    expect(title('pack/expired')).toBe('This link has expired');
    expect(title('pack/not-found')).toBe('There is no pack at this link');
    expect(title('page/unreachable')).toBe('Could not reach the relay');
    expect(title('pack/bad-card')).toBe('This pack holds a card that was refused');
    expect(title('page/unsupported-browser')).toBe('This browser cannot open packs');
    // Distinct problems read differently.
    const distinct = ['link/no-key', 'link/bad-key', 'pack/cannot-decrypt', 'pack/truncated', 'pack/newer-format', 'pack/revoked', 'pack/expired', 'pack/not-found', 'page/unreachable', 'pack/bad-card'] as const;
    expect(new Set(distinct.map(title)).size).toBe(distinct.length);
  });

  it('names the refused character and the reason, and what the browser lacks', () => {
    expect(problemMessage({ code: 'pack/bad-card', item: 'characters[2]', cardCode: 'json/too-deep' }).text).toMatch(/Refused: the 3rd character \(json\/too-deep\)\.$/);
    expect(problemMessage({ code: 'pack/bad-card', item: 'lorebooks[10]' }).text).toMatch(/Refused: the 11th lorebook\.$/);
    expect(problemMessage({ code: 'page/unsupported-browser', missing: ['DecompressionStream'] }).text).toMatch(/Missing: DecompressionStream\.$/);
  });
});

import { describe, expect, it } from 'vitest';
import { checkLayoutVersion, isReadableVersion, type LayoutVersion } from './layout-version.ts';

const layout: LayoutVersion = { name: 'A test doc', current: 3, unversioned: 1 };

describe('layout versions', () => {
  it('reads every version up to the current one, and an unversioned doc as its declared version', () => {
    expect([1, 2, 3].map((v) => checkLayoutVersion(layout, v))).toEqual([1, 2, 3]);
    expect(checkLayoutVersion(layout, undefined)).toBe(1);
    expect(isReadableVersion(layout, 3)).toBe(true);
  });

  it('refuses a newer version with doc/too-new and names the layout', () => {
    expect(() => checkLayoutVersion(layout, 4)).toThrowError(expect.objectContaining({ code: 'doc/too-new', message: 'A test doc was saved by a newer Troupe (layout 4); update the extension to read it.' }) as Error);
    expect(isReadableVersion(layout, 4)).toBe(false);
  });

  it('refuses what is no version, and a missing one where every doc has one', () => {
    for (const stored of ['2', 0, -1, 1.5, null]) expect(() => checkLayoutVersion(layout, stored)).toThrowError(expect.objectContaining({ code: 'doc/invalid-field' }) as Error);
    expect(isReadableVersion({ name: 'Always versioned', current: 1 }, undefined)).toBe(false);
  });
});

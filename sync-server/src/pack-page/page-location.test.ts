import { describe, expect, it } from 'vitest';
import { createPackId, createPackKey } from '@troupe/shared/packs';
import { readPageLocation } from './page-location.ts';

describe('readPageLocation', () => {
  const id = createPackId();
  const key = createPackKey();

  it("reads the id from the path and the key from the fragment, and finds the pack's bytes beside the page", () => {
    expect(readPageLocation(`/p/${id}`, `#${key}`)).toEqual({ ok: true, id, key, packPath: `/packs/${id}` });
    // A relay served under a path prefix keeps it.
    expect(readPageLocation(`/troupe/p/${id}`, `#${key}`)).toMatchObject({ ok: true, packPath: `/troupe/packs/${id}` });
  });

  it('names a missing key, a cut or mangled key, and a bad id', () => {
    expect(readPageLocation(`/p/${id}`, '')).toEqual({ ok: false, problem: { code: 'link/no-key' } });
    expect(readPageLocation(`/p/${id}`, '#')).toEqual({ ok: false, problem: { code: 'link/no-key' } });
    const cut = readPageLocation(`/p/${id}`, `#${key.slice(0, 30)}`);
    expect(cut).toMatchObject({ ok: false, problem: { code: 'link/bad-key' } });
    expect(cut.ok ? '' : cut.problem.detail).toContain('30 of 43 characters');
    expect(readPageLocation(`/p/${id}`, `#${key.slice(0, 42)}!`)).toMatchObject({ ok: false, problem: { code: 'link/bad-key' } });
    expect(readPageLocation(`/p/${id.slice(0, 10)}`, `#${key}`)).toEqual({ ok: false, problem: { code: 'link/bad-id' } });
    expect(readPageLocation('/p/%3Cscript%3E', `#${key}`)).toEqual({ ok: false, problem: { code: 'link/bad-id' } });
    expect(readPageLocation('/', `#${key}`)).toEqual({ ok: false, problem: { code: 'link/bad-id' } });
  });
});

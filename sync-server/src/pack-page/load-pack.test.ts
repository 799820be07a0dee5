import { describe, expect, it } from 'vitest';
import { missingFeatures } from './load-pack.ts';

// loadPack itself is tested against the relay's real routes in routes/pack-page.test.ts.
describe('missingFeatures', () => {
  it('names what a runtime lacks for opening a pack', () => {
    expect(missingFeatures({})).toEqual(['WebCrypto (crypto.subtle)', 'DecompressionStream', 'Blob', 'URL.createObjectURL']);
    // An http page that is not this computer has crypto but no crypto.subtle.
    expect(missingFeatures({ crypto: {}, DecompressionStream: class {}, Blob: class {}, URL: { createObjectURL: () => '' } })).toEqual(['WebCrypto (crypto.subtle)']);
  });

  it('finds everything in Node 20 and in the browsers the page targets', () => {
    expect(missingFeatures()).toEqual([]);
  });
});

import { setEncodingLoader } from './tokenizer.ts';

/**
 * Loads the encoding tables from the gpt-tokenizer package itself (Node, tests, benches, pages that
 * may `import()`). Literal import() calls so bundlers split each table into its own chunk.
 */
export function useBundledEncodings(): void {
  setEncodingLoader((encoding) => (encoding === 'o200k_base'
    ? import('gpt-tokenizer/encoding/o200k_base')
    : import('gpt-tokenizer/encoding/cl100k_base')));
}

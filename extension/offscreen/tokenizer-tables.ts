/**
 * Makes the summary worker's tokenizers load their tables from the extension's own files
 * (`/tokenizers/<encoding>.json`, emitted by wxt.config.ts's `build:publicAssets` hook), as the
 * background does (background/prompt-service/tokenizer-files.ts): offline, on first use, never bundled.
 */
import { encodingFromRanks, setEncodingLoader, type EncodingName } from '@troupe/shared/tokens';

/** Where the build puts each encoding's rank table, relative to the extension root (see wxt.config.ts). */
export const tokenizerTablePath = (encoding: EncodingName) => `/tokenizers/${encoding}.json`;

/** Registers the loader for this context; `origin` is the extension's (`self.location.origin` in the worker). */
export function loadTokenizerTables(origin: string, load: typeof fetch = fetch): void {
  setEncodingLoader(async (encoding) => {
    const response = await load(new URL(tokenizerTablePath(encoding), origin));
    if (!response.ok) throw new Error(`The ${encoding} tokenizer table is missing from the extension (${response.status}).`);
    return encodingFromRanks(encoding, await response.json());
  });
}

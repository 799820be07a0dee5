/**
 * Where the tokenizers of every context that counts tokens (the service worker, the summary worker)
 * get their tables: the extension's own files (`/tokenizers/<encoding>.json`, emitted by wxt.config.ts's
 * `build:publicAssets` hook), offline, on first use. Never bundled: the service worker may not
 * `import()`, and bundled tables would make every wake-up parse 3 MB of script.
 */
import { encodingFromRanks, setEncodingLoader, type EncodingName } from '@troupe/shared/tokens';

/** Where the build puts each encoding's rank table, relative to the extension root (see wxt.config.ts). */
export const tokenizerTablePath = (encoding: EncodingName) => `/tokenizers/${encoding}.json`;

/** Registers the loader for this context; `origin` is the extension's (`self.location.origin`). */
export function loadTokenizerTables(origin: string, load: typeof fetch = fetch): void {
  setEncodingLoader(async (encoding) => {
    const response = await load(new URL(tokenizerTablePath(encoding), origin));
    if (!response.ok) throw new Error(`The ${encoding} tokenizer table is missing from the extension (${response.status}).`);
    return encodingFromRanks(encoding, await response.json());
  });
}

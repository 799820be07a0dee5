import { encodingFromRanks, setEncodingLoader, type EncodingName } from '@troupe/shared/tokens';

/** Where the build puts each encoding's rank table (see wxt.config.ts), relative to the extension root. */
export const tokenizerFile = (encoding: EncodingName) => `/tokenizers/${encoding}.json`;

/**
 * Makes tokenizers load their tables from the extension's own files, on first use. The service
 * worker may not `import()`, and bundling the tables would make every wake-up parse 3 MB of script.
 */
export function loadTokenizersFromExtensionFiles(origin: string): void {
  setEncodingLoader(async (encoding) => {
    const response = await fetch(new URL(tokenizerFile(encoding), origin));
    if (!response.ok) throw new Error(`The ${encoding} tokenizer table is missing from the extension (${response.status}).`);
    return encodingFromRanks(encoding, await response.json());
  });
}

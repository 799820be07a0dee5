import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** The tokenizer tables, emitted as JSON files the background fetches on first use (never bundled). */
const TOKENIZER_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
const fromShared = createRequire(new URL('./shared/package.json', import.meta.url));

async function rankTableJson(encoding: string): Promise<string> {
  const module = (await import(pathToFileURL(fromShared.resolve(`gpt-tokenizer/bpeRanks/${encoding}`)).href)) as { default: unknown };
  // The CommonJS build may wrap the table once more in `default`.
  const table = (module.default as { default?: unknown }).default ?? module.default;
  if (!Array.isArray(table)) throw new Error(`gpt-tokenizer's ${encoding} table is not an array`);
  return JSON.stringify(table);
}

// The extension's source lives in extension/; this file only wires WXT to it.
export default defineConfig({
  srcDir: 'extension',
  outDir: 'dist',
  manifestVersion: 3,
  browser: 'chrome',
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    'build:publicAssets': async (_wxt, files) => {
      for (const encoding of TOKENIZER_ENCODINGS) {
        files.push({ relativeDest: `tokenizers/${encoding}.json`, contents: await rankTableJson(encoding) });
      }
    },
  },
  manifest: {
    name: 'Troupe',
    description: 'SillyTavern-style characters, lorebooks and memory on any NextChat page.',
    permissions: ['storage', 'scripting', 'offscreen'],
    // Self-hosted NextChat usually runs here; other origins are granted at run time from the options page.
    host_permissions: ['http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    action: { default_title: 'Troupe' },
  },
});

import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { basename, dirname, join } from 'node:path';

/** The tokenizer tables, emitted as JSON files the background fetches on first use (never bundled). */
const TOKENIZER_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
const fromShared = createRequire(new URL('./shared/package.json', import.meta.url));

/**
 * Hands-free voice in (issue #12) runs the Silero VAD in the offscreen document, offline: vad-web's audio
 * worklet and model, and the onnxruntime-web build vad-web itself imports (its wasm AND its .mjs loader),
 * copied from node_modules into `vad/` so nothing is fetched from a CDN.
 */
const fromVad = createRequire(createRequire(import.meta.url).resolve('@ricky0123/vad-web'));
const VAD_ASSETS = [
  fromVad.resolve('./vad.worklet.bundle.min.js'),
  fromVad.resolve('./silero_vad_v5.onnx'),
  join(dirname(fromVad.resolve('onnxruntime-web/wasm')), 'ort-wasm-simd-threaded.wasm'),
  join(dirname(fromVad.resolve('onnxruntime-web/wasm')), 'ort-wasm-simd-threaded.mjs'),
];

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
      for (const absoluteSrc of VAD_ASSETS) files.push({ absoluteSrc, relativeDest: `vad/${basename(absoluteSrc)}` });
      for (const encoding of TOKENIZER_ENCODINGS) {
        files.push({ relativeDest: `tokenizers/${encoding}.json`, contents: await rankTableJson(encoding) });
      }
    },
  },
  manifest: {
    name: 'Troupe',
    description: 'SillyTavern-style characters, lorebooks and memory on any NextChat page.',
    // alarms: the hourly check of imported character packs for new versions.
    permissions: ['storage', 'scripting', 'offscreen', 'alarms'],
    // Self-hosted NextChat usually runs here; other origins are granted at run time from the options page.
    host_permissions: ['http://localhost/*', 'http://127.0.0.1/*'],
    optional_host_permissions: ['http://*/*', 'https://*/*'],
    action: { default_title: 'Troupe' },
    // The VAD's onnxruntime compiles WebAssembly; nothing else is relaxed (no remote script, no eval).
    content_security_policy: { extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self';" },
  },
});

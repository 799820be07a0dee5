/**
 * The pack page's script and style sheet, built from `src/pack-page/` (browser TypeScript) with
 * esbuild when the relay first needs them and kept in memory: nothing built is committed or written
 * to disk, so `pnpm server`, `npm start` and the tests all work on a fresh clone with no build step.
 * Each file is named by a hash of its bytes, so it can be cached for a year and a new relay's page
 * never runs an old script.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** One built file, served at `/p/_/<name>`. */
export interface PageAsset {
  name: string;
  contentType: string;
  body: Uint8Array;
}

export interface PackPageBundle {
  script: PageAsset;
  style: PageAsset;
}

const PAGE_DIR = fileURLToPath(new URL('../pack-page/', import.meta.url));

/** Builds the bundle (~100 ms). Throws when esbuild is missing or the page's code does not build. */
export async function buildPackPageBundle(): Promise<PackPageBundle> {
  // Loaded only here: the relay needs esbuild once per process, to build this page.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { page: `${PAGE_DIR}main.ts`, style: `${PAGE_DIR}page.css` },
    bundle: true,
    write: false,
    outdir: '/pack-page',
    format: 'esm',
    platform: 'browser',
    // Browsers with DecompressionStream (Chrome 80, Firefox 113, Safari 16.4) all run ES2022.
    target: 'es2022',
    minify: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const file = (ext: string) => {
    const out = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!out) throw new Error(`esbuild produced no ${ext} for the pack page`);
    return out.contents;
  };
  return { script: named('page', '.js', 'text/javascript; charset=utf-8', file('.js')), style: named('page', '.css', 'text/css; charset=utf-8', file('.css')) };
}

function named(stem: string, ext: string, contentType: string, body: Uint8Array): PageAsset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  return { name: `${stem}.${hash}${ext}`, contentType, body };
}

let built: Promise<PackPageBundle> | null = null;

/**
 * The bundle, built once per process; a failed build is tried again on the next call (the error
 * reaches the caller, which serves a page without script instead).
 */
export function packPageBundle(): Promise<PackPageBundle> {
  built ??= buildPackPageBundle().catch((error: unknown) => {
    built = null;
    throw error;
  });
  return built;
}

/**
 * The prompt bench (shared/bench/prompt.bench.ts) bundled with esbuild into one script and run in a
 * headless Chromium page, so the engine is measured where it really runs (same build, same scenario).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchRow } from '../../shared/bench/types.ts';
import { launchChromium } from '../e2e/harness/browser.ts';

/** Upper bound on the whole in-page prompt bench (the naive reference alone takes a few seconds). */
const PAGE_BENCH_TIMEOUT_MS = 180_000;

const ESBUILD = resolve(import.meta.dirname, '../../node_modules/.bin/esbuild');
const PROMPT_BENCH = resolve(import.meta.dirname, '../../shared/bench/prompt.bench.ts');

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Bundles the prompt bench into one browser script with esbuild (found through pnpm's .bin). */
async function bundlePromptBench(dir: string): Promise<string> {
  const entry = join(dir, 'entry.ts');
  const out = join(dir, 'prompt-bench.js');
  await writeFile(
    entry,
    `import { runPromptBench } from ${JSON.stringify(PROMPT_BENCH)};\n` +
      '(globalThis as unknown as { troupePromptBench: typeof runPromptBench }).troupePromptBench = runPromptBench;\n',
  );
  const built = spawnSync(ESBUILD, [entry, '--bundle', '--format=iife', '--platform=browser', '--target=es2022', '--log-level=error', `--outfile=${out}`], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`prompt bench: esbuild failed: ${built.stderr || built.error?.message || `exit ${String(built.status)}`}`);
  return readFile(out, 'utf8');
}

/** The prompt bench (same build, same scenario) run inside headless Chromium; rows are marked "(Chromium)". */
export async function runPromptBrowserBench(): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'troupe-prompt-bench-'));
  try {
    const script = await bundlePromptBench(dir);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await page.addScriptTag({ content: script });
      const rows = await withTimeout(
        page.evaluate(() => (globalThis as unknown as { troupePromptBench: () => Promise<BenchRow[]> }).troupePromptBench()),
        PAGE_BENCH_TIMEOUT_MS,
        'the prompt bench in Chromium',
      );
      return rows.map((row) => ({ ...row, name: `${row.name} (Chromium)` }));
    } finally {
      await browser.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

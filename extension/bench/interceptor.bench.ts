/**
 * Browser benchmarks of the request path, each against its reference in the same run:
 *   - `runInterceptorBench`: time to first byte of NextChat-style streamed chat requests made with the
 *     page's `window.fetch` on the NextChat stage page, with the built extension and a character active
 *     (the request is rewritten by the interceptor, the bridge and the prompt engine, and its reply
 *     tapped), against the same page in a Chromium without the extension. Timed in the page with
 *     `performance.now()` from the fetch call until the first chunk of the body is read.
 *   - `runPromptBrowserBench`: the prompt bench (shared/bench/prompt.bench.ts) bundled with esbuild into
 *     one script and run in a headless Chromium page, so the engine is measured where it really runs.
 * Needs the built extension (`pnpm build`) and Debian's Chromium, like the e2e tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { percentile } from '../../shared/bench/lore.bench.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { launchChromium } from '../e2e/harness/browser.ts';
import { openChat } from '../e2e/harness/stage-page.ts';
import { startStage } from '../e2e/harness/stage-server.ts';
import { startTestLlm } from '../e2e/harness/test-llm.ts';
import { activate, createCharacter, EXTENSION_DIR, openPanel } from '../e2e/tests/troupe-page.ts';

/** Timed requests per browser: enough for a stable p95, few enough to finish in seconds. */
const REQUESTS = 200;
/** Untimed requests first, so connection setup and JIT warm-up are not measured. */
const WARMUP_REQUESTS = 20;
/** Upper bound on one request; a stuck one fails the bench instead of hanging it. */
const REQUEST_TIMEOUT_MS = 10_000;
/** Upper bound on the whole in-page prompt bench (the naive reference alone takes a few seconds). */
const PAGE_BENCH_TIMEOUT_MS = 180_000;
/** The goal (issue 4): what Troupe adds to a request's first byte must not be felt. */
const OVERHEAD_P95_TARGET_MS = 5;
/**
 * Pause between turns in the paced run: no one sends the next message within a quarter second of the
 * last reply, and by then Troupe has stored that reply. The back-to-back run (no pause) is reported
 * too: there the previous reply's bookkeeping overlaps the next request.
 */
const PACED_GAP_MS = 250;

const ESBUILD = resolve(import.meta.dirname, '../../node_modules/.bin/esbuild');
const PROMPT_BENCH = resolve(import.meta.dirname, '../../shared/bench/prompt.bench.ts');

const round = (value: number) => Math.round(value * 1000) / 1000;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A streamed user turn as NextChat v2.16 sends it: its system prompt, recent history, the new message. */
function nextChatBody(): string {
  return JSON.stringify({
    messages: [
      { role: 'system', content: '\nYou are ChatGPT, a large language model trained by OpenAI.\nKnowledge cutoff: 2023-10\nCurrent model: gpt-4o-mini\n' },
      { role: 'user', content: 'Where does the river go?' },
      { role: 'assistant', content: 'North, past the mill, until it meets the sea.' },
      { role: 'user', content: 'And what lives by the mill?' },
    ],
    stream: true,
    model: 'gpt-4o-mini',
    temperature: 0.5,
    presence_penalty: 0,
    frequency_penalty: 0,
    top_p: 1,
    max_tokens: 4000,
  });
}

/** Makes one request in the page and returns its time to first byte in milliseconds. */
function timeFirstByte(page: Page): Promise<number> {
  // No named helpers inside: tsx would wrap them in a `__name` call that does not exist in the page.
  return page.evaluate(
    async ({ body, timeoutMs }) => {
      const start = performance.now();
      const response = await window.fetch('/api/openai/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok || !response.body) throw new Error(`chat request failed with ${response.status}`);
      const reader = response.body.getReader();
      const first = await reader.read();
      const elapsed = performance.now() - start;
      if (first.done) throw new Error('the reply stream was empty');
      // Drain the rest as NextChat does, so the reply tap and the connection finish normally.
      while (!(await reader.read()).done);
      return elapsed;
    },
    { body: nextChatBody(), timeoutMs: REQUEST_TIMEOUT_MS },
  );
}

/** A stage page in its own Chromium; with the extension, a character is created and activated in its chat. */
async function openStage(stageUrl: string, withExtension: boolean): Promise<{ page: Page; close: () => Promise<void> }> {
  const browser = await launchChromium(withExtension ? { extensionDir: EXTENSION_DIR } : {});
  try {
    const page = await browser.context.newPage();
    await openChat(page, stageUrl);
    if (withExtension) {
      await openPanel(page);
      await createCharacter(page, 'Bench', '{{char}} is a ferryman who answers in one sentence.');
      await activate(page, 'Bench');
    }
    return { page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Time to first byte of streamed chat requests on the NextChat stage page: with the built extension and
 * a character active, against a Chromium without the extension, in the same run. Both browsers are open
 * at once and take turns, one request at a time (never two at once), so both see the same machine: on 2
 * cores, back-to-back timing of one browser and then the other mostly measured what else ran meanwhile.
 */
export async function runInterceptorBench(options: { requests?: number } = {}): Promise<BenchRow[]> {
  return [
    ...(await measureInterceptor(options.requests ?? REQUESTS, PACED_GAP_MS, `paced, ${PACED_GAP_MS} ms between turns`)),
    ...(await measureInterceptor(options.requests ?? REQUESTS, 0, 'back to back')),
  ];
}

async function measureInterceptor(count: number, gapMs: number, label: string): Promise<BenchRow[]> {
  if (!existsSync(resolve(EXTENSION_DIR, 'manifest.json'))) throw new Error(`interceptor bench: build the extension first (pnpm build); ${EXTENSION_DIR} has no manifest`);
  const llm = await startTestLlm();
  const stage = await startStage({ llmUrl: llm.url });
  const opened: { close: () => Promise<void> }[] = [];
  try {
    const plainStage = await openStage(stage.url, false);
    opened.push(plainStage);
    const troupeStage = await openStage(stage.url, true);
    opened.push(troupeStage);
    const plain: number[] = [];
    const troupe: number[] = [];
    const deadline = Date.now() + (count + WARMUP_REQUESTS) * (2 * REQUEST_TIMEOUT_MS + gapMs);
    for (let i = 0; i < WARMUP_REQUESTS + count; i++) {
      if (Date.now() > deadline) throw new Error('interceptor bench: the requests took too long');
      // Alternate which browser goes first, so neither always follows the other's leftovers.
      const order = i % 2 === 0 ? ([[plainStage, plain], [troupeStage, troupe]] as const) : ([[troupeStage, troupe], [plainStage, plain]] as const);
      for (const [{ page }, samples] of order) {
        const elapsed = await timeFirstByte(page);
        if (i >= WARMUP_REQUESTS) samples.push(elapsed);
        if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
      }
    }
    const rewritten = llm.requests.filter((request) => request.rawBody.includes('fictional chat')).length;
    if (rewritten < WARMUP_REQUESTS + count) {
      throw new Error(`interceptor bench: only ${rewritten} of ${WARMUP_REQUESTS + count} requests carried the character; the measurement would be of plain requests`);
    }
    const row = (name: string, p: number): BenchRow => {
      const value = percentile(troupe, p);
      const reference = percentile(plain, p);
      return { name, unit: 'ms', value: round(value), reference: round(reference), ratio: Math.round((reference / value) * 100) / 100 };
    };
    const overhead95 = percentile(troupe, 95) - percentile(plain, 95);
    return [
      row(`${label}: first byte p50, character active (vs no extension), ${count} streamed requests`, 50),
      row(`${label}: first byte p95, character active (vs no extension), ${count} streamed requests`, 95),
      { name: `${label}: first byte overhead p50 (Troupe - none)`, unit: 'ms', value: round(percentile(troupe, 50) - percentile(plain, 50)) },
      { name: `${label}: first byte overhead p95 (Troupe - none)`, unit: 'ms', value: round(overhead95) },
      { name: `${label}: first byte overhead p95 target (< ${OVERHEAD_P95_TARGET_MS} ms met: 1 = yes)`, unit: 'bool', value: overhead95 < OVERHEAD_P95_TARGET_MS ? 1 : 0 },
    ];
  } finally {
    for (const browser of opened.reverse()) await browser.close();
    await stage.close();
    await llm.close();
  }
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

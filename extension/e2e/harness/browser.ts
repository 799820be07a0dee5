/**
 * Launches Debian's Chromium (never a downloaded browser) with a persistent profile, optionally with
 * an unpacked MV3 extension loaded, using the flags FACTS.md found to work headless on these machines.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Worker } from 'playwright-core';
import { BROWSER_CLOSE_MS, SERVICE_WORKER_WAIT_MS } from './limits.ts';

export { getFreePort } from './free-port.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet headless Chromium on a machine with no network (see FACTS.md). */
export const BASE_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface LaunchOptions {
  /** Absolute or cwd-relative path of an unpacked extension (e.g. the WXT build output). */
  extensionDir?: string;
  /** Profile folder; a fresh temporary one (removed on close) when absent. */
  userDataDir?: string;
  extraArgs?: string[];
}

export interface Launched {
  context: BrowserContext;
  /** The loaded extension's id, derived from its service worker's URL. */
  extensionId?: string;
  /** The extension's MV3 service worker. */
  serviceWorker?: Worker;
  /** The profile folder in use (a temporary one is removed by `close()`). */
  userDataDir: string;
  /** Closes Chromium, kills what is left of it, and removes the temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The extension's service worker. Watches both the list and the event: the worker can register in
 * the gap between reading `serviceWorkers()` and subscribing, and then no event comes.
 */
async function extensionWorker(context: BrowserContext, matches: (w: Worker) => boolean): Promise<Worker> {
  const deadline = Date.now() + SERVICE_WORKER_WAIT_MS;
  const event = context.waitForEvent('serviceworker', { predicate: matches, timeout: SERVICE_WORKER_WAIT_MS }).catch(() => null);
  for (;;) {
    const found = context.serviceWorkers().find(matches);
    if (found) return found;
    const next = await Promise.race([event, new Promise<null>((r) => setTimeout(() => r(null), 100))]);
    if (next) return next;
    if (Date.now() > deadline) throw new Error(`The extension's service worker did not start within ${SERVICE_WORKER_WAIT_MS} ms.`);
  }
}

/** Processes (not zombies) whose command line carries this profile folder: the Chromium we started. */
async function chromiumPids(userDataDir: string): Promise<number[]> {
  const flag = `--user-data-dir=${userDataDir}`;
  const pids: number[] = [];
  for (const name of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8');
      if (!cmdline.split('\0').includes(flag)) continue;
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Field 3, after the parenthesised command name, is the state; Z means already dead.
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/**
 * The memory of the Chromium we started, as proportional set size (shared pages split between the
 * processes sharing them, so the sum is what the browser really holds): all its processes, and those
 * of extensions (`--extension-process`: the service worker and extension pages).
 */
export async function chromiumMemory(userDataDir: string): Promise<{ totalKb: number; extensionKb: number }> {
  // Chromium's child processes (renderers, GPU, utilities) do not all carry the profile flag: take the
  // whole process tree under the ones that do.
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isFinite(ppid)) parents.set(Number(name), ppid);
  }
  const roots = new Set(await chromiumPids(userDataDir));
  const inTree = (pid: number): boolean => {
    for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parents.get(p), hops++) if (roots.has(p)) return true;
    return false;
  };
  let totalKb = 0;
  let extensionKb = 0;
  for (const pid of parents.keys()) {
    if (!inTree(pid)) continue;
    try {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      totalKb += pss;
      if ((await readFile(`/proc/${pid}/cmdline`, 'utf8')).includes('--extension-process')) extensionKb += pss;
    } catch {
      // The process ended while we looked.
    }
  }
  return { totalKb, extensionKb };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts Chromium with a persistent context. With `extensionDir`, waits for the extension's service
 * worker and reports its id.
 * @example
 *   const browser = await launchChromium({ extensionDir: resolve('dist/chrome-mv3') });
 *   try { const page = await browser.context.newPage(); … } finally { await browser.close(); }
 */
export async function launchChromium(opts: LaunchOptions = {}): Promise<Launched> {
  const ownsProfile = opts.userDataDir === undefined;
  const userDataDir = opts.userDataDir ?? (await mkdtemp(join(tmpdir(), 'troupe-chromium-')));
  const extensionDir = opts.extensionDir === undefined ? undefined : resolve(opts.extensionDir);
  const args = [
    ...BASE_ARGS,
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    ...(opts.extraArgs ?? []),
  ];

  let closed: Promise<void> | undefined;
  const cleanUp = async (context: BrowserContext | undefined): Promise<void> => {
    if (context) await withTimeout(context.close().catch(() => undefined), BROWSER_CLOSE_MS);
    // Chromium sometimes outlives close() here; end only the processes of this profile.
    for (const pid of await chromiumPids(userDataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (ownsProfile) await rm(userDataDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };

  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: false, args });
    const launched: Launched = {
      context,
      userDataDir,
      close() {
        closed ??= cleanUp(context);
        return closed;
      },
    };
    if (extensionDir) {
      const isExtensionWorker = (w: Worker): boolean => w.url().startsWith('chrome-extension://');
      const worker = await extensionWorker(context, isExtensionWorker);
      launched.serviceWorker = worker;
      launched.extensionId = new URL(worker.url()).host;
    }
    return launched;
  } catch (err) {
    await cleanUp(context);
    throw err;
  }
}

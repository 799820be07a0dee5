/**
 * A real SillyTavern for end-to-end tests: installed once from npm into a cache folder (never into the
 * repo's tracked files), then started per test file with a fresh data root on 127.0.0.1, so tests never
 * share state and never touch the network.
 *
 * The first install takes minutes (npm install of ~660 packages, then SillyTavern's webpack build of its
 * frontend libraries). Run it before the tests with
 *   pnpm exec tsx extension/e2e/harness/install-sillytavern.ts
 * otherwise the first `startSillyTavern()` does it (give that hook INSTALL_AND_START_TIMEOUT_MS).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { getFreePort } from './free-port.ts';

/** The SillyTavern release the tests pin (FACTS.md measured this one). */
export const ST_VERSION = '1.19.0';
/** The npm registry's integrity of `sillytavern@1.19.0`; a tarball that differs is refused. */
export const ST_TARBALL_INTEGRITY =
  'sha512-RNu7duRWf/YJUBLA7UKNzTy4R0KJXu+e9K+s6WHBOK+GSV51JQ6ifcSdIqFTxHV4kJfUkgBqJ2PbrSLlhTl2+Q==';

/** A cold start (npm install + webpack build, ~4 min on 2 busy cores) plus a server start. Use as a hook timeout. */
export const INSTALL_AND_START_TIMEOUT_MS = 15 * 60_000;
/** How long a started server may take to answer: ~20 s on an idle machine, over a minute on a loaded one. */
export const ST_START_TIMEOUT_MS = 110_000;
/** How long one install step (pack, npm install, webpack) may run before it is treated as hung. */
const INSTALL_STEP_TIMEOUT_MS = 10 * 60_000;
/** How long to wait for another process's install before giving up. */
const INSTALL_LOCK_WAIT_MS = 20 * 60_000;
/** A lock older than this is left over from a crashed install (a real install takes a few minutes). */
const INSTALL_LOCK_STALE_MS = 30 * 60_000;
/** How long `close()` waits for SillyTavern's own SIGTERM handler before killing its process group. */
const ST_CLOSE_MS = 10_000;
/** Readiness polling: often enough to notice the server within a moment, rarely enough to not load it. */
const READY_POLL_MS = 250;
/** Log kept for error messages: the tail is what explains a failed start. */
const LOG_TAIL_CHARS = 64 * 1024;

const MARKER_FORMAT = 1;
const MARKER_FILE = '.troupe-installed.json';

/**
 * Where installs live: `$TROUPE_SILLYTAVERN_CACHE`, else `~/.cache/troupe-sillytavern`: outside the
 * clone, so every clone on a machine shares one install (the first takes minutes).
 */
export function stCacheRoot(): string {
  return process.env.TROUPE_SILLYTAVERN_CACHE ?? join(homedir(), '.cache', 'troupe-sillytavern');
}

export interface SillyTavernInstall {
  version: string;
  /** The unpacked npm package (holds `server.js`). */
  packageDir: string;
  /** `default/content`: the cards, worlds and presets SillyTavern copies into a new data root. */
  contentDir: string;
}

export interface SillyTavernServer {
  /** `http://127.0.0.1:PORT` (no trailing slash). */
  url: string;
  port: number;
  version: string;
  /** The fresh data root of this start (removed by `close()`). */
  dataDir: string;
  /** The default user's folder inside `dataDir` (`characters/`, `worlds/`, …). */
  userDir: string;
  /** SillyTavern's shipped `default/content` folder (read-only: shared by every start). */
  contentDir: string;
  /** The server's recent stdout and stderr, for diagnosing a failing test. */
  logs(): string;
  /** Stops the server (and anything it started) and removes the data root. Safe to call twice. */
  close(): Promise<void>;
}

/** A config.yaml subtree; JSON is valid YAML, so overrides are written as JSON. */
export type StConfig = { [key: string]: StConfigValue };
type StConfigValue = string | number | boolean | null | StConfigValue[] | StConfig;

export interface StartOptions {
  /** A fixed port; a free one when absent. */
  port?: number;
  /** config.yaml overrides merged over the harness's offline defaults (e.g. `{ disableCsrfProtection: true }`). */
  config?: StConfig;
}

/** Offline, loopback-only settings: nothing is downloaded, updated, launched or resolved. */
function baseConfig(port: number, dataDir: string): StConfig {
  return {
    dataRoot: dataDir,
    port,
    listen: false,
    protocol: { ipv4: true, ipv6: false },
    whitelistMode: true,
    // Its default looks up host.docker.internal in DNS at every start.
    whitelistDockerHosts: false,
    browserLaunch: { enabled: false },
    enableUserAccounts: false,
    disableCsrfProtection: false,
    enableServerPluginsAutoUpdate: false,
    enableDownloadableTokenizers: false,
    extensions: { enabled: true, autoUpdate: false, models: { autoDownload: false } },
    logging: { enableAccessLog: false },
  };
}

function mergeConfig(base: StConfig, over: StConfig): StConfig {
  const out: StConfig = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    const bothObjects = isConfigObject(current) && isConfigObject(value);
    out[key] = bothObjects ? mergeConfig(current, value) : value;
  }
  return out;
}

function isConfigObject(value: StConfigValue | undefined): value is StConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SillyTavern asks git for its revision; without a ceiling git would find and report the Troupe repo around the cache. */
function stEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CEILING_DIRECTORIES: stCacheRoot(), NODE_ENV: 'production' };
}

function installPaths(): { installDir: string; packageDir: string; lockDir: string; marker: string } {
  const installDir = join(stCacheRoot(), ST_VERSION);
  return {
    installDir,
    packageDir: join(installDir, 'package'),
    lockDir: `${installDir}.lock`,
    marker: join(installDir, MARKER_FILE),
  };
}

async function installIsComplete(): Promise<boolean> {
  const { marker, packageDir } = installPaths();
  try {
    const parsed: unknown = JSON.parse(await readFile(marker, 'utf8'));
    const ok = typeof parsed === 'object' && parsed !== null
      && (parsed as { format?: unknown }).format === MARKER_FORMAT
      && (parsed as { version?: unknown }).version === ST_VERSION;
    return ok && existsSync(join(packageDir, 'server.js')) && existsSync(join(packageDir, 'dist', '_webpack'));
  } catch {
    return false;
  }
}

function installInfo(install: { packageDir: string }): SillyTavernInstall {
  return { version: ST_VERSION, packageDir: install.packageDir, contentDir: join(install.packageDir, 'default', 'content') };
}

/** Runs a command to completion, keeping its output tail for the error message. */
function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; log?: (line: string) => void }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-LOG_TAIL_CHARS);
      for (const line of text.split('\n')) if (line.trim() !== '') opts.log?.(line);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), INSTALL_STEP_TIMEOUT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${command} could not start: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${tail}`));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A mkdir lock: atomic on one machine; a lock whose owner died (or that is very old) is taken over. */
async function acquireLock(lockDir: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + INSTALL_LOCK_WAIT_MS;
  const release = (): Promise<void> => rm(lockDir, { recursive: true, force: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, 'owner.json'), JSON.stringify({ pid: process.pid, host: hostname(), since: Date.now() }));
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (await lockIsStale(lockDir)) {
      await release();
      continue;
    }
    if (await installIsComplete()) return async () => {};
    if (Date.now() > deadline) throw new Error(`another SillyTavern install holds ${lockDir} for too long; remove it if no install runs`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

async function lockIsStale(lockDir: string): Promise<boolean> {
  try {
    const owner: unknown = JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8'));
    const { pid, host, since } = owner as { pid?: unknown; host?: unknown; since?: unknown };
    if (typeof since === 'number' && Date.now() - since > INSTALL_LOCK_STALE_MS) return true;
    return host === hostname() && typeof pid === 'number' && !processAlive(pid);
  } catch {
    // No owner file yet: either being written this instant, or a crash right after mkdir. Judge by age.
    const info = await stat(lockDir).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > 60_000;
  }
}

async function sha512Integrity(file: string): Promise<string> {
  return `sha512-${createHash('sha512').update(await readFile(file)).digest('base64')}`;
}

/**
 * Installs the pinned SillyTavern into the cache once (npm pack, integrity check, unpack, npm install
 * without scripts, prebuild of its webpack bundle) and returns where it is. Concurrent callers wait for
 * one install; a finished install is recognised by its marker file.
 */
export async function ensureSillyTavernInstalled(opts: { log?: (line: string) => void } = {}): Promise<SillyTavernInstall> {
  const paths = installPaths();
  if (await installIsComplete()) return installInfo(paths);
  await mkdir(stCacheRoot(), { recursive: true });
  const release = await acquireLock(paths.lockDir);
  try {
    if (await installIsComplete()) return installInfo(paths);
    const log = opts.log ?? (() => {});
    await rm(paths.installDir, { recursive: true, force: true });
    await mkdir(paths.installDir, { recursive: true });

    log(`Fetching sillytavern@${ST_VERSION} from the npm registry`);
    await run('npm', ['pack', `sillytavern@${ST_VERSION}`, '--pack-destination', paths.installDir, '--silent'], { cwd: paths.installDir, log });
    const tarball = join(paths.installDir, `sillytavern-${ST_VERSION}.tgz`);
    const integrity = await sha512Integrity(tarball);
    if (integrity !== ST_TARBALL_INTEGRITY) throw new Error(`sillytavern-${ST_VERSION}.tgz has integrity ${integrity}, expected ${ST_TARBALL_INTEGRITY}`);
    await run('tar', ['-xzf', tarball, '-C', paths.installDir], { cwd: paths.installDir });
    await rm(tarball);

    log('Installing its dependencies (npm install --omit=dev --ignore-scripts, ~660 packages)');
    await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: paths.packageDir, log });

    // SillyTavern compiles its frontend libraries before it listens (~1-2 min). Doing it once here, into
    // dist/_webpack, lets every start reuse the result instead of compiling into each fresh data root.
    log('Prebuilding its frontend libraries (webpack)');
    await run(process.execPath, ['docker/build-lib.js'], { cwd: paths.packageDir, env: stEnv(), log });

    await writeFile(paths.marker, JSON.stringify({ format: MARKER_FORMAT, version: ST_VERSION, integrity, installedAt: new Date().toISOString() }));
    log(`SillyTavern ${ST_VERSION} installed in ${paths.packageDir}`);
    return installInfo(paths);
  } finally {
    await release();
  }
}

async function answersLikeSillyTavern(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/csrf-token`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return false;
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null && typeof (body as { token?: unknown }).token === 'string';
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Starts the pinned SillyTavern on 127.0.0.1 with a fresh data root (its default content: Seraphina,
 * Eldoria) and waits until it answers `/csrf-token`. Installs it first if needed.
 * @example
 *   const st = await startSillyTavern();
 *   try { await fetch(`${st.url}/csrf-token`); … } finally { await st.close(); }
 */
export async function startSillyTavern(opts: StartOptions = {}): Promise<SillyTavernServer> {
  const install = await ensureSillyTavernInstalled();
  const port = opts.port ?? (await getFreePort());
  const root = await mkdtemp(join(tmpdir(), 'troupe-st-'));
  const dataDir = join(root, 'data');
  const configPath = join(root, 'config.yaml');
  await writeFile(configPath, JSON.stringify(mergeConfig(baseConfig(port, dataDir), opts.config ?? {}), null, 2));
  // Outside Docker SillyTavern compiles into <dataRoot>/_webpack; seed it with the prebuilt output so it only
  // validates its cache. (Inside Docker it reads dist/_webpack directly.)
  await cp(join(install.packageDir, 'dist', '_webpack'), join(dataDir, '_webpack'), { recursive: true });

  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['server.js', '--configPath', configPath, '--dataRoot', dataDir, '--port', String(port), '--listen', 'false', '--browserLaunchEnabled', 'false'],
    // Its own process group, so close() ends SillyTavern and anything it spawned (git) together.
    { cwd: install.packageDir, env: stEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  // If the test process dies without close(), do not leave a server behind.
  const onProcessExit = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', onProcessExit);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      process.off('exit', onProcessExit);
      if (!exited) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), ST_CLOSE_MS);
        await exit;
        clearTimeout(timer);
      }
      // Its SIGTERM handler exits the leader; stragglers in the group get no second chance.
      killGroup(child, 'SIGKILL');
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    })();
    return closing;
  };

  const deadline = Date.now() + ST_START_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited) throw new Error(`SillyTavern exited before answering (code ${child.exitCode}):\n${tail}`);
      if (await answersLikeSillyTavern(url)) break;
      if (Date.now() > deadline) throw new Error(`SillyTavern did not answer ${url}/csrf-token within ${ST_START_TIMEOUT_MS} ms:\n${tail}`);
      await Promise.race([new Promise((r) => setTimeout(r, READY_POLL_MS)), exit]);
    }
  } catch (err) {
    await close();
    throw err;
  }

  return {
    url,
    port,
    version: install.version,
    dataDir,
    userDir: join(dataDir, 'default-user'),
    contentDir: install.contentDir,
    logs: () => tail,
    close,
  };
}

export interface StContentFile {
  kind: 'character' | 'world';
  /** Its name inside `default/content` (e.g. `default_Seraphina.png`, `Eldoria.json`). */
  fileName: string;
  /** Absolute path. */
  path: string;
}

/**
 * The character PNGs and World Info JSONs SillyTavern ships in `default/content` (read from its own
 * `index.json`), for round-trip tests. Installs SillyTavern first when no folder is given.
 */
export async function stDefaultContentFiles(contentDir?: string): Promise<StContentFile[]> {
  const dir = contentDir ?? (await ensureSillyTavernInstalled()).contentDir;
  const index: unknown = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
  if (!Array.isArray(index)) throw new Error(`${dir}/index.json is not a list`);
  const files: StContentFile[] = [];
  for (const item of index as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { filename, type } = item as { filename?: unknown; type?: unknown };
    if (typeof filename !== 'string' || (type !== 'character' && type !== 'world')) continue;
    files.push({ kind: type, fileName: filename, path: join(dir, filename) });
  }
  return files;
}

/** Every folder entry of a data root, for tests that check what an import wrote. */
export async function listUserFiles(server: SillyTavernServer, folder: 'characters' | 'worlds'): Promise<string[]> {
  return (await readdir(join(server.userDir, folder))).sort();
}

// ---------------------------------------------------------------------------------------------------
// A minimal card PNG writer for tests (independent of Troupe's own card code, so it can check it).

const PNG_SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), 8 + data.length);
  return out;
}

/**
 * A valid 1x1 RGBA PNG carrying `card` as base64 JSON in a tEXt chunk (`chara` by default, as V2 cards
 * do), the way SillyTavern and other frontends store character cards.
 */
export function makeCardPng(card: object, keyword: 'chara' | 'ccv3' = 'chara'): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(6, 9); // colour type RGBA
  // One scanline: filter byte 0, then one opaque pixel.
  const pixels = deflateSync(Uint8Array.of(0, 0x7f, 0x4f, 0xaf, 0xff));
  const text = Buffer.concat([Buffer.from(keyword, 'latin1'), Uint8Array.of(0), Buffer.from(Buffer.from(JSON.stringify(card), 'utf8').toString('base64'), 'latin1')]);
  return new Uint8Array(Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', pixels), pngChunk('tEXt', text), pngChunk('IEND', new Uint8Array(0))]));
}

/** The tEXt chunks of a PNG as keyword -> text (latin1), for asserting what a card file carries. */
export function pngTextChunks(png: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG');
  const out = new Map<string, string>();
  let at = 8;
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      if (zero > 0) out.set(data.toString('latin1', 0, zero), data.toString('latin1', zero + 1));
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return out;
}

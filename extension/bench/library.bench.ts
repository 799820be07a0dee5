/**
 * Character library benchmark. Each figure is measured against a naive way of doing the same job in
 * the same run:
 *   - parse 1,000 PNG cards (Node): our reader vs. the common shortcut (the whole file as text,
 *     `indexOf('tEXtchara')`, atob, JSON.parse) that checks nothing;
 *   - import 1,000 cards into the built extension in headless Chromium (real IndexedDB) through the
 *     options page's file picker: until every card is stored and listed, and until the service worker
 *     has also made every thumbnail; vs. one card at a time with a transaction per field;
 *   - open a library of 10,000 characters: time until the first page is on screen (the background
 *     freshly restarted, then warm), vs. loading every row, thumbnail and doc and sorting them;
 *   - search per keystroke over 10,000 (request to the page's DOM update), vs. a full-table scan per keystroke.
 * Each target gets its own row (1 = met), like the other benches. Before stopping the background the
 * bench lets it finish what it does after a write (thumbnails, storing the first page): Chrome stops
 * a worker only after 30 s without events, never in the middle of that.
 * Needs the built extension (`pnpm build`) and Debian's Chromium, like the e2e tests.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { rgbPng } from '../e2e/harness/rgb-png.ts';
import type { BrowserContext, Page } from 'playwright-core';
import type { BenchRow } from '../../shared/bench/types.ts';
import { exportCharacterPng, parseCardFile, type Character, type LorebookEntry } from '../../shared/src/cards/index.ts';
import { launchChromium } from '../e2e/harness/browser.ts';
import { prng } from '../../shared/bench/prng.ts';

const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist/chrome-mv3');
const CARDS = 1_000;
const LIBRARY = 10_000;
/** Cards per seeding message (the import message's own limit). */
const SEED_BATCH = 50;
/** Page reloads whose first-page times give the warm median. */
const WARM_OPENS = 5;
/** Typed one key at a time, like a person (a keystroke's answer lands before the next key). */
const KEY_DELAY_MS = 60;
const SEARCHES = ['seraph', 'lighthouse', 'kalo', 'fantasy healer', 'otis', 'zzqx'];
/**
 * Targets, measured on a quiet 2-core box: 1,000 PNG cards stored and listed; the first page after the
 * worker was stopped (the query, and from navigation); a search keystroke's p95 (one 60 Hz frame).
 */
const TARGETS = { importMs: 10_000, coldQueryMs: 100, coldNavigationMs: 250, keystrokeP95Ms: 16 } as const;
const FIRST_PAGE_MARK = 'troupe:library-first-page';
const QUERY_MEASURE = 'troupe:library-query';

const SYLLABLES = 'ka lo mir an tes vu rel dor sha qui zen bal ori fen gal hut ix mor nal pyr sev tov ul wyn'.split(' ');
const TAGS = ['fantasy', 'sci-fi', 'healer', 'sea', 'modern', 'horror', 'romance', 'comedy', 'mystery', 'elf', 'robot', 'noir', 'historical', 'slice of life'];
const CREATORS = ['Otis', 'peers', 'ann', 'Mirela', 'kobold_fan', 'Lighthouse Press', 'anonymous'];
const WORDS = ('the a keeper of old lighthouse forest glade storm radio sea river night morning smiles quietly speaks remembers ' +
  'guards travels heals watches listens dreams ancient city tower library garden ship harbour mountain village road').split(' ');


/** A 256x384 RGB PNG with a gradient and some noise (compresses like a real portrait: ~100 KB). */
function makeAvatar(seed: number): Uint8Array {
  const width = 256;
  const height = 384;
  const random = prng(seed);
  return rgbPng(width, height, (x, y) => {
    const noise = Math.floor(random() * 24);
    return [x + seed * 40 + noise, y / 2 + noise, (x + y) / 3 + seed * 20];
  });
}

/** A believable V3 card: a made-up name, tags, creator, ~1.5 KB description, greetings, and a book for one in five. */
function makeCard(index: number): Character {
  const random = prng(1000 + index);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const name = `${Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join('')} ${index}`;
  const text = (words: number) => Array.from({ length: words }, () => pick(WORDS)).join(' ');
  const entries: LorebookEntry[] = Array.from({ length: 5 }, (_, i) => ({ keys: [pick(WORDS), pick(SYLLABLES)], content: text(60), extensions: {}, enabled: true, insertion_order: 100 + i, use_regex: false, id: i }));
  return {
    spec: 'chara_card_v3',
    spec_version: '3.0',
    data: {
      name: name[0]!.toUpperCase() + name.slice(1),
      description: `{{char}} is ${text(250)}.`,
      personality: text(20),
      scenario: text(40),
      first_mes: `*${text(60)}*`,
      mes_example: `<START>\n{{user}}: ${text(10)}\n{{char}}: ${text(40)}`,
      creator_notes: text(30),
      system_prompt: '',
      post_history_instructions: '',
      alternate_greetings: [text(30), text(30)],
      tags: [...new Set([pick(TAGS), pick(TAGS), pick(TAGS)])],
      creator: pick(CREATORS),
      character_version: '1.0',
      extensions: {},
      group_only_greetings: [],
      ...(index % 5 === 0 ? { character_book: { name: `${name} notes`, extensions: {}, entries } } : {}),
    },
  };
}

/** `count` generated PNG cards (eight distinct avatars, every card different). */
export function benchCardFiles(count: number): Uint8Array[] {
  const avatars = Array.from({ length: 8 }, (_, i) => makeAvatar(i + 1));
  return Array.from({ length: count }, (_, i) => exportCharacterPng(makeCard(i), { image: avatars[i % avatars.length]! }));
}

/** The shortcut many tools take: the PNG as one string, find the `chara` text chunk, decode. Checks nothing. */
function naivePngCard(bytes: Uint8Array): unknown {
  const text = Buffer.from(bytes).toString('latin1');
  const at = text.indexOf('tEXtchara\0');
  if (at < 4) throw new Error('no card');
  const length = bytes[at - 4]! * 2 ** 24 + bytes[at - 3]! * 2 ** 16 + bytes[at - 2]! * 2 ** 8 + bytes[at - 1]!;
  const base64 = text.slice(at + 10, at + 4 + length);
  return JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
}

/** Progress on stderr: the whole run takes a few minutes. */
function progress(message: string): void {
  process.stderr.write(`library bench: ${message}\n`);
}

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function row(name: string, unit: string, value: number, reference?: number): BenchRow {
  const rounded = (n: number) => Math.round(n * 100) / 100;
  return reference === undefined
    ? { name, unit, value: rounded(value) }
    : { name, unit, value: rounded(value), reference: rounded(reference), ratio: Math.round((reference / value) * 100) / 100 };
}

/** A target's row, as the other benches write them: 1 when `value` is under `limit`. */
function target(name: string, value: number, limit: number): BenchRow {
  return { name: `${name}: target (< ${limit.toLocaleString('en-US')} ms met: 1 = yes)`, unit: 'bool', value: value < limit ? 1 : 0 };
}

/** Runs the library benchmark; see the top of this file. */
export async function runLibraryBench(): Promise<BenchRow[]> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`Build the extension first (pnpm build): ${EXTENSION_DIR} is missing.`);
  const rows: BenchRow[] = [];

  // 1. Parse (Node).
  const files = benchCardFiles(CARDS);
  const ours = time(() => files.map((bytes, i) => parseCardFile(bytes, `card-${i}.png`)));
  const naive = time(() => files.map(naivePngCard));
  if (ours.value.some((parsed) => parsed.kind !== 'character') || naive.value.length !== CARDS) throw new Error('parse bench: a card did not read');
  rows.push(row(`parse ${CARDS.toLocaleString('en-US')} PNG cards (Node, ~${Math.round(files[0]!.length / 1024)} KB each)`, 'ms', ours.ms, naive.ms));

  const dir = await mkdtemp(join(tmpdir(), 'troupe-library-bench-'));
  const browser = await launchChromium({ extensionDir: EXTENSION_DIR });
  try {
    const paths = await Promise.all(files.map(async (bytes, i) => {
      const path = join(dir, `card-${String(i).padStart(4, '0')}.png`);
      await writeFile(path, bytes);
      return path;
    }));
    const optionsUrl = `chrome-extension://${browser.extensionId}/options.html`;
    // tsx compiles with esbuild's keepNames, which wraps functions in a `__name` helper that page code lacks.
    await browser.context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
    const page = await browser.context.newPage();
    await page.goto(optionsUrl);

    // 2. Import 1,000 cards through the file picker, and the naive per-field import of the same files.
    const importStart = Date.now();
    await page.getByLabel('Import cards (PNG, JSON, CHARX, World Info)').setInputFiles(paths);
    await page.waitForFunction((n) => document.querySelector('[aria-label="Import status"]')?.textContent === `Imported ${n} of ${n} files.`, CARDS, { polling: 20, timeout: 300_000 });
    const importMs = Date.now() - importStart;
    progress(`imported ${CARDS} cards in ${importMs} ms`);
    await waitForThumbnails(page);
    const thumbsMs = Date.now() - importStart;
    const naiveImportMs = await naiveImport(page, paths);
    rows.push(row(`import ${CARDS.toLocaleString('en-US')} PNG cards (Chromium, options page): stored and listed`, 'ms', importMs, naiveImportMs));
    rows.push(target(`import ${CARDS.toLocaleString('en-US')} PNG cards`, importMs, TARGETS.importMs));
    rows.push(row(`import ${CARDS.toLocaleString('en-US')} PNG cards: every thumbnail made too`, 'ms', thumbsMs, naiveImportMs));

    // Grow the library to 10,000 through the import message (JSON cards, no images).
    const seedMs = await seed(page, LIBRARY - CARDS);
    progress(`added ${LIBRARY - CARDS} cards in ${Math.round(seedMs)} ms`);
    rows.push(row(`add ${(LIBRARY - CARDS).toLocaleString('en-US')} JSON cards (${SEED_BATCH} per message)`, 'ms', seedMs));

    // 3. Open the library: the background restarted (cold), then warm page reloads.
    await waitForFirstPageKept(page, LIBRARY);
    await stopBackground(browser.context, page);
    await page.goto(optionsUrl);
    const cold = await firstPage(page);
    const warm: number[] = [];
    const warmQuery: number[] = [];
    for (let i = 0; i < WARM_OPENS; i++) {
      await page.reload();
      const shown = await firstPage(page);
      warm.push(shown.sinceNavigation);
      warmQuery.push(shown.query);
    }
    const naiveOpen = await naiveFirstPage(page);
    rows.push(row(`open ${LIBRARY.toLocaleString('en-US')}: first page in the DOM, background just restarted (from navigation)`, 'ms', cold.sinceNavigation, naiveOpen));
    rows.push(target(`open ${LIBRARY.toLocaleString('en-US')}, background just restarted, from navigation`, cold.sinceNavigation, TARGETS.coldNavigationMs));
    rows.push(row(`open ${LIBRARY.toLocaleString('en-US')}: first page, query to DOM update, background just restarted`, 'ms', cold.query, naiveOpen));
    rows.push(target(`open ${LIBRARY.toLocaleString('en-US')}, background just restarted, query to DOM update`, cold.query, TARGETS.coldQueryMs));
    rows.push(row(`open ${LIBRARY.toLocaleString('en-US')}: first page in the DOM, warm (median of ${WARM_OPENS}, from navigation)`, 'ms', median(warm), naiveOpen));
    rows.push(row(`open ${LIBRARY.toLocaleString('en-US')}: first page, query to DOM update, warm (median)`, 'ms', median(warmQuery), naiveOpen));

    // 4. Search per keystroke.
    const search = await keystrokes(page);
    const naiveSearch = await naiveKeystrokes(page);
    rows.push(row(`first search over ${LIBRARY.toLocaleString('en-US')} (builds the in-memory index)`, 'ms', search.first));
    rows.push(row(`search per keystroke over ${LIBRARY.toLocaleString('en-US')}, request to DOM update (median of ${search.all.length})`, 'ms', median(search.all), median(naiveSearch)));
    rows.push(row(`search per keystroke over ${LIBRARY.toLocaleString('en-US')}, request to DOM update (p95)`, 'ms', percentile(search.all, 95), percentile(naiveSearch, 95)));
    rows.push(target(`search per keystroke over ${LIBRARY.toLocaleString('en-US')}, p95`, percentile(search.all, 95), TARGETS.keystrokeP95Ms));
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Polls `check` in the page until it holds. (page.waitForFunction takes the Promise an async check
 * returns for a truthy answer, so it cannot wait on one that reads IndexedDB or extension storage.)
 */
async function until(page: Page, what: string, check: string | (() => Promise<boolean>), timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate<boolean>(check))) {
    if (Date.now() > deadline) throw new Error(`library bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the background has made every pending thumbnail (read from its database, not asked). */
async function waitForThumbnails(page: Page): Promise<void> {
  await until(page, 'the thumbnails', () => new Promise<boolean>((done) => {
    const open = indexedDB.open('troupe');
    open.onerror = () => done(false);
    open.onsuccess = () => {
      const request = open.result.transaction('thumbs').objectStore('thumbs').index('version').count(IDBKeyRange.upperBound(0));
      request.onsuccess = () => { open.result.close(); done(request.result === 0); };
      request.onerror = () => { open.result.close(); done(false); };
    };
  }));
}

/** The naive import, in the options page: one card at a time, a readwrite transaction per field and one for the image. */
async function naiveImport(page: Page, paths: string[]): Promise<number> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = 'bench-naive-files';
    input.hidden = true;
    document.body.append(input);
  });
  await page.setInputFiles('#bench-naive-files', paths);
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('troupe-bench-naive', 1);
      open.onupgradeneeded = () => {
        open.result.createObjectStore('fields', { keyPath: ['id', 'field'] });
        open.result.createObjectStore('images', { keyPath: 'id' });
      };
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const put = (store: string, value: unknown) => new Promise<void>((done, fail) => {
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).put(value);
      tx.oncomplete = () => done();
      tx.onerror = () => fail(tx.error);
    });
    const files = [...(document.getElementById('bench-naive-files') as HTMLInputElement).files!];
    const start = performance.now();
    for (const file of files) {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const at = text.indexOf('tEXtchara\0');
      const length = ((bytes[at - 4]! << 24) >>> 0) + (bytes[at - 3]! << 16) + (bytes[at - 2]! << 8) + bytes[at - 1]!;
      const json = new TextDecoder().decode(Uint8Array.from(atob(text.slice(at + 10, at + 4 + length)), (c) => c.charCodeAt(0)));
      const card = JSON.parse(json) as { data: Record<string, unknown> };
      const id = crypto.randomUUID();
      for (const [field, value] of Object.entries(card.data)) await put('fields', { id, field, value });
      await put('images', { id, blob: new Blob([bytes], { type: 'image/png' }) });
    }
    const elapsed = performance.now() - start;
    db.close();
    indexedDB.deleteDatabase('troupe-bench-naive');
    return elapsed;
  });
}

/** Adds `count` generated JSON cards through the background's import message, two batches in flight. */
async function seed(page: Page, count: number): Promise<number> {
  const { ms, failed } = await page.evaluate(async ({ count, batch, syllables, tags, creators, words }) => {
    let state = 7;
    const random = () => {
      state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
      return state / 0x100000000;
    };
    const pick = <T,>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const text = (n: number) => Array.from({ length: n }, () => pick(words)).join(' ');
    const card = (i: number) => {
      const name = Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(syllables)).join('');
      return {
        spec: 'chara_card_v3', spec_version: '3.0',
        data: { name: `${name[0]!.toUpperCase()}${name.slice(1)} s${i}`, description: `{{char}} is ${text(250)}.`, first_mes: text(60), tags: [pick(tags), pick(tags)], creator: pick(creators) },
      };
    };
    const { chrome } = globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<{ ok: boolean; value?: { results: { ok: boolean }[] } }> } } };
    const start = performance.now();
    let failed = 0;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < count; i += batch) {
      const items = [];
      for (let j = i; j < Math.min(count, i + batch); j++) items.push({ kind: 'character', label: `seed-${j}.json`, character: card(j), assets: [], sourceFormat: 'v3-json', warnings: [] });
      inFlight.push(chrome.runtime.sendMessage({ troupe: 1, type: 'library.import', payload: { format: 1, items } }).then((answer) => {
        if (!answer.ok) failed += items.length;
        else failed += answer.value!.results.filter((r) => !r.ok).length;
      }));
      if (inFlight.length >= 2) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return { ms: performance.now() - start, failed };
  }, { count, batch: SEED_BATCH, syllables: SYLLABLES, tags: TAGS, creators: CREATORS, words: WORDS });
  if (failed > 0) throw new Error(`seeding: ${failed} cards failed`);
  return ms;
}

/**
 * Waits until the background has stored the first page of the whole library (it does once writes
 * have settled; one stored between two import batches counts fewer characters), read from session
 * storage by the options page as the library manager does.
 */
async function waitForFirstPageKept(page: Page, total: number): Promise<void> {
  const check = `(async () => (await chrome.storage.session.get('library.firstPage'))['library.firstPage']?.page?.total === ${total})()`;
  await until(page, 'the stored first page', check, 60_000);
}

/**
 * Stops the extension's service worker (DevTools protocol), so the next page wakes a background with
 * nothing in memory: no open database, no search index.
 */
async function stopBackground(context: BrowserContext, page: Page): Promise<void> {
  const session = await context.newCDPSession(page);
  try {
    await session.send('ServiceWorker.enable');
    await session.send('ServiceWorker.stopAllWorkers');
  } finally {
    await session.detach();
  }
}

/** When the first page appeared (the manager's User Timing mark) and how long its query took to render. */
async function firstPage(page: Page): Promise<{ sinceNavigation: number; query: number }> {
  await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, FIRST_PAGE_MARK, { polling: 10 });
  return page.evaluate(({ mark, measure }) => ({
    sinceNavigation: performance.getEntriesByName(mark)[0]!.startTime,
    query: performance.getEntriesByName(measure)[0]!.duration,
  }), { mark: FIRST_PAGE_MARK, measure: QUERY_MEASURE });
}

/** The naive first page, in the options page: every row, thumbnail and doc update read, sorted by name, 24 shown. */
function naiveFirstPage(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const start = performance.now();
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('troupe');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const all = <T,>(store: string) => new Promise<T[]>((done, fail) => {
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => done(request.result as T[]);
      request.onerror = () => fail(request.error);
    });
    const [rows] = await Promise.all([all<{ sortName: string }>('characters'), all('thumbs'), all('$characters.doc_updates')]);
    rows.sort((a, b) => (a.sortName < b.sortName ? -1 : 1)).slice(0, 24);
    db.close();
    return performance.now() - start;
  });
}

/** Types each search a key at a time into the manager's search box; each keystroke's request-to-render time. */
async function keystrokes(page: Page): Promise<{ first: number; all: number[] }> {
  const box = page.getByRole('searchbox', { name: 'Search characters' });
  const measures = () => page.evaluate((name) => performance.getEntriesByName(name).map((e) => ({ duration: e.duration, search: (e as PerformanceMeasure).detail?.search as string })), QUERY_MEASURE);
  const settled = (search: string, count: number) => page.waitForFunction(({ name, search, count }) =>
    performance.getEntriesByName(name).filter((e) => (e as PerformanceMeasure).detail?.search === search).length >= count, { name: QUERY_MEASURE, search, count }, { polling: 10 });

  // The first search after opening builds the index from every row.
  const before = (await measures()).length;
  await box.fill('a');
  await settled('a', 1);
  const first = (await measures()).slice(before).find((m) => m.search === 'a')!.duration;
  await box.fill('');
  await settled('', 1);

  const start = (await measures()).length;
  for (const word of SEARCHES) {
    await box.pressSequentially(word, { delay: KEY_DELAY_MS });
    await settled(word, 1);
    const cleared = (await measures()).filter((m) => m.search === '').length;
    await box.fill('');
    await settled('', cleared + 1);
  }
  const all = (await measures()).slice(start).filter((m) => m.search !== '').map((m) => m.duration);
  return { first, all };
}

/** The naive search, in the options page: every keystroke reads the whole table and scans it. */
function naiveKeystrokes(page: Page): Promise<number[]> {
  return page.evaluate(async (searches) => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const open = indexedDB.open('troupe');
      open.onsuccess = () => done(open.result);
      open.onerror = () => fail(open.error);
    });
    const times: number[] = [];
    for (const word of searches) {
      for (let i = 1; i <= word.length; i++) {
        const tokens = word.slice(0, i).toLowerCase().split(/\s+/).filter(Boolean);
        const start = performance.now();
        const rows = await new Promise<{ name: string; sortName: string; tags: string[]; creator: string; excerpt: string; deletedAt?: number }[]>((done, fail) => {
          const request = db.transaction('characters').objectStore('characters').getAll();
          request.onsuccess = () => done(request.result as never);
          request.onerror = () => fail(request.error);
        });
        rows
          .filter((r) => r.deletedAt === undefined && tokens.every((t) => `${r.name}\n${r.tags.join('\n')}\n${r.creator}\n${r.excerpt}`.toLowerCase().includes(t)))
          .sort((a, b) => (a.sortName < b.sortName ? -1 : 1))
          .slice(0, 24);
        times.push(performance.now() - start);
      }
    }
    db.close();
    return times;
  }, SEARCHES);
}

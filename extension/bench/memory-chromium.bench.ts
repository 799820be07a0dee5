/**
 * `pnpm bench memory-chromium` (issue 11): what the person feels in NextChat while Troupe summarises a
 * long chat, and what the summarising leaves in memory. On the stage page in Debian's Chromium with the
 * end-to-end build, against the same page and chat in a Chromium without the extension, same run.
 *
 * A 2,000-message role-play (memory-chat.ts, ~60 tokens a message) is put into NextChat's stored chats
 * in both browsers. In Troupe's, a character is made and then given that chat: the page hands the
 * whole transcript to the background, whose scheduler plans the chat's summaries and has the offscreen
 * document's worker make them one by one (the local extractive summariser: no summary model is set),
 * in runs of MAX_SUMMARY_JOBS_PER_RUN. The bench waits until the stored memory has no summary left to
 * make (the planner, run here on the stored transcript and summaries, gives no job).
 *
 * Measured from the click that gives the chat its character to the last summary stored:
 *  - main-thread tasks over 50 ms in the NextChat page (PerformanceObserver 'longtask', which sees the
 *    content scripts too: they share the page's thread), their longest and their blocking time (the
 *    part of each beyond 50 ms); the reference is the plain page over a window of the same length;
 *  - how long summarising took and how many summaries were made (level 0 and merged).
 * Then the memory of both browsers (PSS, as request-path.bench.ts), three times: right after the last
 * summary (the offscreen document and its worker open, garbage not yet collected); once idle, after the
 * host closed the document, the service worker alive; and after one more summary opened the document
 * again and Chrome stopped the service worker (as it does when idle; done here through the DevTools
 * protocol), which ends the host's idle timer: the document must close itself (OFFSCREEN_SELF_CLOSE_MS)
 * or it stays, with its worker and that worker's tokenizer table.
 * Needs the end-to-end build (`pnpm build:e2e`, or BENCH_EXTENSION_DIR: its e2e hook makes the extra
 * summary) and Debian's Chromium. The stage page shows every message of a chat (NextChat shows the
 * newest few and more on scroll), so work that walks the chat's rows costs more here than in NextChat.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, Worker } from 'playwright-core';
import * as Y from 'yjs';
import type { BenchRow } from '../../shared/bench/types.ts';
import { readChatMemory, type ChatMemory } from '@troupe/shared/docs';
import { planSummaries } from '@troupe/shared/memory';
import { tokenizerFor } from '@troupe/shared/tokens';
import { useBundledEncodings } from '@troupe/shared/tokens/bundled';
import { MEMORY_DOC_UPDATES } from '../background/db/database.ts';
import { SUMMARY_DELAY_MS } from '../messaging/limits/memory.ts';
import type { SummaryRequest } from '../messaging/protocols/offscreen-protocol.ts';
import { OFFSCREEN_SELF_CLOSE_MS } from '../offscreen/idle-close.ts';
import { chromiumMemory, launchChromium, type Launched } from '../e2e/harness/browser.ts';
import { stopExtensionWorker } from '../e2e/harness/service-worker.ts';
import { openChat, readChatStore, readCurrentSession, writeIdbValue, type PersistedSession } from '../e2e/harness/stage-page.ts';
import { startStage, type Stage } from '../e2e/harness/stage-server.ts';
import { startTestLlm } from '../e2e/harness/test-llm.ts';
import { createCharacter, openPanel } from '../e2e/tests/troupe-page.ts';
import { offscreenDocuments } from './offscreen-documents.ts';
import { BENCH_EXTENSION_DIR } from './extension-build.ts';
import { CHAR_NAME, generateMemoryChat, USER_NAME, type BenchChatMessage } from './memory-chat.ts';

useBundledEncodings();

/** Messages in the chat summarised (issue 11). */
const CHAT_LENGTH = 2_000;
/** The model NextChat's stage page asks for by default: its tokenizer is the one the background counts with. */
const CHAT_MODEL = 'gpt-4o-mini';
/** Target (issue 11): main-thread tasks over 50 ms in the page while the chat is summarised. */
const LONG_TASK_TARGET = 0;
/** The Long Tasks API's own threshold: it reports only tasks longer than this. */
const LONG_TASK_MS = 50;
/** Target (issue 11): memory Troupe adds to the browser. */
const MEMORY_TARGET_MB = 100;
/** How often the bench looks at the stored memory (a count of rows in the extension's IndexedDB). */
const POLL_MS = 500;
/**
 * Rows unchanged this long: a run has ended (the next starts SUMMARY_DELAY_MS after one that stopped
 * at its job limit), so the bench decodes the memory and asks the planner whether anything is left.
 */
const QUIET_MS = SUMMARY_DELAY_MS + 1_000;
/** Upper bound on summarising the chat; a stuck scheduler fails the bench instead of hanging it. */
const SUMMARISE_TIMEOUT_MS = 10 * 60_000;
/** How long past the host's or the document's own idle close the bench waits for the document to go. */
const CLOSE_GRACE_MS = 15_000;

const round = (value: number) => Math.round(value * 100) / 100;
const mb = (kb: number) => round(kb / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface LongTask { at: number; ms: number }

/** Records the page's long tasks from its start, on the wall clock (the service worker's Date.now too). */
function longTaskRecorder(): void {
  const tasks: LongTask[] = [];
  Object.assign(window, { __longTasks: tasks });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) tasks.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

async function longTasks(page: Page, from: number, to: number): Promise<LongTask[]> {
  const all = await page.evaluate(() => (window as unknown as { __longTasks: LongTask[] }).__longTasks);
  return all.filter((task) => task.at >= from && task.at <= to);
}

/**
 * Puts `messages` into NextChat's stored chats as its one, current chat. Written from a page of the same
 * origin without NextChat on it, so NextChat cannot write its own state over it before the reload.
 */
async function seedLongChat(page: Page, stage: Stage, messages: readonly BenchChatMessage[]): Promise<void> {
  await openChat(page, stage.url);
  const store = await readChatStore(page);
  const current = store?.state.sessions[store.state.currentSessionIndex];
  if (!store || !current) throw new Error('memory-chromium bench: NextChat stored no chat to start from');
  const date = new Date(2026, 10, 1, 9, 0).toLocaleString('en-US');
  const session: PersistedSession & { lastSummarizeIndex: number } = {
    ...current,
    topic: 'The long road',
    messages: messages.map((m) => ({ id: `bench-${m.id}`, date, role: m.role, content: m.text })),
    lastUpdate: Date.now(),
    // NextChat's own summary is up to date: it must not start summarising the chat itself.
    lastSummarizeIndex: messages.length,
  };
  await page.goto(stage.plainUrl);
  await writeIdbValue(page, 'chat-next-web-store', JSON.stringify({ ...store, state: { ...store.state, sessions: [session], currentSessionIndex: 0 } }));
  await openChat(page, stage.url);
  const seeded = await readCurrentSession(page);
  if (seeded?.messages.length !== messages.length) throw new Error(`memory-chromium bench: NextChat shows ${seeded?.messages.length ?? 0} messages, not the ${messages.length} stored`);
}

/** Waits until the page's thread has had an idle moment (nothing left of the last action). */
function pageIdle(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestIdleCallback(() => r(), { timeout: 5_000 })));
}

/** Rows of chats' memory docs in the extension's IndexedDB (one per stored change, until y-dexie compresses them). */
function memoryRowCount(sw: Worker): Promise<number> {
  return sw.evaluate((table) => new Promise<number>((resolveCount, reject) => {
    const open = indexedDB.open('troupe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(table)) { db.close(); resolveCount(0); return; }
      const request = db.transaction(table).objectStore(table).count();
      request.onsuccess = () => { db.close(); resolveCount(request.result); };
      request.onerror = () => { db.close(); reject(request.error); };
    };
  }), MEMORY_DOC_UPDATES);
}

/** The one chat memory the extension stores, read from its update rows (base64 across the protocol). */
async function storedMemory(sw: Worker): Promise<ChatMemory> {
  const rows = await sw.evaluate((table) => new Promise<string[]>((resolveRows, reject) => {
    const open = indexedDB.open('troupe');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const request = db.transaction(table).objectStore(table).getAll();
      request.onsuccess = () => {
        db.close();
        try {
          // y-dexie keeps its compression bookkeeping in the same table (row 0, no update).
          const updates = (request.result as { u?: unknown }[]).flatMap(({ u }) => (u instanceof Uint8Array ? [u] : []));
          resolveRows(updates.map((u) => {
            let binary = '';
            for (let i = 0; i < u.length; i += 0x8000) binary += String.fromCharCode(...u.subarray(i, i + 0x8000));
            return btoa(binary);
          }));
        } catch (error) {
          reject(error);
        }
      };
      request.onerror = () => { db.close(); reject(request.error); };
    };
  }), MEMORY_DOC_UPDATES);
  const doc = new Y.Doc();
  try {
    doc.transact(() => { for (const row of rows) Y.applyUpdateV2(doc, Buffer.from(row, 'base64')); });
    return readChatMemory(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * Waits until the chat's stored memory holds the whole transcript and the planner has no summary left
 * to make; returns that memory.
 */
async function summarised(sw: Worker, count: (text: string) => number): Promise<ChatMemory> {
  const deadline = Date.now() + SUMMARISE_TIMEOUT_MS;
  let rows = -1;
  let changedAt = Date.now();
  let checkedRows = -1;
  for (;;) {
    if (Date.now() > deadline) throw new Error(`memory-chromium bench: the chat was not summarised within ${SUMMARISE_TIMEOUT_MS / 1000} s`);
    const now = await memoryRowCount(sw);
    if (now !== rows) { rows = now; changedAt = Date.now(); }
    if (rows > 0 && rows !== checkedRows && Date.now() - changedAt >= QUIET_MS) {
      checkedRows = rows;
      const memory = await storedMemory(sw);
      const counted = memory.messages.map((m) => ({ ...m, tokens: count(m.text) }));
      if (memory.messages.length === CHAT_LENGTH && planSummaries(counted, memory.summaries).jobs.length === 0) return memory;
    }
    await sleep(POLL_MS);
  }
}

function longTaskRows(troupe: LongTask[], plain: LongTask[], seconds: number): BenchRow[] {
  const blocking = (tasks: LongTask[]) => round(tasks.reduce((n, t) => n + Math.max(0, t.ms - LONG_TASK_MS), 0));
  const longest = (tasks: LongTask[]) => round(Math.max(0, ...tasks.map((t) => t.ms)));
  const withRatio = (value: number, reference: number) => (value > 0 ? { reference, ratio: round(reference / value) } : { reference });
  const span = `activation to last summary, ${round(seconds)} s`;
  return [
    { name: `long tasks (> ${LONG_TASK_MS} ms) in the NextChat page, ${span} (vs the same page without Troupe, same length)`, unit: 'tasks', value: troupe.length, ...withRatio(troupe.length, plain.length) },
    { name: 'long tasks: longest', unit: 'ms', value: longest(troupe), ...withRatio(longest(troupe), longest(plain)) },
    { name: `long tasks: blocking time (their time beyond ${LONG_TASK_MS} ms, summed)`, unit: 'ms', value: blocking(troupe), ...withRatio(blocking(troupe), blocking(plain)) },
    { name: `long tasks target (${LONG_TASK_TARGET} met: 1 = yes)`, unit: 'bool', value: troupe.length <= LONG_TASK_TARGET ? 1 : 0 },
  ];
}

/** Memory of both browsers now (PSS), as rows, with the offscreen documents open at the time. */
async function footprint(when: string, troupe: Launched, plain: Launched, page: Page): Promise<BenchRow[]> {
  const [withTroupe, without, documents] = await Promise.all([chromiumMemory(troupe.userDataDir), chromiumMemory(plain.userDataDir), offscreenDocuments(page)]);
  const addedKb = withTroupe.totalKb - without.totalKb;
  return [
    { name: `memory ${when}: whole Chromium (PSS) with Troupe (vs no extension)`, unit: 'MB', value: mb(withTroupe.totalKb), reference: mb(without.totalKb), ratio: round(without.totalKb / withTroupe.totalKb) },
    { name: `memory ${when}: of which the extension process (service worker, offscreen document and its worker)`, unit: 'MB', value: mb(withTroupe.extensionKb) },
    { name: `memory ${when}: offscreen documents open`, unit: 'documents', value: documents },
    { name: `memory ${when}: added by Troupe`, unit: 'MB', value: mb(addedKb) },
    { name: `memory ${when}: added target (< ${MEMORY_TARGET_MB} MB met: 1 = yes)`, unit: 'bool', value: addedKb / 1024 < MEMORY_TARGET_MB ? 1 : 0 },
  ];
}

/** Waits until no offscreen document is left, or `ms` after `since`; a document still open is reported by the footprint rows. */
async function documentsClosed(page: Page, since: number, ms: number): Promise<void> {
  while ((await offscreenDocuments(page)) > 0 && Date.now() - since < ms) await sleep(POLL_MS);
}

/** One local summary of the chat's first 40 messages, through the service worker's e2e hook: the document opens for it. */
async function summariseOnce(sw: Worker, messages: readonly BenchChatMessage[]): Promise<void> {
  const request: SummaryRequest = {
    jobId: 'bench-reopen', model: CHAT_MODEL, targetTokens: 200, endpoint: null,
    messages: messages.slice(0, 40).map(({ id, role, text }) => ({ id, role, name: role === 'user' ? USER_NAME : CHAR_NAME, text })),
  };
  await sw.evaluate((r) => (globalThis as unknown as { __troupeTest: { summarise(r: SummaryRequest): Promise<unknown> } }).__troupeTest.summarise(r), request);
}

/** Runs the bench; see the file's comment. */
export async function runMemoryChromiumBench(): Promise<BenchRow[]> {
  if (!existsSync(resolve(BENCH_EXTENSION_DIR, 'manifest.json'))) throw new Error(`memory-chromium bench: build the extension first (pnpm build:e2e); ${BENCH_EXTENSION_DIR} has no manifest`);
  const { count } = await tokenizerFor(CHAT_MODEL);
  const { messages } = generateMemoryChat(11, CHAT_LENGTH);
  const llm = await startTestLlm();
  const stage = await startStage({ llmUrl: llm.url });
  const opened: Launched[] = [];
  try {
    const plain = await launchChromium({});
    opened.push(plain);
    const troupe = await launchChromium({ extensionDir: BENCH_EXTENSION_DIR });
    opened.push(troupe);
    const sw = troupe.serviceWorker!;
    const plainPage = await plain.context.newPage();
    const page = await troupe.context.newPage();
    for (const p of [plainPage, page]) await p.addInitScript(longTaskRecorder);
    await seedLongChat(plainPage, stage, messages);
    await seedLongChat(page, stage, messages);
    await openPanel(page);
    await createCharacter(page, CHAR_NAME, '{{char}} is a sell-sword turned guide who travels with {{user}}.');
    // Found before the clock starts: Playwright's own queries walk the page's 2,000 rows and would be
    // long tasks of the bench's own (its role queries take ~100 ms here), so none runs in the window.
    const activateButton = await page.locator(`button[aria-label="Activate ${CHAR_NAME}"]`).elementHandle();
    if (!activateButton) throw new Error('memory-chromium bench: no Activate button in the panel');
    await pageIdle(page);

    // The person gives the long chat its character: Troupe reads and summarises it from here.
    const startedAt = Date.now();
    await activateButton.click();
    const memory = await summarised(sw, count);
    const endedAt = Math.max(...memory.summaries.map((s) => s.at));
    const troupeTasks = await longTasks(page, startedAt, endedAt);
    const afterSummaries = await footprint('right after the last summary', troupe, plain, page);

    // The reference: the plain page with the same chat, as long as Troupe summarised. Meanwhile the
    // host closes the idle offscreen document (after OFFSCREEN_IDLE_CLOSE_MS, shorter than the
    // document's own OFFSCREEN_SELF_CLOSE_MS), the service worker alive.
    const referenceFrom = Date.now();
    await sleep(endedAt - startedAt);
    const plainTasks = await longTasks(plainPage, referenceFrom, Date.now());
    await documentsClosed(page, referenceFrom, OFFSCREEN_SELF_CLOSE_MS + CLOSE_GRACE_MS);
    const afterHostClose = await footprint('once idle, the service worker alive', troupe, plain, page);

    // One more summary opens the document again, then Chrome stops the idle service worker (done here
    // through the DevTools protocol) and the host's timer with it: the document must close itself.
    await summariseOnce(sw, messages);
    await stopExtensionWorker(troupe.context, page);
    const stoppedAt = Date.now();
    await documentsClosed(page, stoppedAt, OFFSCREEN_SELF_CLOSE_MS + CLOSE_GRACE_MS);
    const waited = round((Date.now() - stoppedAt) / 1000);
    const afterStop = await footprint('after the service worker stopped with the document open', troupe, plain, page);

    if (troupeTasks.length > 0) console.log(`[memory-chromium] long tasks (ms after activation: duration): ${troupeTasks.map((t) => `${Math.round(t.at - startedAt)}: ${Math.round(t.ms)}`).join(', ')}`);
    const levels = new Map<number, number>();
    for (const s of memory.summaries) levels.set(s.level, (levels.get(s.level) ?? 0) + 1);
    const seconds = (endedAt - startedAt) / 1000;
    return [
      ...longTaskRows(troupeTasks, plainTasks, seconds),
      { name: `summarising ${CHAT_LENGTH.toLocaleString('en-US')} messages: activation to last summary stored (local summariser)`, unit: 's', value: round(seconds) },
      { name: 'summaries made', unit: 'summaries', value: memory.summaries.length },
      ...[...levels].sort(([a], [b]) => a - b).map(([level, n]) => ({ name: `summaries made: level ${level}${level === 0 ? ' (chunks of messages)' : ' (merges)'}`, unit: 'summaries', value: n })),
      { name: 'summaries made by the local summariser (no summary model set)', unit: 'summaries', value: memory.summaries.filter((s) => s.source === 'local').length },
      ...afterSummaries,
      ...afterHostClose,
      ...afterStop,
      { name: `memory after the service worker stopped: waited for the document to close (at most ${(OFFSCREEN_SELF_CLOSE_MS + CLOSE_GRACE_MS) / 1000} s)`, unit: 's', value: waited },
    ];
  } finally {
    for (const browser of opened.reverse()) await browser.close();
    await stage.close();
    await llm.close();
  }
}

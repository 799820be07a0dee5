/**
 * `pnpm bench request-path`: what Troupe adds between a person pressing Enter in NextChat and the chat
 * request leaving the page, on the faithful stage page, against the same page in a Chromium without the
 * extension in the same run (turns alternate between the two browsers, one at a time).
 *
 * Each turn is typed like a person types (a key every TYPE_DELAY_MS), then Enter. The time is taken
 * from the Enter keydown (in the page) to the request's arrival at the test LLM on 127.0.0.1, both on
 * the wall clock with sub-millisecond precision; the loopback hop is in both browsers' figures alike.
 * Situations: a chat without a character; a small card and a card with a 5,000-entry lorebook, each
 * warm (the worker ran the turn before) and cold (Chrome's idle stop of the extension's worker, done
 * through the DevTools protocol, right before the person starts typing); and the 5,000-entry card cold
 * with the message pasted and sent at once (no typing to hide the wake-up). Also the memory Troupe adds
 * with that character active: the whole Troupe Chromium's memory over the plain one's (PSS).
 * Needs the end-to-end build (`pnpm build:e2e`: it drives the panel with Playwright) and Debian's Chromium.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { percentile } from '../../shared/bench/lore.bench.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { chromiumMemory, launchChromium, type Launched } from '../e2e/harness/browser.ts';
import { stopExtensionWorker } from '../e2e/harness/service-worker.ts';
import { NC, openChat, startNewChat } from '../e2e/harness/stage-page.ts';
import { startStage } from '../e2e/harness/stage-server.ts';
import { startTestLlm, type TestLlm } from '../e2e/harness/test-llm.ts';
import { activate, createCharacter, openPanel, openSection, panelBody } from '../e2e/tests/troupe-page.ts';
import { offscreenDocuments } from './offscreen-documents.ts';
import { BENCH_EXTENSION_DIR as EXTENSION_DIR } from './extension-build.ts';

/** Timed turns per situation (each also makes one turn in the reference browser). */
const TURNS = 20;
/** A person's typing pace, ms between keys (about 170 characters a minute, a quick typist's). */
const TYPE_DELAY_MS = 60;
/** Entries of the big lorebook, 10% with regex keys (the size users report stalls with). */
const BIG_BOOK_ENTRIES = 5_000;
/** Upper bound on one turn; a stuck one fails the bench instead of hanging it. */
const TURN_TIMEOUT_MS = 20_000;
/** Targets (issue 9): added time from Enter to the request leaving the page, p95. */
const TARGETS = { none: 1, warmBig: 5, cold: 50 } as const;
/** Target (issue 9): memory the extension adds with one active 5,000-entry character. */
const MEMORY_TARGET_MB = 100;

const round = (value: number) => Math.round(value * 100) / 100;

/** Records the person's Enter in NextChat's input on the wall clock (capture phase, before NextChat sends). */
function enterRecorder(): void {
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.target as Element | null)?.matches?.('textarea#chat-input')) {
      (window as unknown as { __enterAt: number }).__enterAt = performance.timeOrigin + performance.now();
    }
  }, { capture: true });
}

/** A card JSON with a 5,000-entry lorebook: keyword entries and every tenth a regex one, ~60 words each. */
function bigBookCard(): string {
  const entries = Array.from({ length: BIG_BOOK_ENTRIES }, (_, i) => ({
    id: i,
    keys: i % 10 === 0 ? [`/\\bplace${i}(s|es)?\\b/i`] : [`place${i}`, `landmark${i}`],
    content: `Place ${i} is a harbour landmark. `.repeat(12),
    extensions: {},
    enabled: true,
    insertion_order: i,
    use_regex: i % 10 === 0,
  }));
  return JSON.stringify({
    spec: 'chara_card_v2', spec_version: '2.0',
    data: {
      name: 'Atlas', description: '{{char}} knows every place in the harbour.', personality: '', scenario: '', first_mes: '', mes_example: '',
      creator_notes: '', system_prompt: '', post_history_instructions: '', alternate_greetings: [], tags: [], creator: '', character_version: '',
      extensions: {}, character_book: { extensions: {}, entries },
    },
  });
}

interface Browsers { plain: Launched; plainPage: Page; troupe: Launched; page: Page }

/** One turn typed (or pasted) and sent; returns ms from Enter to the request reaching the LLM. */
async function turn(llm: TestLlm, page: Page, text: string, typed: boolean): Promise<number> {
  const input = page.locator(NC.input);
  await input.click();
  if (typed) await page.keyboard.type(text, { delay: TYPE_DELAY_MS });
  else await page.keyboard.insertText(text);
  await page.keyboard.press('Enter');
  const request = await llm.waitForRequest((r) => r.rawBody.includes(text) && r.rawBody.includes('"stream":true'), TURN_TIMEOUT_MS);
  const enterAt = await page.evaluate(() => (window as unknown as { __enterAt: number }).__enterAt);
  // The reply streams in and NextChat is idle again before the next turn.
  await page.locator(NC.status).waitFor({ state: 'detached', timeout: TURN_TIMEOUT_MS });
  return request.atPrecise - enterAt;
}

/** Waits until the panel counts `n` remembered replies in the open chat (the last reply is stored). */
async function repliesStored(page: Page, n: number): Promise<void> {
  const text = n === 1 ? '1 reply remembered in this chat' : `${n} replies remembered in this chat`;
  await panelBody(page).getByText(text).waitFor({ timeout: TURN_TIMEOUT_MS });
}

interface Situation { name: string; key: keyof typeof TARGETS | null; chat: 'none' | 'small' | 'big'; cold: boolean; typed: boolean }

const SITUATIONS: Situation[] = [
  { name: 'no character', key: 'none', chat: 'none', cold: false, typed: true },
  { name: 'small card, warm', key: null, chat: 'small', cold: false, typed: true },
  { name: 'small card, worker stopped before the turn', key: 'cold', chat: 'small', cold: true, typed: true },
  { name: '5,000-entry lorebook, warm', key: 'warmBig', chat: 'big', cold: false, typed: true },
  { name: '5,000-entry lorebook, worker stopped before the turn', key: 'cold', chat: 'big', cold: true, typed: true },
  { name: '5,000-entry lorebook, worker stopped, message pasted and sent at once', key: null, chat: 'big', cold: true, typed: false },
];

export async function runRequestPathBench(): Promise<BenchRow[]> {
  if (!existsSync(resolve(EXTENSION_DIR, 'manifest.json'))) throw new Error(`request-path bench: build the extension first (pnpm build:e2e); ${EXTENSION_DIR} has no manifest`);
  const dir = await mkdtemp(join(tmpdir(), 'troupe-request-path-'));
  const llm = await startTestLlm();
  const stage = await startStage({ llmUrl: llm.url });
  const opened: Launched[] = [];
  try {
    const cardPath = join(dir, 'atlas.json');
    await writeFile(cardPath, bigBookCard());
    const b = await openBrowsers(stage.url, opened);
    // Three chats in the Troupe browser: none, small card, big card (NextChat puts new chats first).
    await openPanel(b.page);
    const chats: Record<Situation['chat'], string> = { none: '', small: '', big: '' };
    chats.none = await selectedId(b.page);
    await startNewChat(b.page);
    await createCharacter(b.page, 'Ferry', '{{char}} is a ferryman who answers in one sentence.');
    await activate(b.page, 'Ferry');
    chats.small = await selectedId(b.page);
    await startNewChat(b.page);
    await openSection(b.page, 'Characters');
    await panelBody(b.page).getByLabel('Import cards').setInputFiles(cardPath);
    await panelBody(b.page).getByRole('status', { name: 'Import status' }).filter({ hasText: 'Imported 1 of 1 file.' }).waitFor({ timeout: 60_000 });
    await activate(b.page, 'Atlas');
    chats.big = await selectedId(b.page);

    const rows: BenchRow[] = [];
    const stored: Record<Situation['chat'], number> = { none: 0, small: 0, big: 0 };
    let memory: BenchRow[] = [];
    let n = 0;
    for (const situation of SITUATIONS) {
      await b.page.locator(`${NC.sessionItem}[data-rfd-draggable-id="${chats[situation.chat]}"]`).click();
      await b.page.locator(NC.input).waitFor();
      const troupe: number[] = [];
      const plain: number[] = [];
      // One untimed turn first: the chat's first build, the connection, the JIT.
      for (let i = -1; i < TURNS; i++) {
        n += 1;
        // A place name the big book knows, so its entries fire as in a real chat.
        const text = `Tell me about place${(n * 37) % BIG_BOOK_ENTRIES} today, turn ${n}`;
        if (situation.cold) await stopExtensionWorker(b.troupe.context, b.page);
        const t = await turn(llm, b.page, text, situation.typed);
        if (situation.chat !== 'none') await repliesStored(b.page, (stored[situation.chat] += 1));
        const p = await turn(llm, b.plainPage, `${text} (plain)`, situation.typed);
        if (i >= 0) { troupe.push(t); plain.push(p); }
      }
      if (situation.chat !== 'none' && !llm.requests.some((r) => r.rawBody.includes('fictional chat between'))) {
        throw new Error(`request-path bench: no request in "${situation.name}" carried the character`);
      }
      rows.push(...situationRows(situation, troupe, plain));
      if (situation.name === '5,000-entry lorebook, warm') memory = await memoryRows(b);
    }
    return [...rows, ...memory];
  } finally {
    for (const browser of opened.reverse()) await browser.close();
    await stage.close();
    await llm.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function openBrowsers(stageUrl: string, opened: Launched[]): Promise<Browsers> {
  const plain = await launchChromium({});
  opened.push(plain);
  const troupe = await launchChromium({ extensionDir: EXTENSION_DIR });
  opened.push(troupe);
  const plainPage = await plain.context.newPage();
  const page = await troupe.context.newPage();
  await plainPage.addInitScript(enterRecorder);
  await page.addInitScript(enterRecorder);
  await openChat(plainPage, stageUrl);
  await openChat(page, stageUrl);
  return { plain, plainPage, troupe, page };
}

async function selectedId(page: Page): Promise<string> {
  const id = await page.locator(NC.selectedSession).getAttribute('data-rfd-draggable-id');
  if (!id) throw new Error('request-path bench: no selected chat');
  return id;
}

function situationRows(situation: Situation, troupe: number[], plain: number[]): BenchRow[] {
  const row = (p: number): BenchRow => {
    const value = percentile(troupe, p);
    const reference = percentile(plain, p);
    return { name: `${situation.name}: Enter to request p${p} (vs no extension), ${troupe.length} turns`, unit: 'ms', value: round(value), reference: round(reference), ratio: round(reference / value) };
  };
  const added95 = percentile(troupe, 95) - percentile(plain, 95);
  const rows = [row(50), row(95),
    { name: `${situation.name}: added p50 (Troupe - none)`, unit: 'ms', value: round(percentile(troupe, 50) - percentile(plain, 50)) },
    { name: `${situation.name}: added p95 (Troupe - none)`, unit: 'ms', value: round(added95) }];
  if (situation.key) {
    const target = TARGETS[situation.key];
    rows.push({ name: `${situation.name}: added p95 target (<= ${target} ms met: 1 = yes)`, unit: 'bool', value: added95 <= target ? 1 : 0 });
  }
  return rows;
}

async function memoryRows(b: Browsers): Promise<BenchRow[]> {
  const [withTroupe, without, documents] = await Promise.all([chromiumMemory(b.troupe.userDataDir), chromiumMemory(b.plain.userDataDir), offscreenDocuments(b.page)]);
  const mb = (kb: number) => round(kb / 1024);
  const addedKb = withTroupe.totalKb - without.totalKb;
  return [
    { name: 'memory: whole Chromium (PSS) with Troupe and the 5,000-entry character active (vs no extension)', unit: 'MB', value: mb(withTroupe.totalKb), reference: mb(without.totalKb), ratio: round(without.totalKb / withTroupe.totalKb) },
    { name: 'memory: of which the extension process (service worker, and the offscreen document with its summary worker when open)', unit: 'MB', value: mb(withTroupe.extensionKb) },
    { name: 'memory: offscreen documents open', unit: 'documents', value: documents },
    { name: 'memory: added by Troupe (Troupe Chromium - plain Chromium)', unit: 'MB', value: mb(addedKb) },
    { name: `memory: added target (< ${MEMORY_TARGET_MB} MB met: 1 = yes)`, unit: 'bool', value: addedKb / 1024 < MEMORY_TARGET_MB ? 1 : 0 },
  ];
}

/**
 * `pnpm bench`: runs each benchmark, prints its table with the same-run reference, and writes the rows
 * to bench-results/<name>.json so a change can be compared. `pnpm bench <name>` runs only those whose
 * name contains <name>. The relay's benchmark runs as its own process (sync-server/bench/run.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBenchTable } from '../../shared/bench/report.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { runLoreBench } from '../../shared/bench/lore.bench.ts';
import { runPromptBench } from '../../shared/bench/prompt.bench.ts';
import { runPromptBrowserBench } from './prompt-browser.bench.ts';
import { runRequestPathBench } from './request-path.bench.ts';
import { runLibraryBench } from './library.bench.ts';
import { runPromptServiceBench } from './prompt-service.bench.ts';
import { runMemoryBench } from './memory.bench.ts';
import { runMemoryChromiumBench } from './memory-chromium.bench.ts';
import { runSyncFirstBench } from './sync-first.bench.ts';
import { runVoiceBench } from './voice.bench.ts';
import { runPacksChromiumBench } from './packs-chromium.bench.ts';

const BENCHES: { name: string; title: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'lore', title: 'Lorebook activation (Node): 5,000 entries, 10% regex keys, recursion, 500 messages', run: () => runLoreBench() },
  { name: 'prompt-node', title: 'Prompt build (Node): 5,000-entry lorebook, 500-message history', run: () => runPromptBench() },
  { name: 'prompt-service', title: 'Prompt service request path (Node): chat + global + character books, 5,000-entry global book, 500 messages', run: () => runPromptServiceBench() },
  { name: 'memory', title: 'Memory (Node): 500-message chat, 50 planted facts, 16,000-token context', run: () => runMemoryBench() },
  { name: 'memory-chromium', title: 'Memory in Chromium: a 2,000-message chat summarised by Troupe; long tasks in the page and memory (stage page, extension vs none, same run; needs pnpm build:e2e)', run: () => runMemoryChromiumBench() },
  { name: 'prompt-chromium', title: 'Prompt build (headless Chromium): same input', run: () => runPromptBrowserBench() },
  { name: 'library', title: 'Character library (Chromium, 1,000 imported, 10,000 listed; needs pnpm build)', run: () => runLibraryBench() },
  { name: 'sync-first', title: 'First sync of a big library (Node, fake-indexeddb, real relay on 127.0.0.1)', run: () => runSyncFirstBench() },
  { name: 'voice', title: 'Voice (headless Chromium, real Silero VAD, fake microphone looping an espeak-ng sentence, test STT/TTS on 127.0.0.1; needs pnpm build:e2e)', run: () => runVoiceBench() },
  { name: 'packs-chromium', title: 'Packs in Chromium: 10 characters with ~1 MB avatars shared by link between two unpaired profiles, real relay on 127.0.0.1 (needs pnpm build:e2e)', run: () => runPacksChromiumBench() },
  { name: 'request-path', title: 'Request path: Enter to request leaving the page (stage page, extension vs none, same run; needs pnpm build:e2e)', run: () => runRequestPathBench() },
];

const filter = process.argv[2] ?? '';
const outDir = resolve(import.meta.dirname, '../../bench-results');
mkdirSync(outDir, { recursive: true });
for (const bench of BENCHES.filter((b) => b.name.includes(filter))) {
  const rows = await bench.run();
  console.log(formatBenchTable(bench.title, rows));
  writeFileSync(resolve(outDir, `${bench.name}.json`), JSON.stringify({ bench: bench.name, at: new Date().toISOString(), node: process.version, rows }, null, 2));
}

const relay = spawnSync('tsx', [resolve(import.meta.dirname, '../../sync-server/bench/run.ts'), filter], { stdio: 'inherit' });
process.exitCode = relay.status ?? 1;

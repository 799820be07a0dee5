/**
 * `pnpm bench` (relay side), loopback only: the sync relay against @y/websocket-server, and packs
 * (sealing, upload, open, the relay's memory per pack). `pnpm bench <name>` runs those whose name
 * contains <name>, like the extension's runner.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBenchTable } from '../../shared/bench/report.ts';
import type { BenchRow } from '../../shared/bench/types.ts';
import { runPacksBench } from './packs.bench.ts';
import { runRelayBench } from './relay.bench.ts';

const BENCHES: { name: string; title: string; run: () => Promise<BenchRow[]> }[] = [
  { name: 'relay', title: 'Sync relay vs @y/websocket-server (reference), loopback', run: () => runRelayBench() },
  { name: 'packs', title: 'Packs: 10 characters with 1 MB avatars, sealed in Node, relay on loopback', run: () => runPacksBench() },
];

const filter = process.argv[2] ?? '';
const outDir = resolve(import.meta.dirname, '../../bench-results');
for (const bench of BENCHES.filter((b) => b.name.includes(filter))) {
  const rows = await bench.run();
  console.log(formatBenchTable(bench.title, rows));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, `${bench.name}.json`), JSON.stringify({ bench: bench.name, at: new Date().toISOString(), node: process.version, rows }, null, 2));
}

/** `pnpm bench` (relay side): this relay against @y/websocket-server, same run, loopback only. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatBenchTable } from '../../shared/bench/report.ts';
import { runRelayBench } from './relay.bench.ts';

const filter = process.argv[2] ?? '';
if ('relay'.includes(filter)) {
  const rows = await runRelayBench();
  console.log(formatBenchTable('Sync relay vs @y/websocket-server (reference), loopback', rows));
  const outDir = resolve(import.meta.dirname, '../../bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(resolve(outDir, 'relay.json'), JSON.stringify({ bench: 'relay', at: new Date().toISOString(), node: process.version, rows }, null, 2));
}

import type { BenchRow } from './types.ts';

/**
 * Formats bench rows as a plain-text table: each figure with its same-run reference and the ratio
 * (reference / value, so > 1 means faster or smaller than the reference).
 */
export function formatBenchTable(title: string, rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.name,
    `${fmt(row.value)} ${row.unit}`,
    row.reference === undefined ? '' : `${fmt(row.reference)} ${row.unit}`,
    row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}x`,
  ]);
  const header = ['measure', 'value', 'reference (same run)', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  return [`\n${title}`, line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

function fmt(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toPrecision(3);
}

// Helpers of docs/BENCHMARKS.md's text: markdown tables, medians and units.
import type { ContenderId } from '../contenders.ts';
import type { BenchResults, RunRecord, StartupRecord } from '../results.ts';
import { summarize, type Summary } from '../stats.ts';

export const cpuOf = (r: RunRecord) => r.userMs + r.sysMs + r.detachedCpuMs;

export const med = (values: number[]) => summarize(values).median;

export const mib = (kb: number) => `${(kb / 1024).toFixed(0)} MiB`;

export const yes = (ok: boolean) => (ok ? '**met**' : '**missed**');

function row(cells: Array<string | number>): string {
  return `| ${cells.join(' | ')} |`;
}

export function table(header: string[], rows: Array<Array<string | number>>, align?: string[]): string {
  return [row(header), row(align ?? header.map(() => '---')), ...rows.map(row)].join('\n');
}

export function series(results: BenchResults, c: ContenderId, pick: (r: RunRecord) => number): Summary {
  return summarize(results.single[c].map(pick));
}

export function countRange(s: Summary): string {
  return s.min === s.max ? String(s.median) : `${s.median} (${s.min}–${s.max})`;
}

export const startupOf = (r: BenchResults, key: StartupRecord['key']) => r.startup.find((x) => x.key === key);

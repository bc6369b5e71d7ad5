import { ConfigError } from '../config/config-error.ts';
import { globToRegExp } from '../core/glob.ts';

export interface Shard {
  index: number;
  total: number;
}

// `I/N` with 1 <= I <= N, as vitest and Playwright take it.
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) throw new ConfigError([`--shard must be I/N with 1 <= I <= N (got '${text}')`]);
  return { index, total };
}

// The labs named by --host (names and globs, comma-separated) or --all, in name order. A name or
// glob that matches nothing is a usage error, so a typo never grades a smaller class silently.
export function selectLabs(known: string[], selection: { hosts?: string[]; all: boolean }): string[] {
  const sorted = [...known].sort();
  if (selection.all) return sorted;
  const chosen = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of selection.hosts ?? []) {
    const re = globToRegExp(pattern);
    const hits = sorted.filter((name) => re.test(name));
    if (hits.length === 0) unmatched.push(pattern);
    hits.forEach((h) => chosen.add(h));
  }
  if (unmatched.length > 0) throw new ConfigError([`no lab in the inventory matches ${unmatched.map((p) => `'${p}'`).join(', ')}`]);
  return sorted.filter((name) => chosen.has(name));
}

// This machine's part of the class: contiguous, nearly equal slices of the sorted labs, so that N
// machines given 1/N ... N/N grade every lab exactly once.
export function shardOf(labs: string[], shard: Shard): string[] {
  const start = Math.floor(((shard.index - 1) * labs.length) / shard.total);
  const end = Math.floor((shard.index * labs.length) / shard.total);
  return labs.slice(start, end);
}

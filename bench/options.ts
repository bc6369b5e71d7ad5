// `npm run bench`'s options and usage.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from './contenders.ts';

export const USAGE = `Usage: sudo npm run bench -- [--runs N] [--labs N] [--class-runs N] [--class-peers N] [--also-concurrency N]
                           [--warmup N] [--doc FILE] [--json FILE] [--from-json FILE] [--key-decryption]
  --runs N         measured runs per contender on one lab, after the warm-up (default 5)
  --warmup N       unrecorded runs per contender first (default 1)
  --labs N         labs in the class (default 20; 1 skips the class part)
  --class-runs N   runs of the grader on the whole class at once (default 1)
  --also-concurrency N
                   one more class run with --concurrency N (default 4; 0: none)
  --class-peers N  labs the shell script and Testinfra grade one after another; fewer than --labs
                   scales their class figures up to --labs (default 5: each takes ~10-17 s a lab)
  --doc FILE       where the report goes (default docs/BENCHMARKS.md)
  --json FILE      also write the raw results as JSON
  --from-json FILE measure nothing: write the report from the results a run saved with --json
  --key-decryption measure only one decryption of a key ssh-keygen encrypted (its defaults), --runs
                   times, by the grader and by ssh-keygen -y, and print it: no root, no lab, no file`;

export interface Options {
  runs: number;
  warmup: number;
  labs: number;
  classRuns: number;
  classPeers: number;
  alsoConcurrency: number;
  doc: string;
  json?: string;
  fromJson?: string;
  keyDecryptionOnly: boolean;
}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 200) throw new Error(`--${name} must be a whole number from ${min} to 200`);
  return n;
}

export function parseOptions(argv: string[]): Options | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' },
      warmup: { type: 'string' },
      labs: { type: 'string' },
      'class-runs': { type: 'string' },
      'class-peers': { type: 'string' },
      'also-concurrency': { type: 'string' },
      doc: { type: 'string' },
      json: { type: 'string' },
      'from-json': { type: 'string' },
      'key-decryption': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const labs = positive('labs', values.labs, 20);
  return {
    runs: positive('runs', values.runs, 5),
    warmup: positive('warmup', values.warmup, 1, 0),
    labs,
    classRuns: positive('class-runs', values['class-runs'], 1),
    alsoConcurrency: positive('also-concurrency', values['also-concurrency'], 4, 0),
    classPeers: Math.min(labs, positive('class-peers', values['class-peers'], Math.min(labs, 5))),
    doc: values.doc ?? join(REPO, 'docs', 'BENCHMARKS.md'),
    json: values.json,
    fromJson: values['from-json'],
    keyDecryptionOnly: values['key-decryption'] ?? false,
  };
}

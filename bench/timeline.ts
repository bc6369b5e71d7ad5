// When each part of grading one lab happens: `tsx bench/timeline.ts INVENTORY LAB CHECKS RUNS`
// grades the lab in-process (gradeLab, as the CLI does, without the process start and the
// reports) and times each check's start and end from the moment grading starts. Prints JSON
// Timeline[]. Phase ends are read from the results, whatever the grader runs concurrently or not.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCheckFile } from '../grader/config/check-file.ts';
import { credentialsFromEnv } from '../grader/config/credentials-from-env.ts';
import { loadEnvironment } from '../grader/config/environment.ts';
import { findLab, loadInventory } from '../grader/config/inventory.ts';
import { gradeLab } from '../grader/run/grade-lab.ts';
import { KnownHosts } from '../grader/transport/known-hosts.ts';

export interface TimedCheck {
  /** `id host`, or `id` for a check about the whole lab. */
  result: string;
  phase: string;
  startMs: number;
  endMs: number;
}

export interface Timeline {
  durationMs: number;
  checks: TimedCheck[];
}

async function timelines(inventoryPath: string, name: string, checksPath: string, runs: number): Promise<Timeline[]> {
  const lab = findLab(await loadInventory(inventoryPath), name);
  const checks = await loadCheckFile(checksPath);
  const phaseOf = new Map(checks.map((c) => [c.id, c.kind.phase]));
  const env = loadEnvironment(inventoryPath);
  if (!env.GRADER_KNOWN_HOSTS) throw new Error(`no GRADER_KNOWN_HOSTS in the .env beside ${inventoryPath}`);
  const options = { credentials: credentialsFromEnv(env), knownHosts: await KnownHosts.load(env.GRADER_KNOWN_HOSTS), hostKeyPolicy: 'strict' as const };
  const out: Timeline[] = [];
  for (let i = 0; i < runs; i++) {
    const timed: TimedCheck[] = [];
    const started = performance.now();
    const report = await gradeLab(lab, checks, {
      ...options,
      onResult: (r) => {
        const endMs = performance.now() - started;
        timed.push({ result: r.host === 'lab' ? r.id : `${r.id} ${r.host}`, phase: phaseOf.get(r.id) ?? '?', startMs: endMs - r.durationMs, endMs });
      },
    });
    out.push({ durationMs: report.durationMs, checks: timed });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const [inventory, name, checks, runs] = process.argv.slice(2);
  if (!inventory || !name || !checks) {
    process.stderr.write('usage: tsx bench/timeline.ts INVENTORY LAB CHECKS [RUNS]\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(await timelines(inventory, name, checks, Number(runs ?? 3)))}\n`);
}

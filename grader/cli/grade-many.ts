import { gradeClass } from '../class/grade-class.ts';
import { createProgress } from '../class/progress.ts';
import { resolveShard } from '../class/engine-shard.ts';
import { selectLabs, shardOf } from '../class/select-labs.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import type { CliArgs } from './args.ts';
import { allPassed, classSummary, writeClassFiles } from './class-files.ts';

// A class: the selected labs (this shard of them) graded concurrently, each lab's reports written
// as it finishes, then the class files rebuilt from every lab's report. Exit 0 only if all passed.
export async function gradeMany(args: CliArgs, checks: CheckSpec[], connectOptions: () => Promise<GradeLabOptions>): Promise<number> {
  const shard = args.shard ? resolveShard(args.shard, process.env) : undefined;
  const inventory = await loadInventory(args.inventory);
  const selected = selectLabs([...inventory.labs.keys()], { hosts: args.hosts, all: args.all });
  const names = shard ? shardOf(selected, shard) : selected;
  const options = await connectOptions();
  const startedAt = new Date();
  const started = performance.now();
  const progress = createProgress(process.stdout, names);
  const reports = await gradeClass(
    names.map((name) => inventory.labs.get(name)!),
    checks,
    { ...options, outDir: args.out, junitFlavor: args.junitFlavor, concurrency: args.concurrency, resume: args.resume, retryErrors: args.retryErrors, progress },
  );
  progress.close();
  const paths = await writeClassFiles(
    reports,
    { startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started) },
    { out: args.out, roster: args.roster, junitFlavor: args.junitFlavor, gradescope: args.gradescope, checkIds: [...new Set(checks.map((c) => c.id))] },
  );
  process.stdout.write(classSummary(reports, paths, `${names.length} labs${shard ? ` (shard ${shard.index}/${shard.total})` : ''}`));
  return allPassed(reports) ? 0 : 1;
}

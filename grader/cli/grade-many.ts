import { writeClassReports } from '../class-report/write-class-reports.ts';
import { loadRoster } from '../class-report/roster.ts';
import { gradeClass } from '../class/grade-class.ts';
import { createProgress } from '../class/progress.ts';
import { parseShard, selectLabs, shardOf } from '../class/select-labs.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';

// A class: the selected labs (this shard of them) graded concurrently, each lab's reports written
// as it finishes, then the class files rebuilt from every lab's report. Exit 0 only if all passed.
export async function gradeMany(args: CliArgs, checks: CheckSpec[], connectOptions: () => Promise<GradeLabOptions>, found?: Map<string, LabTarget>): Promise<number> {
  const shard = args.shard ? parseShard(args.shard) : undefined;
  const inventory = found ? { labs: found } : await loadInventory(args.inventory);
  const roster = args.roster ? await loadRoster(args.roster) : undefined;
  // Labs found on a hypervisor: all of them unless --host names some.
  const selected = selectLabs([...inventory.labs.keys()], { hosts: args.hosts, all: args.all || (found !== undefined && !args.hosts) });
  const names = shard ? shardOf(selected, shard) : selected;
  const options = await connectOptions();
  const startedAt = new Date();
  const started = performance.now();
  const progress = createProgress(process.stdout, names);
  const reports = await gradeClass(
    names.map((name) => inventory.labs.get(name)!),
    checks,
    { ...options, outDir: args.out, junitFlavor: args.junitFlavor, concurrency: args.concurrency, resume: args.resume, progress, measureConcurrency: args.measureConcurrency },
  );
  progress.close();
  const paths = await writeClassReports(
    {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      labs: reports.map((report) => ({ lab: report.lab, student: roster?.get(report.lab), report })),
    },
    args.out,
    { checkIds: [...new Set(checks.map((c) => c.id))], junitFlavor: args.junitFlavor, gradescope: args.gradescope },
  );
  const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
  const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
  process.stdout.write(
    `${names.length} labs${shard ? ` (shard ${shard.index}/${shard.total})` : ''}: ${perfect} passed every check, ${ungraded} could not be graded\n` +
      `Class reports: ${[paths.junit, paths.gradebook, paths.html].join(' ')}\n`,
  );
  return perfect === reports.length ? 0 : 1;
}

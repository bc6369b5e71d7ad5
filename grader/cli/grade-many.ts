import { removeClassFiles, writeClassReports } from '../class-report/write-class-reports.ts';
import { loadRoster } from '../class-report/roster.ts';
import { gradeClass } from '../class/grade-class.ts';
import { createProgress } from '../class/progress.ts';
import { parseShard, selectLabs, shardOf } from '../class/select-labs.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import { describeWriteError, probeOutDir } from '../report/out-dir.ts';
import type { CliArgs } from './args.ts';
import { EXIT_REPORTS_NOT_WRITTEN } from './exit-codes.ts';
import { output } from './output.ts';

// A class: the selected labs (this shard of them) graded concurrently, each lab's reports written
// as it finishes, then the class files rebuilt from every lab's report. Exit 0 only if all passed.
export async function gradeMany(args: CliArgs, checks: CheckSpec[], connectOptions: () => Promise<GradeLabOptions>): Promise<number> {
  const shard = args.shard ? parseShard(args.shard) : undefined;
  const inventory = await loadInventory(args.inventory);
  const roster = args.roster ? await loadRoster(args.roster) : undefined;
  const selected = selectLabs([...inventory.labs.keys()], { hosts: args.hosts, all: args.all });
  const names = shard ? shardOf(selected, shard) : selected;
  await probeOutDir(args.out);
  const options = await connectOptions();
  // The earlier run's class files would look current while this one grades, or if it stops.
  await removeClassFiles(args.out);
  const writeErrors = new Map<string, string>();
  const startedAt = new Date();
  const started = performance.now();
  const progress = createProgress({ isTTY: output.stdout.isTTY, write: output.stdout.styled }, names);
  const reports = await gradeClass(
    names.map((name) => inventory.labs.get(name)!),
    checks,
    { ...options, outDir: args.out, junitFlavor: args.junitFlavor, concurrency: args.concurrency, resume: args.resume, progress, writeErrors },
  );
  progress.close();
  const classReports = writeClassReports(
    {
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      labs: reports.map((report) => ({ lab: report.lab, student: roster?.get(report.lab), report })),
    },
    args.out,
    { checkIds: [...new Set(checks.map((c) => c.id))], junitFlavor: args.junitFlavor, gradescope: args.gradescope },
  ).catch(async (error: unknown) => {
    await removeClassFiles(args.out).catch(() => undefined);
    return describeWriteError(error);
  });
  const paths = await classReports;
  const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
  const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
  output.stdout.text(
    `${names.length} labs${shard ? ` (shard ${shard.index}/${shard.total})` : ''}: ${perfect} passed every check, ${ungraded} could not be graded\n` +
      (typeof paths === 'string' ? '' : `Class reports: ${[paths.junit, paths.gradebook, paths.html].join(' ')}\n`),
  );
  const where = typeof paths === 'string' ? 'its score is in its line above' : 'its results are in the class files';
  for (const [lab, problem] of writeErrors) output.stderr.line(`router-lab-grader: ${lab}: ${problem}; ${where}`);
  if (typeof paths === 'string') output.stderr.line(`router-lab-grader: the class files could not be written to ${args.out} (${paths}); none is left from an earlier run`);
  if (writeErrors.size > 0 || typeof paths === 'string') return EXIT_REPORTS_NOT_WRITTEN;
  return perfect === reports.length ? 0 : 1;
}

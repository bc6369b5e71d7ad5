import { collectClass, classSpan } from '../class-report/collect-class.ts';
import { removeClassFiles, writeClassReports } from '../class-report/write-class-reports.ts';
import { loadRoster, rosterMismatch, rosterWarnings } from '../class-report/roster.ts';
import { gradeClass } from '../class/grade-class.ts';
import { createProgress } from '../class/progress.ts';
import { resolveShard } from '../class/engine-shard.ts';
import { selectLabs, shardOf } from '../class/select-labs.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import { refuseStaleLabs } from '../config/lab-origin.ts';
import { describeWriteError, probeOutDir } from '../report/out-dir.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { EXIT_REPORTS_NOT_WRITTEN } from './exit-codes.ts';
import { output } from './output.ts';

const warn = (line: string): void => output.stderr.line(`router-lab-grader: ${line}`);

// A class: the selected labs (this shard of them) graded concurrently, each lab's reports written
// as it finishes, then the class files rebuilt from the report of every lab of the inventory (or
// found on the hypervisor) that has one in --out (graded now, by an earlier run or by another
// shard), naming those that have none yet. Exit 0 only if every lab graded now passed every check.
export async function gradeMany(args: CliArgs, checks: CheckSpec[], connectOptions: (labs: readonly LabTarget[]) => Promise<GradeLabOptions>, found?: Map<string, LabTarget>): Promise<number> {
  const shard = args.shard ? resolveShard(args.shard, process.env) : undefined;
  const inventory = found ? { labs: found } : await loadInventory(args.inventory);
  const roster = args.roster ? await loadRoster(args.roster) : undefined;
  const everyLab = selectLabs([...inventory.labs.keys()], { all: true });
  // Labs found on a hypervisor: all of them unless --host names some.
  const selected = selectLabs(everyLab, { hosts: args.hosts, all: args.all || (found !== undefined && !args.hosts) });
  const names = shard ? shardOf(selected, shard) : selected;
  await refuseStaleLabs(inventory, names);
  if (names.length === 0) {
    // More shards than labs (a CI matrix wider than the class): nothing to do, nothing to spoil.
    warn(`shard ${shard!.index}/${shard!.total} of ${selected.length} labs is empty: nothing graded, class files in ${args.out} left as they are`);
    return 0;
  }
  await probeOutDir(args.out);
  const options = await connectOptions(names.map((name) => inventory.labs.get(name)!));
  // The earlier run's class files would look current while this one grades, or if it stops.
  await removeClassFiles(args.out);
  const writeErrors = new Map<string, string>();
  const startedAt = new Date();
  const started = performance.now();
  const progress = createProgress({ isTTY: output.stdout.isTTY, write: output.stdout.styled }, names);
  const reports = await gradeClass(
    names.map((name) => inventory.labs.get(name)!),
    checks,
    { ...options, outDir: args.out, junitFlavor: args.junitFlavor, concurrency: args.concurrency, resume: args.resume, retryErrors: args.retryErrors, progress, writeErrors, measureConcurrency: args.measureConcurrency },
  );
  progress.close();
  const run = { startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started) };
  const collected = await collectClass(everyLab, args.out, new Map(reports.map((report) => [report.lab, report])), options.provenance);
  const mismatch = roster ? rosterMismatch(roster, everyLab, collected.reports.map((r) => r.lab)) : undefined;
  for (const line of mismatch ? rosterWarnings(mismatch) : []) warn(line);
  const paths = await writeClassReports(
    {
      ...classSpan(collected.reports, run),
      lastRun: run,
      labs: collected.reports.map((report) => ({ lab: report.lab, student: roster?.get(report.lab), report })),
      missing: collected.missing,
      ...(collected.otherChecks.length > 0 ? { otherChecks: collected.otherChecks } : {}),
      ...(mismatch ? { roster: mismatch } : {}),
    },
    args.out,
    { checkIds: [...new Set(checks.map((c) => c.id))], junitFlavor: args.junitFlavor, gradescope: args.gradescope, excel: args.excel },
  ).catch(async (error: unknown) => {
    await removeClassFiles(args.out).catch(() => undefined);
    return describeWriteError(error);
  });
  const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
  const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
  const others = collected.reports.length - reports.length;
  const missing = collected.missing.length;
  output.stdout.text(
    `${names.length} labs${shard ? ` (shard ${shard.index}/${shard.total})` : ''}: ${perfect} passed every check, ${ungraded} could not be graded\n` +
      `Class files cover ${collected.reports.length} of ${everyLab.length} labs${others > 0 ? ` (${others} from reports already in ${args.out})` : ''}${missing > 0 ? `; ${missing} have no report yet` : ''}` +
      `${collected.otherChecks.length > 0 ? `; ${collected.otherChecks.length} left out, graded with other checks or another --only` : ''}\n` +
      (typeof paths === 'string' ? '' : `Class reports: ${[paths.junit, paths.gradebook, paths.html].join(' ')}\n`),
  );
  const where = typeof paths === 'string' ? 'its score is in its line above' : 'its results are in the class files';
  for (const [lab, problem] of writeErrors) warn(`${lab}: ${problem}; ${where}`);
  if (typeof paths === 'string') warn(`the class files could not be written to ${args.out} (${paths}); none is left from an earlier run`);
  if (writeErrors.size > 0 || typeof paths === 'string') return EXIT_REPORTS_NOT_WRITTEN;
  return perfect === reports.length ? 0 : 1;
}

import { removeClassFiles } from '../class-report/write-class-reports.ts';
import { gradeClass } from '../class/grade-class.ts';
import { createProgress } from '../class/progress.ts';
import { resolveShard } from '../class/engine-shard.ts';
import { selectLabs, shardOf } from '../class/select-labs.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import { gradingDifference, sameGrading } from '../core/same-grading.ts';
import { refuseStaleLabs } from '../config/lab-origin.ts';
import { describeWriteError, probeOutDir } from '../report/out-dir.ts';
import type { KeptReport } from '../report/read-report.ts';
import { writeReports } from '../report/write-reports.ts';
import type { GradeLabOptions } from '../run/grade-lab.ts';
import { exportClassFiles } from '../store/class-exports.ts';
import type { CourseStore } from '../store/course-store.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { applyCourseSettings, openCourseRecord, planLookup, recordReport, warnRosterProblems } from './course-record.ts';
import { checksForLab } from '../plan/plan-checks.ts';
import { EXIT_NOTHING_GRADED, EXIT_REPORTS_NOT_WRITTEN, gradedExit } from './exit-codes.ts';
import { output } from './output.ts';

const warn = (line: string): void => output.stderr.line(`router-lab-grader: ${line}`);

// The lab's latest complete attempt graded the way this run grades, for --resume.
async function keptAttempt(store: CourseStore, lab: string, provenance: GradeLabOptions['provenance']): Promise<KeptReport | undefined> {
  const attempts = await store.attempts({ labs: [lab] });
  const complete = attempts.filter((a) => a.status === 'complete' && a.report);
  const same = complete.filter((a) => sameGrading(a.report!.provenance, provenance));
  if (same.length > 0) return { ok: true, report: same.at(-1)!.report! };
  return complete.length > 0 ? { ok: false, reason: gradingDifference(complete.at(-1)!.report!.provenance, provenance!) } : undefined;
}

// A class: the selected labs (this shard of them) graded concurrently, each lab recorded in the
// course record and its reports written as it finishes, then the class files drawn from the record
// for every lab of the inventory (or found on the hypervisor): graded now, by an earlier run or by
// another shard, naming those that have none yet. Exit 0 only if every lab graded now passed.
export async function gradeMany(args: CliArgs, checks: CheckSpec[], connectOptions: (labs: readonly LabTarget[]) => Promise<GradeLabOptions>, found?: Map<string, LabTarget>): Promise<number> {
  const shard = args.shard ? resolveShard(args.shard, process.env) : undefined;
  const inventory = found ? { labs: found } : await loadInventory(args.inventory);
  const everyLab = selectLabs([...inventory.labs.keys()], { all: true });
  // Labs found on a hypervisor: all of them unless --host names some.
  const selected = selectLabs(everyLab, { hosts: args.hosts, all: args.all || (found !== undefined && !args.hosts) });
  const names = shard ? shardOf(selected, shard) : selected;
  await refuseStaleLabs(inventory, names);
  if (names.length === 0) {
    // More shards than labs (a CI matrix wider than the class): nothing to do, nothing to spoil.
    warn(`shard ${shard!.index}/${shard!.total} of ${selected.length} labs is empty: nothing graded, class files in ${args.out} left as they are`);
    return EXIT_NOTHING_GRADED;
  }
  await probeOutDir(args.out);
  const store = await openCourseRecord(args);
  try {
    const roster = await applyCourseSettings(store, args);
    // Before grading: a typo in the roster is worth fixing before an hour of grading.
    warnRosterProblems(roster, found ? undefined : everyLab, everyLab);
    const plans = await planLookup(store, roster);
    const options = await connectOptions(names.map((name) => inventory.labs.get(name)!));
    // The earlier run's class files would look current while this one grades, or if it stops.
    await removeClassFiles(args.out);
    const writeErrors = new Map<string, string>();
    const startedAt = new Date();
    const started = performance.now();
    const progress = createProgress({ isTTY: output.stdout.isTTY, write: output.stdout.styled }, names);
    const command = shard ? 'shard' : args.resume ? 'resume' : 'class';
    const gradedNow = new Set<string>();
    const reports = await gradeClass(
      names.map((name) => inventory.labs.get(name)!),
      checks,
      {
        ...options,
        outDir: args.out,
        junitFlavor: args.junitFlavor,
        concurrency: args.concurrency,
        resume: args.resume,
        retryErrors: args.retryErrors,
        progress,
        writeErrors,
        measureConcurrency: args.measureConcurrency,
        record: (report) => {
          gradedNow.add(report.lab);
          return recordReport(store, report, { command, ...(roster ? { roster } : {}) });
        },
        kept: (lab) => keptAttempt(store, lab, options.provenance),
        checksFor: (lab) => checksForLab(checks, plans.of(lab)),
      },
    );
    progress.close();
    // The labs kept from the record: their JSON and JUnit exports drawn again from it (an edited or
    // deleted export is put right).
    for (const report of reports.filter((r) => !gradedNow.has(r.lab))) {
      await writeReports(report, args.out, { junitFlavor: args.junitFlavor }).catch((error: unknown) => writeErrors.set(report.lab, `its reports could not be written (${describeWriteError(error)})`));
    }
    const run = { startedAt: startedAt.toISOString(), durationMs: Math.round(performance.now() - started), graded: gradedNow.size, kept: reports.length - gradedNow.size };
    const exported = await exportClassFiles(store, args.out, {
      classLabs: everyLab,
      ...(options.provenance ? { provenance: options.provenance } : {}),
      lastRun: run,
      checkIds: [...new Set(checks.map((c) => c.id))],
      junitFlavor: args.junitFlavor,
      gradescope: args.gradescope,
      excel: args.excel,
    }).catch(async (error: unknown) => {
      await removeClassFiles(args.out).catch(() => undefined);
      return error instanceof Error && error.name === 'StoreError' ? error.message : describeWriteError(error);
    });
    const perfect = reports.filter((r) => r.summary.pass === r.summary.total).length;
    const ungraded = reports.filter((r) => r.summary.error === r.summary.total).length;
    const drawn = typeof exported === 'string' ? undefined : exported.drawn;
    const covered = drawn?.labs.length ?? 0;
    const others = covered - reports.filter((r) => drawn?.labs.some((l) => l.lab === r.lab)).length;
    const missing = drawn?.missing.length ?? 0;
    const otherChecks = drawn?.otherChecks.length ?? 0;
    output.stdout.text(
      `${names.length} labs${shard ? ` (shard ${shard.index}/${shard.total})` : ''}: ${perfect} passed every check, ${ungraded} could not be graded\n` +
        (drawn
          ? `Class files cover ${covered} of ${everyLab.length} labs${others > 0 ? ` (${others} from earlier gradings in the course record)` : ''}${missing > 0 ? `; ${missing} have no report yet` : ''}` +
            `${otherChecks > 0 ? `; ${otherChecks} left out, graded with other checks or another --only` : ''}\n`
          : '') +
        (typeof exported === 'string' ? '' : `Class reports: ${[exported.paths.junit, exported.paths.gradebook, exported.paths.html].join(' ')}\n`),
    );
    const where = typeof exported === 'string' ? 'its score is in its line above' : 'its results are in the class files';
    for (const [lab, problem] of writeErrors) warn(`${lab}: ${problem}; ${where}`);
    if (typeof exported === 'string') warn(`the class files could not be written to ${args.out} (${exported}); none is left from an earlier run`);
    if (writeErrors.size > 0 || typeof exported === 'string') return EXIT_REPORTS_NOT_WRITTEN;
    return gradedExit(perfect === reports.length);
  } finally {
    await store.close();
  }
}

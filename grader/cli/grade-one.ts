import { join } from 'node:path';
import { renderGradescopeResults } from '../class-report/gradescope.ts';
import { removeClassFiles } from '../class-report/write-class-reports.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { loadInventory } from '../config/inventory.ts';
import { renderConsole, shouldUseColor } from '../report/console.ts';
import { describeWriteError } from '../report/out-dir.ts';
import { writeFileAtomic } from '../report/write-file-atomic.ts';
import { reportFileStem, writeReports } from '../report/write-reports.ts';
import { gradeLab, plannedResults, type GradeLabOptions } from '../run/grade-lab.ts';
import { exportClassFiles, hasClassFiles } from '../store/class-exports.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { applyCourseSettings, fileExists, openCourseRecord, planLookup, recordReport, warnRosterProblems } from './course-record.ts';
import { checksForLab } from '../plan/plan-checks.ts';
import { EXIT_REPORTS_NOT_WRITTEN, gradedExit } from './exit-codes.ts';
import { output } from './output.ts';
import { createLabProgress } from './lab-progress.ts';

const warn = (line: string): void => output.stderr.line(`router-lab-grader: ${line}`);

// One lab: grade it, print the console summary, record it in the course record, write its reports,
// and rebuild the class files when --out has them (a lab regraded after the class run). Exit 0
// only if all passed.
export async function gradeOne(lab: LabTarget, args: CliArgs, checks: CheckSpec[], options: GradeLabOptions, classLabs?: readonly string[]): Promise<number> {
  const store = await openCourseRecord(args);
  try {
    const roster = await applyCourseSettings(store, args);
    // The class of the inventory; none for a lab found on a hypervisor, or named as a host with no
    // inventory file at all (it was resolved without one).
    const inventoryLabs = args.hypervisor || !(await fileExists(args.inventory)) ? undefined : [...(await loadInventory(args.inventory)).labs.keys()];
    const everyLab = classLabs ?? inventoryLabs;
    const rebuild = args.roster !== undefined || (await hasClassFiles(args.out));
    if (rebuild) warnRosterProblems(roster, everyLab, everyLab ?? [lab.name]);
    const labChecks = checksForLab(checks, (await planLookup(store, roster)).of(lab.name));
    // On a terminal, what is being graded while it is (stderr; erased before the report).
    const progress = createLabProgress(output.stderr, lab.name, plannedResults(labChecks).length, { columns: process.stderr.columns || 80 });
    let report;
    try {
      report = await gradeLab(lab, labChecks, {
        ...options,
        ...(progress
          ? {
              onStart: (check) => progress.started(check),
              onResult: (result) => {
                options.onResult?.(result);
                progress.finished(result);
              },
            }
          : {}),
      });
    } finally {
      progress?.close();
    }
    // Printed first: a disk that filled up meanwhile must not lose the verdicts.
    const width = output.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {};
    output.stdout.styled(`${renderConsole(report, { color: shouldUseColor(output.stdout, process.env), ...width })}\n`);
    const unrecorded = await recordReport(store, report, { command: 'grade', ...(roster ? { roster } : {}) });
    if (unrecorded) warn(`${report.lab}: ${unrecorded}; its results are above`);
    try {
      const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
      // Gradescope grades one submission per container: its results.json is one lab's.
      const gradescope = args.gradescope ? (args.gradescopeOut ?? join(args.out, 'gradescope', reportFileStem(report.lab), 'results.json')) : undefined;
      if (gradescope) await writeFileAtomic(gradescope, renderGradescopeResults({ lab: report.lab, report }), { root: args.out });
      output.stdout.text(`Reports: ${[paths.junitPath, paths.jsonPath, ...(gradescope ? [gradescope] : [])].join(' ')}\n`);
      if (rebuild && !unrecorded) {
        const { paths: classPaths, drawn } = await exportClassFiles(store, args.out, {
          ...(everyLab ? { classLabs: everyLab } : {}),
          ...(options.provenance ? { provenance: options.provenance } : {}),
          checkIds: [...new Set(checks.map((c) => c.id))],
          junitFlavor: args.junitFlavor,
          excel: args.excel,
        });
        output.stdout.text(`Class files (${drawn.labs.length} labs) rebuilt: ${[classPaths.junit, classPaths.gradebook, classPaths.html].join(' ')}\n`);
      }
    } catch (error) {
      // No class file is left half current: a regrade that could not reach them removes them.
      if (rebuild) await removeClassFiles(args.out).catch(() => undefined);
      const why = error instanceof Error && error.name === 'StoreError' ? error.message : describeWriteError(error);
      warn(`the reports of ${report.lab} could not be written to ${args.out} (${why}); its results are above`);
      return EXIT_REPORTS_NOT_WRITTEN;
    }
    if (unrecorded) return EXIT_REPORTS_NOT_WRITTEN;
    return gradedExit(report.summary.pass === report.summary.total);
  } finally {
    await store.close();
  }
}

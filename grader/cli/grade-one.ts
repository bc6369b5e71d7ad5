import { join } from 'node:path';
import { renderGradescopeResults } from '../class-report/gradescope.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { renderConsole, shouldUseColor } from '../report/console.ts';
import { describeWriteError } from '../report/out-dir.ts';
import { writeFileAtomic } from '../report/write-file-atomic.ts';
import { reportFileStem, writeReports } from '../report/write-reports.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';
import { EXIT_REPORTS_NOT_WRITTEN, gradedExit } from './exit-codes.ts';
import { output } from './output.ts';

// One lab: grade it, print the console summary, write its reports. Exit 0 only if all passed.
export async function gradeOne(lab: LabTarget, args: CliArgs, checks: CheckSpec[], options: GradeLabOptions): Promise<number> {
  const report = await gradeLab(lab, checks, options);
  // Printed first: a disk that filled up meanwhile must not lose the verdicts.
  const width = output.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {};
  output.stdout.styled(`${renderConsole(report, { color: shouldUseColor(output.stdout, process.env), ...width })}\n`);
  try {
    const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
    // Gradescope grades one submission per container: its results.json is one lab's.
    const gradescope = args.gradescope ? (args.gradescopeOut ?? join(args.out, 'gradescope', reportFileStem(report.lab), 'results.json')) : undefined;
    if (gradescope) await writeFileAtomic(gradescope, renderGradescopeResults({ lab: report.lab, report }), { root: args.out });
    output.stdout.text(`Reports: ${[paths.junitPath, paths.jsonPath, ...(gradescope ? [gradescope] : [])].join(' ')}\n`);
  } catch (error) {
    output.stderr.line(`router-lab-grader: the reports of ${report.lab} could not be written to ${args.out} (${describeWriteError(error)}); its results are above`);
    return EXIT_REPORTS_NOT_WRITTEN;
  }
  return gradedExit(report.summary.pass === report.summary.total);
}

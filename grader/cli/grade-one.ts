import type { CheckSpec } from '../config/check-file.ts';
import { resolveLab } from '../config/resolve-lab.ts';
import { renderConsole, shouldUseColor } from '../report/console.ts';
import { writeReports } from '../report/write-reports.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import { describeWriteError, probeOutDir } from '../report/out-dir.ts';
import type { CliArgs } from './args.ts';
import { EXIT_REPORTS_NOT_WRITTEN } from './exit-codes.ts';
import { output } from './output.ts';

// One lab: grade it, write its reports, print the console summary. Exit 0 only if all passed.
export async function gradeOne(name: string, args: CliArgs, checks: CheckSpec[], connectOptions: () => Promise<GradeLabOptions>): Promise<number> {
  const lab = await resolveLab(args.inventory, name);
  await probeOutDir(args.out);
  const report = await gradeLab(lab, checks, await connectOptions());
  // Printed first: a disk that filled up meanwhile must not lose the verdicts.
  output.stdout.styled(`${renderConsole(report, { color: shouldUseColor(output.stdout, process.env) })}\n`);
  try {
    const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
    output.stdout.text(`Reports: ${paths.junitPath} ${paths.jsonPath}\n`);
  } catch (error) {
    output.stderr.line(`router-lab-grader: the reports of ${report.lab} could not be written to ${args.out} (${describeWriteError(error)}); its results are above`);
    return EXIT_REPORTS_NOT_WRITTEN;
  }
  return report.summary.pass === report.summary.total ? 0 : 1;
}

import type { CheckSpec } from '../config/check-file.ts';
import { renderConsole, shouldUseColor } from '../report/console.ts';
import { writeReports } from '../report/write-reports.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { CliArgs } from './args.ts';

// One lab: grade it, write its reports, print the console summary. Exit 0 only if all passed.
export async function gradeOne(lab: LabTarget, args: CliArgs, checks: CheckSpec[], options: GradeLabOptions): Promise<number> {
  const report = await gradeLab(lab, checks, options);
  const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
  process.stdout.write(`${renderConsole(report, { color: shouldUseColor(process.stdout, process.env) })}\n`);
  process.stdout.write(`Reports: ${paths.junitPath} ${paths.jsonPath}\n`);
  return report.summary.pass === report.summary.total ? 0 : 1;
}

import type { CheckSpec } from '../config/check-file.ts';
import { resolveLab } from '../config/resolve-lab.ts';
import type { LabTarget } from '../transport/targets.ts';
import { renderConsole, shouldUseColor } from '../report/console.ts';
import { join } from 'node:path';
import { renderGradescopeResults } from '../class-report/gradescope.ts';
import { writeFileAtomic } from '../report/write-file-atomic.ts';
import { reportFileStem, writeReports } from '../report/write-reports.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import type { CliArgs } from './args.ts';

// One lab: grade it, write its reports, print the console summary. Exit 0 only if all passed.
export async function gradeOne(name: string, args: CliArgs, checks: CheckSpec[], connectOptions: (labs: readonly LabTarget[]) => Promise<GradeLabOptions>): Promise<number> {
  const lab = await resolveLab(args.inventory, name);
  const report = await gradeLab(lab, checks, await connectOptions([lab]));
  const paths = await writeReports(report, args.out, { junitFlavor: args.junitFlavor });
  // Gradescope grades one submission per container: its results.json is one lab's.
  const gradescope = args.gradescope ? (args.gradescopeOut ?? join(args.out, 'gradescope', reportFileStem(report.lab), 'results.json')) : undefined;
  if (gradescope) await writeFileAtomic(gradescope, renderGradescopeResults({ lab: report.lab, report }));
  process.stdout.write(`${renderConsole(report, { color: shouldUseColor(process.stdout, process.env), ...(process.stdout.isTTY && process.stdout.columns ? { width: process.stdout.columns } : {}) })}\n`);
  process.stdout.write(`Reports: ${[paths.junitPath, paths.jsonPath, ...(gradescope ? [gradescope] : [])].join(' ')}\n`);
  return report.summary.pass === report.summary.total ? 0 : 1;
}

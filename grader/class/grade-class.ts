import type { CheckSpec } from '../config/check-file.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { LabReport } from '../core/lab-report.ts';
import { readLabReport } from '../report/read-report.ts';
import { writeReports } from '../report/write-reports.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import { createMeasureGate } from '../run/measure-gate.ts';
import type { Progress } from './progress.ts';

export interface GradeClassOptions extends GradeLabOptions {
  outDir: string;
  junitFlavor: JunitFlavor;
  /** Labs graded at once. */
  concurrency: number;
  /** Keep the reports an earlier run wrote instead of grading those labs again. */
  resume: boolean;
  progress?: Progress;
  /** Measurements at once on one hypervisor. @default 1 */
  measureConcurrency?: number;
}

// Grades the labs, at most `concurrency` at once, writing each lab's reports as soon as it is
// done, so that an interrupted run loses nothing finished. Returns the reports in lab order.
export async function gradeClass(labs: LabTarget[], checks: CheckSpec[], options: GradeClassOptions): Promise<LabReport[]> {
  const reports = new Map<string, LabReport>();
  const queue = [...labs];
  const gradeOptions = { ...options, measureGate: options.measureGate ?? createMeasureGate(options.measureConcurrency ?? 1) };
  const worker = async () => {
    for (let lab = queue.shift(); lab; lab = queue.shift()) {
      const kept = options.resume ? await readLabReport(options.outDir, lab.name) : undefined;
      if (kept) {
        reports.set(lab.name, kept);
        options.progress?.finished(lab.name, kept, 'resumed');
        continue;
      }
      options.progress?.started(lab.name);
      const report = await gradeLab(lab, checks, gradeOptions);
      await writeReports(report, options.outDir, { junitFlavor: options.junitFlavor });
      reports.set(lab.name, report);
      options.progress?.finished(lab.name, report, 'graded');
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, labs.length)) }, worker));
  return labs.map((lab) => reports.get(lab.name)!);
}

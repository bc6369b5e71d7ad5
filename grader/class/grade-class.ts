import type { CheckSpec } from '../config/check-file.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { LabReport } from '../core/lab-report.ts';
import { readLabReport } from '../report/read-report.ts';
import { describeWriteError } from '../report/out-dir.ts';
import { writeReports } from '../report/write-reports.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import type { Progress } from './progress.ts';

export interface GradeClassOptions extends GradeLabOptions {
  outDir: string;
  junitFlavor: JunitFlavor;
  /** Labs graded at once. */
  concurrency: number;
  /** Keep the reports an earlier run wrote instead of grading those labs again. */
  resume: boolean;
  progress?: Progress;
  /** Filled with the labs whose reports could not be written, and why; the class goes on. */
  writeErrors?: Map<string, string>;
}

// Grades the labs, at most `concurrency` at once, writing each lab's reports as soon as it is
// done, so that an interrupted run loses nothing finished. Returns the reports in lab order.
export async function gradeClass(labs: LabTarget[], checks: CheckSpec[], options: GradeClassOptions): Promise<LabReport[]> {
  const reports = new Map<string, LabReport>();
  const queue = [...labs];
  const worker = async () => {
    for (let lab = queue.shift(); lab; lab = queue.shift()) {
      // A kept report that is not valid, or was graded with other checks, is graded again.
      const kept = options.resume ? await readLabReport(options.outDir, lab.name, options.provenance) : undefined;
      if (kept?.ok) {
        reports.set(lab.name, kept.report);
        options.progress?.finished(lab.name, kept.report, 'resumed');
        continue;
      }
      options.progress?.started(lab.name, kept && !kept.ok ? `kept report not used (${kept.reason}): grading again` : undefined);
      const report = await gradeLab(lab, checks, options);
      // A full disk loses this lab's files, not the class: its report is kept in memory.
      let unwritten: string | undefined;
      try {
        await writeReports(report, options.outDir, { junitFlavor: options.junitFlavor });
      } catch (error) {
        unwritten = `its reports could not be written (${describeWriteError(error)})`;
        options.writeErrors?.set(lab.name, unwritten);
      }
      reports.set(lab.name, report);
      options.progress?.finished(lab.name, report, 'graded', unwritten);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, labs.length)) }, worker));
  return labs.map((lab) => reports.get(lab.name)!);
}

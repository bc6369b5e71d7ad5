import type { CheckSpec } from '../config/check-file.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { LabReport } from '../core/lab-report.ts';
import { readLabReport, type KeptReport } from '../report/read-report.ts';
import { describeWriteError } from '../report/out-dir.ts';
import { writeReports } from '../report/write-reports.ts';
import type { JunitFlavor } from '../report/junit.ts';
import { gradeLab, type GradeLabOptions } from '../run/grade-lab.ts';
import { graderSideErrors } from './grader-side-errors.ts';
import { createMeasureGate } from '../run/measure-gate.ts';
import type { Progress } from './progress.ts';

export type GradeClassOptions = GradeLabOptions & {
  outDir: string;
  junitFlavor: JunitFlavor;
  /** Labs graded at once. */
  concurrency: number;
  /** Keep the reports an earlier run wrote instead of grading those labs again. */
  resume: boolean;
  /** Rounds of grading again, at the end, the labs whose errors are the grader's side. @default 0 */
  retryErrors?: number;
  progress?: Progress;
  /** Filled with the labs whose reports could not be written, and why; the class goes on. */
  writeErrors?: Map<string, string>;
  /** Measurements at once on one hypervisor. @default 1 */
  measureConcurrency?: number;
  /** Records a finished grading in the course record, before its files are written; returns why it could not. */
  record?: (report: LabReport) => Promise<string | undefined>;
  /** With `resume`: the lab's kept grading (from the course record); default: its JSON report in outDir. */
  kept?: (lab: string) => Promise<KeptReport | undefined>;
};

// Grades the labs, at most `concurrency` at once, writing each lab's reports as soon as it is
// done, so that an interrupted run loses nothing finished. Returns the reports in lab order.
export async function gradeClass(labs: LabTarget[], checks: CheckSpec[], options: GradeClassOptions): Promise<LabReport[]> {
  const reports = new Map<string, LabReport>();
  const graded = new Set<string>();
  const queue = [...labs];
  // A full disk loses this lab's files, not the class: its report is kept in memory.
  const write = async (lab: string, report: LabReport): Promise<string | undefined> => {
    const unrecorded = await options.record?.(report);
    if (unrecorded) {
      options.writeErrors?.set(lab, unrecorded);
      await writeReports(report, options.outDir, { junitFlavor: options.junitFlavor }).catch(() => undefined);
      return unrecorded;
    }
    try {
      await writeReports(report, options.outDir, { junitFlavor: options.junitFlavor });
      options.writeErrors?.delete(lab);
      return undefined;
    } catch (error) {
      const unwritten = `its reports could not be written (${describeWriteError(error)})`;
      options.writeErrors?.set(lab, unwritten);
      return unwritten;
    }
  };
  const gradeOptions = { ...options, measureGate: options.measureGate ?? createMeasureGate(options.measureConcurrency ?? 1) };
  const worker = async () => {
    for (let lab = queue.shift(); lab; lab = queue.shift()) {
      // A kept report that is not valid, or was graded with other checks, is graded again.
      const kept = options.resume ? await (options.kept ? options.kept(lab.name) : readLabReport(options.outDir, lab.name, options.provenance)) : undefined;
      if (kept?.ok) {
        reports.set(lab.name, kept.report);
        options.progress?.finished(lab.name, kept.report, 'resumed');
        continue;
      }
      options.progress?.started(lab.name, kept && !kept.ok ? `kept report not used (${kept.reason}): grading again` : undefined);
      const report = await gradeLab(lab, checks, gradeOptions);
      const unwritten = await write(lab.name, report);
      reports.set(lab.name, report);
      graded.add(lab.name);
      options.progress?.finished(lab.name, report, 'graded', unwritten);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, labs.length)) }, worker));
  // Errors of the grader's side (a timeout, a dropped connection) are no verdict on the lab: once
  // everything else is done, such labs are graded again, the report saying what came before.
  for (let round = 0; round < (options.retryErrors ?? 0); round++) {
    const again = labs.filter((lab) => graded.has(lab.name) && graderSideErrors(reports.get(lab.name)!).length > 0);
    if (again.length === 0) break;
    const retry = async () => {
      for (let lab = again.shift(); lab; lab = again.shift()) {
        const before = reports.get(lab.name)!;
        options.progress?.started(lab.name);
        const attempt = { startedAt: before.startedAt, score: before.score, summary: { ...before.summary }, errors: graderSideErrors(before) };
        const report = await gradeLab(lab, checks, gradeOptions);
        const retried: LabReport = { ...report, retriedAfter: [...(before.retriedAfter ?? []), attempt] };
        const unwritten = await write(lab.name, retried);
        reports.set(lab.name, retried);
        options.progress?.finished(lab.name, retried, 'retried', unwritten);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, again.length)) }, retry));
  }
  return labs.map((lab) => reports.get(lab.name)!);
}

import { access } from 'node:fs/promises';
import path from 'node:path';
import { classSpan } from '../class-report/collect-class.ts';
import { parseLatePolicy, type LatePolicy } from '../class-report/deadlines.ts';
import { writeClassReports, type ClassReportOptions, type ClassReportPaths } from '../class-report/write-class-reports.ts';
import { CLASS_FILES } from '../core/report-files.ts';
import type { LastRun } from '../class-report/class-report.ts';
import { checkIdsOf } from '../class-report/merge-shards.ts';
import type { GradingProvenance } from '../core/lab-report.ts';
import type { CourseStore } from './course-store.ts';
import { courseView, type AttemptPolicy, type CourseView } from './course-view.ts';

export interface DrawOptions {
  /** The class's labs (inventory, hypervisor); default: the roster's. */
  classLabs?: readonly string[];
  /** The class as it stood then (UTC ISO). */
  at?: string;
  /** @default 'latest' */
  policy?: AttemptPolicy;
  /** Overrides the stored late policy. */
  latePolicy?: LatePolicy;
  /** Only attempts graded this way; default: the latest attempt's. */
  provenance?: GradingProvenance;
}

export interface DrawnClass extends CourseView {
  deadline?: string;
  latePolicy: LatePolicy;
}

// The class as the course record has it (every command's class files and the board draw it so).
export async function drawClass(store: CourseStore, options: DrawOptions = {}): Promise<DrawnClass> {
  const [attempts, rosters, extensions, deadline, storedLate] = await Promise.all([
    store.attempts(options.at ? { endedBy: options.at } : {}),
    store.rosters(),
    store.extensions(),
    store.setting('deadline'),
    store.setting('late-policy'),
  ]);
  const latePolicy = options.latePolicy ?? (storedLate ? parseLatePolicy(storedLate) : undefined) ?? { kind: 'on-time' };
  const view = courseView(attempts, {
    rosters: options.at ? rosters.filter((r, i) => i === 0 || r.givenAt <= options.at!) : rosters,
    extensions,
    ...(deadline ? { deadline } : {}),
    latePolicy,
    policy: options.policy ?? 'latest',
    ...(options.classLabs ? { classLabs: options.classLabs } : {}),
    ...(options.provenance ? { provenance: options.provenance } : {}),
  });
  return { ...view, ...(deadline ? { deadline } : {}), latePolicy };
}

export type ExportOptions = DrawOptions &
  Omit<ClassReportOptions, 'checkIds'> & {
    /** The gradebook's check columns; default: the check ids of the labs drawn, in their order. */
    checkIds?: string[];
    lastRun?: LastRun;
  };

// The one path that writes class files (class.xml, gradebook.csv, class.html, Gradescope): drawn
// from the course record, through the class reporters, into `dir`.
export async function exportClassFiles(store: CourseStore, dir: string, options: ExportOptions): Promise<{ drawn: DrawnClass; paths: ClassReportPaths }> {
  const drawn = await drawClass(store, options);
  const reports = drawn.labs.map((lab) => lab.report);
  const span = classSpan(reports, options.lastRun ? { startedAt: options.lastRun.startedAt, durationMs: options.lastRun.durationMs } : { startedAt: new Date().toISOString(), durationMs: 0 });
  const paths = await writeClassReports(
    {
      ...span,
      ...(options.lastRun ? { lastRun: options.lastRun } : {}),
      labs: drawn.labs,
      missing: drawn.missing,
      ...(drawn.otherChecks.length > 0 ? { otherChecks: drawn.otherChecks } : {}),
      ...(drawn.roster ? { roster: drawn.roster } : {}),
    },
    dir,
    { ...options, checkIds: options.checkIds ?? checkIdsOf(reports) },
  );
  return { drawn, paths };
}

/** Whether `dir` holds class files (a command that records there then rebuilds them). */
export async function hasClassFiles(dir: string): Promise<boolean> {
  try {
    await access(path.join(dir, CLASS_FILES.gradebook));
    return true;
  } catch {
    return false;
  }
}

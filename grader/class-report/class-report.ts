import type { LabReport } from '../core/lab-report.ts';

// A student as the roster names them; `id` is what the LMS knows them by (ID number, SIS ID).
export interface Student {
  id: string;
  name?: string;
  email?: string;
  /** The student's own deadline (zoned ISO) or extra time (`2d`, `36h`): the roster's `extension` column. */
  extension?: string;
}

// Which recorded attempt a lab's row comes from, when the class is drawn from the course record.
export interface ChosenAttempt {
  /** UTC ISO: when that grading started. */
  at: string;
  /** How late it was (0: on time, or no deadline). */
  lateByMs: number;
  /** Its score as credited under the late policy (its report's score when on time). */
  credited: number;
  /** The student's deadline, when there is one. */
  deadline?: string;
}

export interface ClassLab {
  lab: string;
  student?: Student;
  report: LabReport;
  attempt?: ChosenAttempt;
}

// The run that wrote the class files: when, how long, and (a class run) how many labs it graded
// and how many it kept from earlier runs (--resume).
export interface LastRun {
  startedAt: string;
  durationMs: number;
  graded?: number;
  kept?: number;
}

// Many labs graded in one run.
export interface ClassReport {
  /** ISO 8601 with zone: when the first lab's grading started. */
  startedAt: string;
  /** From the first lab's start to the last lab's end, over every run that graded the class. */
  durationMs: number;
  /** The run that wrote these class files, when it graded only some of the labs. */
  lastRun?: LastRun;
  /** Sorted by lab name. */
  labs: ClassLab[];
  /** Labs of the class with no report yet (not graded, or graded elsewhere). */
  missing?: string[];
  /** Labs whose report was graded with another check file or --only selection, left out. */
  otherChecks?: string[];
  /** The roster and the inventory disagree: roster lines for unknown labs, labs without a line. */
  roster?: RosterMismatch;
}

export interface RosterMismatch {
  /** Roster lines (`file:line`) naming a lab the inventory does not have: a typo such as `nc6`. */
  unknownLabs: Array<{ lab: string; at?: string }>;
  /** Labs of the class no roster line names. */
  withoutStudent: string[];
  /** Student ids the roster gives more than one lab, with those labs. */
  twoLabs?: Array<{ id: string; labs: string[] }>;
}

// Every result is an error (a VM unreachable, authentication refused...): nothing was observed,
// so the lab has no grade, not a zero. `hosts[].error` says why.
export function couldNotBeGraded(report: LabReport): boolean {
  return report.results.every((result) => result.status === 'error');
}

// Why a lab could not be graded: its hosts' errors, else the first error message.
export function whyNotGraded(report: LabReport): string[] {
  const hostErrors = report.hosts.filter((host) => host.error !== undefined).map((host) => `${host.role}: ${host.error}`);
  if (hostErrors.length > 0) return hostErrors;
  const first = report.results.find((result) => result.status === 'error');
  return [first ? first.message : 'no check was run'];
}

const byLabName = new Intl.Collator('en', { numeric: true }).compare;

// Labs in lab-name order, digits compared as numbers (lab2 before lab10).
export function sortLabs(labs: readonly ClassLab[]): ClassLab[] {
  return [...labs].sort((a, b) => byLabName(a.lab, b.lab));
}

// Joins each lab's report with its student from the roster, sorted by lab name (lab2 before lab10).
export function buildClassReport(
  reports: LabReport[],
  roster: ReadonlyMap<string, Student>,
  run: { startedAt: string; durationMs: number },
): ClassReport {
  const labs = sortLabs(
    reports.map((report): ClassLab => {
      const student = roster.get(report.lab);
      return student ? { lab: report.lab, student, report } : { lab: report.lab, report };
    }),
  );
  return { startedAt: run.startedAt, durationMs: run.durationMs, labs };
}

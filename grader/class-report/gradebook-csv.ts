import type { LabReport } from '../core/lab-report.ts';
import { formatPoints } from '../report/result-label.ts';
import { sanitizeLine } from '../report/sanitize.ts';
import { couldNotBeGraded, type ClassLab, type ClassReport } from './class-report.ts';
import { possibleCopies, possibleCopyCell } from './copies.ts';
import { csvCell, csvDocument } from './csv-records.ts';
import { formatLateness } from './deadlines.ts';

/** The last column: the labs this one shares what a copied VM keeps with (copies.ts); a flag, not a grade. */
export const POSSIBLE_COPY_COLUMN = 'possible_copy_of';

/** After it: what the lab's VMs showed of hooks and mounts for the instructor to review (review-flags.ts), `host: sign, sign; host: ...`; a flag, not a grade. */
export const REVIEW_COLUMN = 'to_review';

export const GRADEBOOK_COLUMNS = ['student_id', 'name', 'email', 'lab', 'score', 'max_score'] as const;
/** After the check columns, so that those keep their places. */
export const STATUS_COLUMNS = ['status', 'points_not_graded', 'not_graded'] as const;
/** From the course record: when the attempt that counts started (UTC), and how late it was (empty: on time). */
export const ATTEMPT_COLUMNS = ['graded_at', 'late'] as const;

/**
 * The class gradebook: one row per lab, `student_id,name,email,lab,score,max_score`, then one
 * column per check id with the points earned for it, summed over its hosts, then `status`
 * (`graded`, `partly graded`: some results could not be graded, `not graded`: none
 * could), `points_not_graded` (the points of results that could not be graded: missing because
 * of errors, not because the lab is wrong), `not_graded` (those results, `id host` separated by
 * `; `), `graded_at` (when the grading that counts started, UTC ISO) and `late` (empty when on
 * time, else how late: `1 d 2 h`; under the late policy the score is then reduced). RFC 4180, CRLF, UTF-8 (a byte-order mark on request, for Excel); a text cell starting with
 * = + - @ gets a leading '.
 *
 * - A lab that could not be graded (every result an error) has an empty score and empty check
 *   cells: it has no grade, not a zero. A check the run did not include is an empty cell too.
 * - Labs without a known student come last, with empty student columns. Moodle keeps the
 *   previous row's student for a row whose identifier is empty (grade/import/csv load_data.php),
 *   which would give that lab's points to the wrong student: delete those rows before importing,
 *   or add the labs to the roster (the grader warns about each of them).
 *
 * Moodle: Grades > Import > CSV file; upload gradebook.csv (separator: comma, encoding: UTF-8);
 * "Identify user by": map `email` to "Email address" (or `student_id` to "ID number" when the
 * roster's ids are Moodle ID numbers); "Grade item mappings": map `score` to the lab's grade
 * item (max grade = max_score, or rescale), leave the other columns on "Ignore" (or map check
 * columns to items of their own). An empty score becomes "no grade", replacing an earlier grade.
 *
 * Canvas imports only its own gradebook layout: export it, paste the `score` column (README).
 */
export function renderGradebookCsv(report: ClassReport, checkIds: string[]): string {
  const header = [...GRADEBOOK_COLUMNS, ...checkIds, ...STATUS_COLUMNS, ...ATTEMPT_COLUMNS, POSSIBLE_COPY_COLUMN, REVIEW_COLUMN].map((name) => csvCell(sanitizeLine(name)));
  const labs = [...report.labs.filter((lab) => lab.student), ...report.labs.filter((lab) => !lab.student)];
  const copies = possibleCopies(report.labs.map((lab) => lab.report));
  return csvDocument([header, ...labs.map((lab) => [...gradebookRow(lab, checkIds), csvCell(sanitizeLine(possibleCopyCell(copies.get(lab.lab)))), csvCell(sanitizeLine(reviewCell(lab.report)))])]);
}

function gradebookRow(lab: ClassLab, checkIds: string[]): string[] {
  const graded = !couldNotBeGraded(lab.report);
  const text = (value: string | undefined): string => csvCell(value === undefined ? undefined : sanitizeLine(value));
  return [
    text(lab.student?.id),
    text(lab.student?.name),
    text(lab.student?.email),
    text(lab.lab),
    graded ? formatPoints(lab.attempt?.credited ?? lab.report.score) : '',
    formatPoints(lab.report.maxScore),
    ...checkIds.map((id) => (graded ? checkPoints(lab.report, id) : '')),
    ...notGradedCells(lab.report),
    text(new Date(lab.attempt?.at ?? lab.report.startedAt).toISOString()),
    text(lab.attempt && lab.attempt.lateByMs > 0 ? formatLateness(lab.attempt.lateByMs) : undefined),
  ];
}

// The signs a lab's VMs showed, grouped by VM: `router: rc-hook, proc-sys-mount; vm1: ld-preload`.
export function reviewCell(report: LabReport): string {
  const byHost = new Map<string, string[]>();
  for (const flag of report.review ?? []) byHost.set(flag.host, [...(byHost.get(flag.host) ?? []), flag.sign]);
  return [...byHost].map(([host, signs]) => `${host}: ${[...new Set(signs)].join(', ')}`).join('; ');
}

// status, points_not_graded, not_graded.
function notGradedCells(report: LabReport): string[] {
  const errors = report.results.filter((result) => result.status === 'error');
  const status = errors.length === 0 ? 'graded' : errors.length === report.results.length ? 'not graded' : 'partly graded';
  const missing = errors.reduce((sum, result) => sum + result.maxPoints, 0);
  const which = errors.map((result) => sanitizeLine([result.id, result.host].filter((part) => part && part !== 'lab').join(' '))).join('; ');
  return [status, formatPoints(missing), csvCell(which)];
}

// Points earned for a check id over its hosts; empty when the lab has no result for it.
function checkPoints(report: LabReport, id: string): string {
  const results = report.results.filter((result) => result.id === id);
  return results.length === 0 ? '' : formatPoints(results.reduce((sum, result) => sum + result.points, 0));
}

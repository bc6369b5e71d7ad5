import type { ClassLab, RosterMismatch, Student } from '../class-report/class-report.ts';
import { creditedScore, lateByMs, studentDeadline, type LatePolicy } from '../class-report/deadlines.ts';
import { rosterFromLines, rosterMismatch } from '../class-report/roster.ts';
import type { GradingProvenance } from '../core/lab-report.ts';
import { sameGrading } from '../core/same-grading.ts';
import type { Attempt, StoredRoster } from './course-store.ts';

/** Which of a lab's counting attempts is its grade. */
export const ATTEMPT_POLICIES = ['latest', 'best'] as const;
export type AttemptPolicy = (typeof ATTEMPT_POLICIES)[number];

export interface ViewOptions {
  /** The class's labs (the inventory's, or those found on a hypervisor); default: the roster's. */
  classLabs?: readonly string[];
  /** Every roster version, oldest first: a lab's student is the latest version's that names it. */
  rosters: readonly StoredRoster[];
  /** Extensions set apart from the roster (the course server's), by student id. */
  extensions?: ReadonlyMap<string, string>;
  deadline?: string;
  latePolicy: LatePolicy;
  policy: AttemptPolicy;
  /** Only attempts graded this way count; default: the way of the latest complete attempt. */
  provenance?: GradingProvenance;
}

export interface CourseView {
  labs: ClassLab[];
  /** Labs of the class (or the roster) with no attempt that counts. */
  missing: string[];
  /** Labs whose attempts were all graded another way (another check file or --only). */
  otherChecks: string[];
  /** The grading the view is drawn from. */
  provenance?: GradingProvenance;
  roster?: RosterMismatch;
}

const order = new Intl.Collator('en', { numeric: true }).compare;

// The student of each lab: the latest roster version that names the lab (a student dropped from a
// newer roster keeps their name on the attempts they made).
function studentsOf(rosters: readonly StoredRoster[]): Map<string, Student> {
  const students = new Map<string, Student>();
  for (const roster of rosters) for (const [lab, student] of rosterFromLines(roster.entries)) students.set(lab, student);
  return students;
}

// The class as the attempts (already limited to a moment, `--at`) say it is: for each lab, the
// attempt that counts under the deadline, the late policy and the attempt policy. Pure.
export function courseView(attempts: readonly Attempt[], options: ViewOptions): CourseView {
  const complete = attempts.filter((a) => a.status === 'complete' && a.report);
  const provenance = options.provenance ?? complete.at(-1)?.report?.provenance;
  const students = studentsOf(options.rosters);
  const latestRoster = options.rosters.at(-1);
  const byLab = new Map<string, Attempt[]>();
  for (const attempt of complete) byLab.set(attempt.lab, [...(byLab.get(attempt.lab) ?? []), attempt]);

  const labs: ClassLab[] = [];
  const otherChecks: string[] = [];
  for (const [lab, all] of byLab) {
    const counting = all.filter((a) => sameGrading(a.report!.provenance, provenance));
    if (counting.length === 0) {
      otherChecks.push(lab);
      continue;
    }
    const student = students.get(lab);
    const extension = (student && options.extensions?.get(student.id)) ?? student?.extension;
    const deadline = studentDeadline(options.deadline, extension);
    const chosen = choose(counting, deadline, options);
    const lateMs = lateByMs(chosen.startedAt, deadline);
    const credited = options.latePolicy.kind === 'on-time' && lateMs > 0 ? 0 : creditedScore(chosen.score, lateMs, options.latePolicy);
    labs.push({
      lab,
      ...(student ? { student } : {}),
      report: chosen.report!,
      attempt: { at: chosen.startedAt, lateByMs: lateMs, credited, ...(deadline ? { deadline } : {}) },
    });
  }
  const universe = options.classLabs ?? latestRoster?.entries.map((e) => e.lab) ?? [];
  const present = new Set(byLab.keys());
  const missing = universe.filter((lab) => !present.has(lab)).sort(order);
  const roster = latestRoster ? rosterMismatch(rosterFromLines(latestRoster.entries), options.classLabs ?? [...new Set([...universe, ...present])], [...new Set([...universe, ...present])]) : undefined;
  return { labs: labs.sort((a, b) => order(a.lab, b.lab)), missing, otherChecks: otherChecks.sort(order), ...(provenance ? { provenance } : {}), ...(roster ? { roster } : {}) };
}

// The attempt that counts: on-time policy, the last (or best) on time, else the latest (credited
// 0); otherwise the latest (or best credited).
function choose(attempts: readonly Attempt[], deadline: string | undefined, options: ViewOptions): Attempt {
  const byTime = [...attempts].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id - b.id);
  const onTime = byTime.filter((a) => lateByMs(a.startedAt, deadline) === 0);
  const pool = options.latePolicy.kind === 'on-time' ? (onTime.length > 0 ? onTime : [byTime.at(-1)!]) : byTime;
  if (options.policy === 'latest') return pool.at(-1)!;
  const credit = (a: Attempt) => creditedScore(a.score, lateByMs(a.startedAt, deadline), options.latePolicy);
  return pool.reduce((best, a) => (credit(a) >= credit(best) ? a : best));
}

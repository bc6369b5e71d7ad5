import type { ClassLab, ClassReport, Student } from '../class-report/class-report.ts';
import { classSpan } from '../class-report/collect-class.ts';
import { possibleCopies, type PossibleCopy } from '../class-report/copies.ts';
import { parseLatePolicy, type LatePolicy } from '../class-report/deadlines.ts';
import { tallyChecks, passRate, type CheckTally } from '../class-report/class-stats.ts';
import { checkIdsOf } from '../class-report/merge-shards.ts';
import { rosterFromLines } from '../class-report/roster.ts';
import type { Attempt, CourseStore, StoredRoster } from '../store/course-store.ts';
import { courseView } from '../store/course-view.ts';
import { stuckLabs, type StuckLab, type StuckRule } from './board-stuck.ts';

/** The course's settings as the store holds them now. */
export interface CourseSettings {
  rosters: StoredRoster[];
  extensions: Map<string, string>;
  deadline?: string;
  latePolicy: LatePolicy;
}

export async function courseSettings(store: CourseStore): Promise<CourseSettings> {
  const [rosters, extensions, deadline, late] = await Promise.all([store.rosters(), store.extensions(), store.setting('deadline'), store.setting('late-policy')]);
  return { rosters, extensions, ...(deadline ? { deadline } : {}), latePolicy: (late ? parseLatePolicy(late) : undefined) ?? { kind: 'on-time' } };
}

export interface BoardModel {
  /** The moment the board shows (UTC ISO); undefined: now, live. */
  at?: string;
  deadline?: string;
  latePolicy: LatePolicy;
  /** The class as the class files have it: each lab's attempt that counts. */
  report: ClassReport;
  checkIds: string[];
  checks: Array<CheckTally & { rate?: number }>;
  /** Diagnosis causes of the labs' counting attempts, the most labs first. */
  causes: Array<{ cause: string; labs: string[] }>;
  stuck: StuckLab[];
  late: ClassLab[];
  notSubmitted: Array<{ lab: string; student?: Student }>;
  copies: Map<string, PossibleCopy[]>;
  /** Every attempt up to the moment, by lab (for counts and the lab pages). */
  attemptsByLab: Map<string, Attempt[]>;
}

/** The attempts as they stood at `at` (all of them when undefined). */
export function attemptsAt(attempts: readonly Attempt[], at: string | undefined): Attempt[] {
  return at === undefined ? [...attempts] : attempts.filter((a) => Date.parse(a.endedAt) <= Date.parse(at));
}

// The board's whole content, drawn from the course record's attempts by the store's own view (the
// same choice of attempt as every gradebook). Pure.
export function boardModel(all: readonly Attempt[], settings: CourseSettings, options: { at?: string; now: Date; stuck: StuckRule }): BoardModel {
  const attempts = attemptsAt(all, options.at);
  const rosters = options.at === undefined ? settings.rosters : settings.rosters.filter((r, i) => i === 0 || Date.parse(r.givenAt) <= Date.parse(options.at!));
  const view = courseView(attempts, {
    rosters,
    extensions: settings.extensions,
    ...(settings.deadline ? { deadline: settings.deadline } : {}),
    latePolicy: settings.latePolicy,
    policy: 'latest',
  });
  const reports = view.labs.map((l) => l.report);
  const span = classSpan(reports, { startedAt: (options.at ? new Date(options.at) : options.now).toISOString(), durationMs: 0 });
  const report: ClassReport = {
    ...span,
    labs: view.labs,
    missing: view.missing,
    ...(view.otherChecks.length > 0 ? { otherChecks: view.otherChecks } : {}),
    ...(view.roster ? { roster: view.roster } : {}),
  };
  const checkIds = checkIdsOf(reports);
  const students = rosterFromLines(rosters.at(-1)?.entries ?? []);
  const attemptsByLab = new Map<string, Attempt[]>();
  for (const attempt of attempts) attemptsByLab.set(attempt.lab, [...(attemptsByLab.get(attempt.lab) ?? []), attempt]);
  const causeLabs = new Map<string, string[]>();
  for (const { lab, report: labReport } of view.labs) {
    for (const cause of new Set((labReport.diagnoses ?? []).map((d) => d.cause))) causeLabs.set(cause, [...(causeLabs.get(cause) ?? []), lab]);
  }
  return {
    ...(options.at ? { at: options.at } : {}),
    ...(settings.deadline ? { deadline: settings.deadline } : {}),
    latePolicy: settings.latePolicy,
    report,
    checkIds,
    checks: tallyChecks(report, checkIds).map((t) => {
      const rate = passRate(t);
      return rate === undefined ? t : { ...t, rate };
    }),
    causes: [...causeLabs].map(([cause, labs]) => ({ cause, labs })).sort((a, b) => b.labs.length - a.labs.length),
    stuck: stuckLabs(attempts, options.at ? new Date(options.at) : options.now, options.stuck),
    late: view.labs.filter((l) => (l.attempt?.lateByMs ?? 0) > 0),
    notSubmitted: view.missing.map((lab) => {
      const student = students.get(lab);
      return student ? { lab, student } : { lab };
    }),
    copies: possibleCopies(reports),
    attemptsByLab,
  };
}

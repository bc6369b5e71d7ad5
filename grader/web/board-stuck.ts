import type { Attempt } from '../store/course-store.ts';

/** When a lab counts as stuck: the same cause in its last `attempts` attempts, or for `minutes`. */
export interface StuckRule {
  attempts: number;
  minutes: number;
}

export const DEFAULT_STUCK_RULE: StuckRule = { attempts: 3, minutes: 20 };

export interface StuckLab {
  lab: string;
  /** The diagnosis cause its latest attempts share. */
  cause: string;
  /** How many of its last attempts, in a row, have that cause. */
  attempts: number;
  /** UTC ISO: the start of the first attempt of that run. */
  since: string;
  /** Minutes from `since` to now. */
  minutes: number;
}

const causesOf = (attempt: Attempt): Set<string> => new Set((attempt.report?.diagnoses ?? []).map((d) => d.cause));

// The labs whose latest attempt still has a cause that their previous attempts had too, for
// `rule.attempts` attempts in a row or since `rule.minutes` ago: the students a TA should visit
// first, longest stuck first. Only complete attempts with reports count. Pure.
export function stuckLabs(attempts: readonly Attempt[], now: Date, rule: StuckRule): StuckLab[] {
  const byLab = new Map<string, Attempt[]>();
  for (const attempt of attempts) {
    if (attempt.status !== 'complete' || !attempt.report) continue;
    byLab.set(attempt.lab, [...(byLab.get(attempt.lab) ?? []), attempt]);
  }
  const stuck: StuckLab[] = [];
  for (const [lab, all] of byLab) {
    const ordered = [...all].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id - b.id);
    const causes = ordered.map(causesOf);
    let worst: StuckLab | undefined;
    for (const cause of causes.at(-1) ?? []) {
      let run = 0;
      while (run < causes.length && causes[causes.length - 1 - run]!.has(cause)) run++;
      const since = ordered[ordered.length - run]!.startedAt;
      const minutes = Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
      if (run < rule.attempts && minutes < rule.minutes) continue;
      if (!worst || run > worst.attempts || (run === worst.attempts && minutes > worst.minutes)) worst = { lab, cause, attempts: run, since, minutes };
    }
    if (worst) stuck.push(worst);
  }
  return stuck.sort((a, b) => b.minutes - a.minutes || b.attempts - a.attempts || a.lab.localeCompare(b.lab));
}

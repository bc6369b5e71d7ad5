import type { GradingProvenance } from './lab-report.ts';

/**
 * The one rule for "the same grading": two gradings may stand for each other (a kept report
 * for --resume, reports of one class, shards merged, attempts of one gradebook) when they were
 * graded with the same check file (its digest) and the same --only selection. The grader's
 * version is recorded with each attempt but not compared: a newer grader grades the same checks.
 * A grading that does not say what it was graded with (no provenance) is the same as none.
 */
export function sameGrading(a: GradingProvenance | undefined, b: GradingProvenance | undefined): boolean {
  if (!a || !b) return false;
  return a.checksDigest === b.checksDigest && (a.only ?? []).join(',') === (b.only ?? []).join(',') && (a.only === undefined) === (b.only === undefined);
}

// What differs, for messages: 'another check file', or the two selections.
export function gradingDifference(kept: GradingProvenance | undefined, expected: GradingProvenance): string {
  if (!kept) return 'it does not say what it was graded with (no provenance)';
  if (kept.checksDigest !== expected.checksDigest) return 'graded with another check file';
  const selection = (only?: string[]) => (only ? `--only ${only.join(',')}` : 'every check');
  return `graded with ${selection(kept.only)}, this run grades ${selection(expected.only)}`;
}

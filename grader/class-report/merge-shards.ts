import type { LabReport } from '../core/lab-report.ts';
import type { StoredReport } from './collect-reports.ts';

export interface MergePlan {
  /** One report per lab, in the order found. */
  reports: LabReport[];
  /** Labs of the inventory with no report (merged anyway only with --allow-missing). */
  missing: string[];
  /** One line per reason to refuse the merge. */
  problems: string[];
}

// What decides a lab's grade: each result's id, host, status and points. Timings and figures
// differ between two honest runs; these do not when the two reports say the same thing.
function outcomeOf(report: LabReport): string {
  return JSON.stringify(report.results.map((r) => [r.id, r.host, r.status, r.points, r.maxPoints]));
}

// What the one rule for the same grading (core/same-grading.ts) compares, in words.
function gradedWith(report: LabReport): string {
  const p = report.provenance;
  return p ? `check file ${p.checksDigest.slice(0, 19)}${p.only ? `, --only ${p.only.join(',')}` : ''}` : 'no provenance (graded by a grader older than 0.1.0)';
}

// Decides a merge of the reports of several shards: every lab of `expected` once, each lab's
// reports agreeing, and every report the same grading (the same check file and --only; the
// grader's version is recorded, not compared).
export function planMerge(expected: readonly string[], found: readonly StoredReport[]): MergePlan {
  const problems: string[] = [];
  const byLab = new Map<string, StoredReport[]>();
  for (const stored of found) byLab.set(stored.report.lab, [...(byLab.get(stored.report.lab) ?? []), stored]);
  const known = new Set(expected);
  for (const [lab, copies] of byLab) {
    if (!known.has(lab)) problems.push(`${copies[0]!.file}: lab '${lab}' is not in the inventory (or not in the selection)`);
    const outcomes = new Set(copies.map((c) => outcomeOf(c.report)));
    if (outcomes.size > 1) {
      problems.push(`lab '${lab}' was graded more than once with different results: ${copies.map((c) => `${c.file} (${c.report.score}/${c.report.maxScore})`).join(', ')}`);
    }
  }
  const ways = new Map<string, string[]>();
  for (const stored of found) {
    const way = gradedWith(stored.report);
    ways.set(way, [...(ways.get(way) ?? []), stored.file]);
  }
  if (ways.size > 1) {
    for (const [way, files] of ways) {
      problems.push(`reports graded with ${way}: ${files.length} (${files.slice(0, 3).join(', ')}${files.length > 3 ? ', ...' : ''}); every shard must use the same check file and --only`);
    }
  }
  const missing = expected.filter((lab) => !byLab.has(lab));
  const reports = [...byLab.values()].map((copies) => copies[0]!.report);
  return { reports, missing, problems };
}

// The check ids of the reports, in check-file order (the order results are written in).
export function checkIdsOf(reports: readonly LabReport[]): string[] {
  const ids: string[] = [];
  for (const report of reports) for (const result of report.results) if (!ids.includes(result.id)) ids.push(result.id);
  return ids;
}

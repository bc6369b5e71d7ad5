import type { CheckSpec } from '../config/check-file.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import { plannedResults } from '../run/grade-lab.ts';
import { scoreVerdict } from '../run/run-check.ts';

// The report of a grading that never finished (the server stopped or restarted during it): every
// check an error that says why, so that the attempt is on record and is no grade.
export function unfinishedReport(lab: string, startedAt: string, endedAt: string, checks: CheckSpec[], why: string, provenance?: GradingProvenance): LabReport {
  const results = plannedResults(checks).map(({ spec, host }) => scoreVerdict(spec, host, { status: 'error', message: why, evidence: [] }, 0));
  return {
    lab,
    startedAt,
    durationMs: Math.max(0, Date.parse(endedAt) - Date.parse(startedAt)),
    score: 0,
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
    summary: { pass: 0, fail: 0, error: results.length, total: results.length },
    hosts: [],
    results,
    ...(provenance ? { provenance } : {}),
  };
}

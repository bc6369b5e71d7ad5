// Lab reports for the course record's tests: a lab, when it was graded, and each check's status.
import type { GradingProvenance, LabReport } from '../../grader/core/lab-report.ts';
import type { CheckResult } from '../../grader/core/result.ts';

export const DIGEST_A: GradingProvenance = { checksDigest: `sha256:${'a'.repeat(64)}`, graderVersion: '0.1.0' };
export const DIGEST_B: GradingProvenance = { checksDigest: `sha256:${'b'.repeat(64)}`, graderVersion: '0.1.0' };

export type Statuses = Record<string, CheckResult['status']>;

export function labReport(lab: string, startedAt: string, statuses: Statuses, provenance: GradingProvenance | undefined = DIGEST_A): LabReport {
  const results: CheckResult[] = Object.entries(statuses).map(([id, status]) => ({
    id,
    kind: id,
    host: 'vm1',
    title: `${id} on vm1`,
    status,
    points: status === 'pass' ? 1 : 0,
    maxPoints: 1,
    message: status === 'pass' ? 'as expected' : `${id} ${status}`,
    evidence: [],
    measurements: {},
    durationMs: 10,
  }));
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return {
    lab,
    startedAt,
    durationMs: 1000,
    score: count('pass'),
    maxScore: results.length,
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
    hosts: [{ role: 'vm1', target: `${lab}.example`, reachable: true }],
    results,
    ...(provenance ? { provenance } : {}),
  };
}

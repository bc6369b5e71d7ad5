import { evidenceBasis } from '../core/evidence-basis.ts';
import type { LabReport } from '../core/lab-report.ts';

/** The evidence host of what the student's client answered (the grader's hypervisor code writes `hypervisor`). */
export const STUDENT_HOST = 'student-host';

// A lab graded through `submit` with relayed virsh queries: whatever the grader's hypervisor code
// read came from the student's own machine. The report says so: its traffic results' scope is
// `student-host`, never `hypervisor`, the evidence of those queries is the student host's, and
// what the verdicts rest on (evidenceBasis) is said again from those scopes: the VMs' word only.
export function asStudentHost(report: LabReport): LabReport {
  const results = report.results.map((result) => ({
    ...result,
    ...(result.evidenceScope === 'hypervisor' ? { evidenceScope: 'student-host' as const } : {}),
    evidence: result.evidence.map((e) => (e.host === 'hypervisor' ? { ...e, host: STUDENT_HOST } : e)),
  }));
  return { ...report, results, ...(report.evidenceBasis ? { evidenceBasis: evidenceBasis({ results }) } : {}) };
}

import type { CheckSpec } from '../config/check-file.ts';
import { CannotGrade, Unmet } from '../core/outcomes.ts';
import type { CheckResult, Verdict } from '../core/result.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import { HostUnavailableError } from '../transport/remote-host.ts';

// Whatever a check throws becomes a verdict: Unmet a failure, anything else an error. Never a pass.
function verdictOfThrown(error: unknown): Verdict {
  if (error instanceof Unmet) {
    const { reason, subject, expected, actual, hint, evidence = [] } = error.details;
    return { status: 'fail', reason, subject, message: error.message, expected, actual, hint, evidence };
  }
  if (error instanceof CannotGrade) return { status: 'error', reason: error.reason, subject: error.subject, message: error.message, evidence: error.evidence };
  if (error instanceof HostUnavailableError) {
    return { status: 'error', reason: 'connection-lost', subject: { host: error.role }, message: `lost the connection to ${error.role}: ${error.message}`, evidence: [] };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'error', reason: 'internal-error', subject: {}, message: `internal error while grading: ${message}`, evidence: [] };
}

// Runs one check for one host (or the lab) and scores it.
export async function runCheck(spec: CheckSpec, host: Role | 'lab', lab: LabAccess): Promise<CheckResult> {
  const started = performance.now();
  let verdict: Verdict;
  try {
    verdict = await spec.kind.run(host, lab, spec.params);
  } catch (error) {
    verdict = verdictOfThrown(error);
  }
  return scoreVerdict(spec, host, verdict, Math.round(performance.now() - started));
}

/** A verdict, or one kept from a report written before verdicts recorded their reason and subject. */
export type StoredVerdict = Omit<Verdict, 'reason' | 'subject'> & Partial<Pick<Verdict, 'reason' | 'subject'>>;

// A verdict scored: the check's points when it passed, none otherwise; the verdict's own hint
// (install a tool...), else the check file's for a failure, never for a result that could not be
// graded (the lab was not inspected: the exercise's hint would be a guess). Also for re-scoring.
export function scoreVerdict(spec: CheckSpec, host: string, verdict: StoredVerdict, durationMs: number): CheckResult {
  return {
    id: spec.id,
    kind: spec.kind.kind,
    host,
    title: spec.title,
    status: verdict.status,
    points: verdict.status === 'pass' ? spec.points : 0,
    maxPoints: spec.points,
    ...(verdict.reason !== undefined ? { reason: verdict.reason } : {}),
    ...(verdict.subject !== undefined ? { subject: verdict.subject } : {}),
    message: verdict.message,
    expected: verdict.expected,
    actual: verdict.actual,
    hint: verdict.status === 'pass' ? undefined : (verdict.hint ?? (verdict.status === 'fail' ? spec.hint : undefined)),
    evidence: verdict.evidence,
    measurements: verdict.measurements ?? {},
    ...(verdict.evidenceScope ? { evidenceScope: verdict.evidenceScope } : {}),
    ...(verdict.witnesses ? { witnesses: verdict.witnesses } : {}),
    durationMs,
    params: spec.params,
    ...(verdict.status !== 'pass' && verdict.hint !== undefined ? { ownHint: true } : {}),
  };
}

import { hostname } from 'node:os';
import type { Student } from '../class-report/class-report.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { AttemptCommand, AttemptStatus, NewAttempt } from './course-store.ts';

export interface AttemptSource {
  command: AttemptCommand;
  /** The roster, to name the lab's student. */
  roster?: ReadonlyMap<string, Student>;
  status?: AttemptStatus;
  sourceAddress?: string;
  /** @default os.hostname() */
  machine?: string;
}

// A finished grading as an attempt to record: its times from the report (UTC), the student from
// the roster, the check-file digest, grader version and --only from the report's provenance.
export function attemptOf(report: LabReport, source: AttemptSource): NewAttempt {
  const started = Date.parse(report.startedAt);
  const studentId = source.roster?.get(report.lab)?.id;
  return {
    lab: report.lab,
    ...(studentId !== undefined ? { studentId } : {}),
    startedAt: new Date(started).toISOString(),
    endedAt: new Date(started + report.durationMs).toISOString(),
    command: source.command,
    machine: source.machine ?? hostname(),
    ...(source.sourceAddress !== undefined ? { sourceAddress: source.sourceAddress } : {}),
    status: source.status ?? 'complete',
    report,
  };
}

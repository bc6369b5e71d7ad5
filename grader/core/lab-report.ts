import type { CheckResult } from './result.ts';

export interface HostSummary {
  role: string;
  target: string;
  reachable: boolean;
  /** Why it could not be reached or discovered. */
  error?: string;
  managementInterface?: string;
  internalInterfaces?: string[];
}

export interface LabReport {
  lab: string;
  /** ISO 8601 with zone. */
  startedAt: string;
  durationMs: number;
  score: number;
  maxScore: number;
  /** Counts by status. */
  summary: { pass: number; fail: number; error: number; total: number };
  hosts: HostSummary[];
  results: CheckResult[];
}

export type Status = 'pass' | 'fail' | 'error';

// One command and what it printed, as shown to the student and the instructor.
export interface Evidence {
  /** The host the command ran on (vm1, router, vm3). */
  host: string;
  command: string;
  exitCode: number | null;
  /** stdout, then stderr, trimmed and bounded. */
  output: string;
}

/**
 * Where a traffic check's witnesses stood: `hypervisor` when the hypervisor's own counters of the
 * router's NICs were read (evidence no VM can forge), `in-vm` when every witness was inside the
 * students' VMs (the lab was not graded through its hypervisor).
 */
export type EvidenceScope = 'hypervisor' | 'in-vm';

/** Figures measured on the way: throughputMbps, rttAvgMs, lossPercent, ... */
export type Measurements = Record<string, number>;

// What a check concluded for one host.
export interface Verdict {
  status: Status;
  /** One short line: why it passed, failed or could not be graded. */
  message: string;
  expected?: string;
  actual?: string;
  evidence: Evidence[];
  measurements?: Measurements;
  /** Replaces the check file's hint when the fix is something else (e.g. install a tool). */
  hint?: string;
  evidenceScope?: EvidenceScope;
}

// One line of a lab's report: a check's verdict on one host, scored.
export interface CheckResult {
  id: string;
  kind: string;
  /** vm1, router or vm3; 'lab' for a check about the lab as a whole. */
  host: string;
  title: string;
  status: Status;
  points: number;
  maxPoints: number;
  message: string;
  expected?: string;
  actual?: string;
  /** The fix, in the exercise's words; present unless the result passed. */
  hint?: string;
  evidence: Evidence[];
  measurements: Measurements;
  durationMs: number;
  /** The check's parameters it was graded with (defaults filled in), so that it can be re-scored. */
  params?: Record<string, unknown>;
  /** The hint is the check kind's own (install a tool...), not the check file's. */
  ownHint?: boolean;
  /** Traffic checks: whether a witness outside the VMs (the hypervisor) was heard. */
  evidenceScope?: EvidenceScope;
}


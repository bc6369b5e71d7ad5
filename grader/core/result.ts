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
 * students' VMs (the lab was not graded through its hypervisor), `student-host` when the counters
 * were read on the student's own machine as their hypervisor, relayed by their `submit` (their word,
 * not a trusted witness).
 */
export type EvidenceScope = 'hypervisor' | 'in-vm' | 'student-host';

/** Figures measured on the way: throughputMbps, rttAvgMs, lossPercent, ... */
export type Measurements = Record<string, number>;

/** A JSON value of a verdict's subject. */
export type SubjectValue = string | number | boolean | SubjectValue[] | { [key: string]: SubjectValue | undefined };

/**
 * What a verdict is about, typed per reason by its kind: the target, the NIC, the model, the path
 * seen. Every sentence about the verdict is rendered from its reason and subject, in one place per
 * kind; nothing reads a sentence back.
 */
export type Subject = { [key: string]: SubjectValue | undefined };

/**
 * A second machine's account of what a check observed (the router's counters, the iperf3 server's
 * own report, the reply TTL): `agrees` undefined when it could not be asked, `problem` the short
 * why when it disagrees, `detail` its figures (evidence, not the result line).
 */
export interface WitnessRecord {
  name: string;
  agrees?: boolean;
  detail: string;
  problem?: string;
  /** It should have answered (its machine was reached): its silence leaves a pass unconfirmed. */
  mustAnswer?: boolean;
  /** The VM whose silence it reports, when it could not be asked because that VM could not be. */
  unreachable?: string;
}

// What a check concluded for one host.
export interface Verdict {
  status: Status;
  /** Why, as a code of the kind (`no-reply`, `below-floor`, `not-virtio`...) or a generic one (outcomes.ts). */
  reason: string;
  /** What the reason is about; the message is rendered from reason and subject. */
  subject: Subject;
  /** One short line: why it passed, failed or could not be graded. */
  message: string;
  expected?: string;
  actual?: string;
  evidence: Evidence[];
  measurements?: Measurements;
  /** Replaces the check file's hint when the fix is something else (e.g. install a tool). */
  hint?: string;
  evidenceScope?: EvidenceScope;
  /** The witnesses heard (traffic checks). */
  witnesses?: WitnessRecord[];
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
  /** The verdict's reason and subject; absent in reports written before they were recorded. */
  reason?: string;
  subject?: Subject;
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
  /** Traffic checks: what each witness said. */
  witnesses?: WitnessRecord[];
}


import type { CheckResult } from './result.ts';
import type { Diagnosis } from './diagnosis.ts';

// What a copy of a VM keeps: compared across a class to flag labs that may share a VM.
export interface HostIdentity {
  /** The SSH host key presented in the handshake: key type and OpenSSH `SHA256:` fingerprint. */
  hostKey?: string;
  /** /etc/machine-id. */
  machineId?: string;
  /** The MAC addresses of its NICs (loopback aside), lower case. */
  macs?: string[];
  /** From the hypervisor: the libvirt domain's UUID. */
  domainUuid?: string;
  /** From the hypervisor: the disk image files of the domain, prefixed with the hypervisor (`host:/path`). */
  diskImages?: string[];
}

export interface HostSummary {
  role: string;
  target: string;
  reachable: boolean;
  /** Why it could not be reached or discovered. */
  error?: string;
  managementInterface?: string;
  internalInterfaces?: string[];
  identity?: HostIdentity;
}

// What a report was graded with, so that reports graded differently are never mixed (--resume,
// merge) and a stored report can be re-scored under a changed check file.
export interface GradingProvenance {
  /** `sha256:` and the hex SHA-256 of the check file's bytes. */
  checksDigest: string;
  /** The grader's version (package.json). */
  graderVersion: string;
  /** The check ids of `--only`, in check-file order; absent when every check ran. */
  only?: string[];
}

// What the first attempt at a lab saw when it was graded again for errors of the grader's side.
export interface RetriedAttempt {
  /** ISO 8601 with zone. */
  startedAt: string;
  score: number;
  summary: { pass: number; fail: number; error: number; total: number };
  /** The errors of the grader's side that made it grade the lab again, one line each. */
  errors: string[];
}

// Which domain plays which role and why, when the lab was found on its hypervisor from the
// topology (`--hypervisor`, or an inventory hypervisor without `domains:`).
export interface RoleAssignment {
  role: string;
  /** Absent when no domain fits the role. */
  domain?: string;
  /** libvirt's state of the domain (running, shut off...). */
  state?: string;
  why: string;
}

export interface LabDiscovery {
  /** `local` or user@host. */
  hypervisor: string;
  /** The network the three share. */
  management?: string;
  internalNetworks: string[];
  roles: RoleAssignment[];
  /** What keeps these domains from being the exercise's shape; empty when they are. */
  problems: string[];
}

/**
 * What a VM showed of a way to stand between the grader and its kernel (issue 25, item 1): a
 * login-shell hook, an sshd hook, a preloaded library, a mount over /proc or /sys, a /bin/sh that
 * is not the distribution's. Not a verdict: something for the instructor to look at, worded
 * neutrally (honest setups have some of these).
 */
export const REVIEW_SIGNS = ['rc-hook', 'ssh-rc', 'force-command', 'user-environment', 'ld-preload', 'proc-sys-mount', 'login-shell', 'shell-replaced', 'shell-modified'] as const;
export type ReviewSign = (typeof REVIEW_SIGNS)[number];

export interface ReviewFlag {
  host: string;
  sign: ReviewSign;
  /** One sentence: what was seen and why it matters to the grading. */
  what: string;
  /** The lines seen (an rc file's, a mount's), bounded. */
  seen?: string[];
}

/** What a lab's verdicts rest on (grader/core/evidence-basis.ts). */
export interface EvidenceBasis {
  /** Some result was confirmed by the hypervisor's counters of the router's NICs. */
  hypervisor: boolean;
  /** The graded results (errors aside) that rest on what the VMs report only, as `id host`. */
  inVmOnly: string[];
  /** One sentence for the reader. */
  note: string;
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
  provenance?: GradingProvenance;
  /** Where the packets stopped and what to type, first cause on the path first. */
  diagnoses?: Diagnosis[];
  /** The lab was graded again at the end of the class run; what the earlier attempt(s) saw, first first. */
  retriedAfter?: RetriedAttempt[];
  /** Re-scored (`rescore`) from a report graded with this; `provenance` is then the new check file's. */
  rescoredFrom?: GradingProvenance;
  discovery?: LabDiscovery;
  /** Signs for the instructor to review (hooks and tampering the VMs showed); absent when none or not observed. */
  review?: ReviewFlag[];
  /** What the verdicts rest on: the hypervisor's counters too, or the VMs' word only. */
  evidenceBasis?: EvidenceBasis;
  /** The lab provider of the grading machine that built the lab (its inventory's `origin`): `netns` has no VirtIO NICs. */
  builtBy?: 'netns' | 'libvirt';
}

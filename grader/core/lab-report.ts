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
  discovery?: LabDiscovery;
}

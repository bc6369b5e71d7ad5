import type { CheckSpec } from '../config/check-file.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { Phase } from '../checks/check-kind.ts';
import type { CheckResult } from '../core/result.ts';
import type { GradingProvenance, HostSummary, LabReport } from '../core/lab-report.ts';
import { LabAccess, type HostState } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import { connectLab, type ConnectOptions } from './connect-lab.ts';
import { hypervisorKey, type MeasureGate } from './measure-gate.ts';
import { runCheck } from './run-check.ts';

interface Job {
  spec: CheckSpec;
  host: Role | 'lab';
  order: number;
}

function jobsOf(checks: CheckSpec[]): Job[] {
  const jobs: Job[] = [];
  for (const spec of checks) {
    const hosts = spec.kind.scope === 'lab' ? (['lab'] as const) : spec.hosts;
    for (const host of hosts) jobs.push({ spec, host, order: jobs.length });
  }
  return jobs;
}

// Inspections run concurrently; traffic checks and measurements one at a time, each alone on the
// path, so that the router's counters each of them reads count only its own packets.
const PHASES: Array<{ phase: Phase; concurrent: boolean }> = [
  { phase: 'inspect', concurrent: true },
  { phase: 'traffic', concurrent: false },
  { phase: 'measure', concurrent: false },
];

async function runJobs(jobs: Job[], lab: LabAccess, onResult?: (r: CheckResult) => void, gate?: (measure: () => Promise<CheckResult>) => Promise<CheckResult>): Promise<CheckResult[]> {
  const results: Array<{ order: number; result: CheckResult }> = [];
  const run = async (job: Job) => {
    const check = () => runCheck(job.spec, job.host, lab);
    const result = await (job.spec.kind.phase === 'measure' && gate ? gate(check) : check());
    results.push({ order: job.order, result });
    onResult?.(result);
  };
  for (const { phase, concurrent } of PHASES) {
    const inPhase = jobs.filter((j) => j.spec.kind.phase === phase);
    if (concurrent) await Promise.all(inPhase.map(run));
    else for (const job of inPhase) await run(job);
  }
  return results.sort((a, b) => a.order - b.order).map((r) => r.result);
}

function summarise(state: HostState): HostSummary {
  if ('problem' in state) return { role: state.role, target: state.target, reachable: false, error: state.problem };
  return {
    role: state.role,
    target: state.target,
    reachable: true,
    managementInterface: state.facts.management?.name,
    internalInterfaces: state.facts.internal.map((nic) => nic.name),
  };
}

export interface GradeLabOptions extends ConnectOptions {
  /** Called as each result is known, in completion order. */
  onResult?: (result: CheckResult) => void;
  /** What this run grades with, recorded in the report. */
  provenance?: GradingProvenance;
  /** Shared by the labs of a class: measurements of labs on one hypervisor take turns. */
  measureGate?: MeasureGate;
}

// Grades one lab: connect and discover once, run every check, score. Never throws for anything
// that happens on the VMs: it becomes an error result.
export async function gradeLab(lab: LabTarget, checks: CheckSpec[], options: GradeLabOptions): Promise<LabReport> {
  const startedAt = new Date();
  const started = performance.now();
  const connection = await connectLab(lab, options);
  let results: CheckResult[];
  try {
    const key = hypervisorKey(lab);
    const gate = options.measureGate && key ? (measure: () => Promise<CheckResult>) => options.measureGate!(key, measure) : undefined;
    results = await runJobs(jobsOf(checks), new LabAccess(connection.hosts, connection.hypervisor, connection.hypervisorLoad), options.onResult, gate);
  } finally {
    await connection.close();
  }
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return {
    lab: lab.name,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    score: results.reduce((sum, r) => sum + r.points, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
    hosts: [...connection.hosts.values()].map(summarise),
    results,
    ...(options.provenance ? { provenance: options.provenance } : {}),
    ...(connection.discovery ? { discovery: connection.discovery } : lab.discovery ? { discovery: lab.discovery } : {}),
  };
}

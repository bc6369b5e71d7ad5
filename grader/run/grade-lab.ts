import type { CheckSpec } from '../config/check-file.ts';
import type { LabTarget } from '../transport/targets.ts';
import type { Phase } from '../checks/check-kind.ts';
import type { CheckResult } from '../core/result.ts';
import type { GradingProvenance, HostIdentity, HostSummary, LabReport, ReviewFlag } from '../core/lab-report.ts';
import type { HypervisorFacts } from '../hypervisor/hypervisor-facts.ts';
import { LabAccess, type HostState } from '../lab/lab-access.ts';
import type { Role } from '../core/roles.ts';
import { connectLab, type ConnectedLab, type ConnectOptions } from './connect-lab.ts';
import { hypervisorKey, type MeasureGate } from './measure-gate.ts';
import { runCheck, scoreVerdict } from './run-check.ts';
import { forwardingContradiction } from '../checks/forwarding-contradiction.ts';
import { gatherObservations } from './gather-observations.ts';
import { observeTampering } from './observe-tampering.ts';
import { diagnose, type DiagnosisInput } from '../diagnose/diagnose.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { boundReport } from '../core/report-bounds.ts';
import { evidenceBasis } from '../core/evidence-basis.ts';

interface Job {
  spec: CheckSpec;
  host: Role | 'lab';
  order: number;
}

// The results a check file gives, in report order: one per host of each check (one for the lab).
export function plannedResults(checks: CheckSpec[]): Array<Pick<Job, 'spec' | 'host'>> {
  return checks.flatMap((spec) => (spec.kind.scope === 'lab' ? (['lab'] as const) : spec.hosts).map((host) => ({ spec, host })));
}

function jobsOf(checks: CheckSpec[]): Job[] {
  return plannedResults(checks).map((job, order) => ({ ...job, order }));
}

// Inspections run concurrently; traffic checks and measurements one at a time, each alone on the
// path, so that the router's counters each of them reads count only its own packets.
const PHASES: Array<{ phase: Phase; concurrent: boolean }> = [
  { phase: 'inspect', concurrent: true },
  { phase: 'traffic', concurrent: false },
  { phase: 'measure', concurrent: false },
];

async function runJobs(jobs: Job[], lab: LabAccess, hooks: Pick<GradingOptions, 'onStart' | 'onResult'>, gate?: (measure: () => Promise<CheckResult>) => Promise<CheckResult>): Promise<CheckResult[]> {
  const results: Array<{ order: number; result: CheckResult }> = [];
  const { onStart, onResult } = hooks;
  const run = async (job: Job) => {
    onStart?.({ id: job.spec.id, host: job.host });
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

// ip-forward's pass against what the router's kernel did during the traffic checks (issue 25, item 2).
function recheckForwarding(results: CheckResult[], checks: CheckSpec[]): CheckResult[] {
  const found = forwardingContradiction(results);
  const spec = found && checks.find((c) => c.id === found.result.id);
  if (!found || !spec) return results;
  return results.map((r) => (r === found.result ? scoreVerdict(spec, r.host, found.verdict, r.durationMs) : r));
}

// What a copy of this VM would keep, from the handshake, discovery and the hypervisor.
function identityOf(state: HostState, hypervisor: HypervisorFacts | undefined): HostIdentity | undefined {
  const domain = hypervisor?.domains[state.role];
  const identity: HostIdentity = {};
  if ('remote' in state) {
    if (state.remote.hostKey) identity.hostKey = state.remote.hostKey;
    if (state.facts.machineId) identity.machineId = state.facts.machineId;
    const macs = [...new Set(state.facts.interfaces.filter((nic) => nic.name !== 'lo' && nic.mac && nic.mac !== '00:00:00:00:00:00').map((nic) => nic.mac!.toLowerCase()))];
    if (macs.length > 0) identity.macs = macs;
  }
  if (domain?.uuid) identity.domainUuid = domain.uuid;
  if (domain?.diskImages?.length) identity.diskImages = domain.diskImages.map((file) => `${hypervisor!.target}:${file}`);
  return Object.keys(identity).length > 0 ? identity : undefined;
}

function summarise(state: HostState, hypervisor: HypervisorFacts | undefined): HostSummary {
  const identity = identityOf(state, hypervisor);
  if ('problem' in state) return { role: state.role, target: state.target, reachable: false, error: state.problem, ...(identity ? { identity } : {}) };
  return {
    role: state.role,
    target: state.target,
    reachable: true,
    managementInterface: state.facts.management?.name,
    internalInterfaces: state.facts.internal.map((nic) => nic.name),
    ...(identity ? { identity } : {}),
  };
}

interface GradingOptions {
  /** Called as each check starts on a host ('lab' for a check about the lab as a whole). */
  onStart?: (check: { id: string; host: string }) => void;
  /** Called as each result is known, in completion order. */
  onResult?: (result: CheckResult) => void;
  /** Called with what the diagnosis read (to record a lab's state for tests). */
  onDiagnosisInput?: (input: DiagnosisInput) => void;
  /** What this run grades with, recorded in the report. */
  provenance?: GradingProvenance;
  /** Shared by the labs of a class: measurements of labs on one hypervisor take turns. */
  measureGate?: MeasureGate;
}

/** How the lab's VMs are reached: over SSH with these options, or by a `connect` of one's own (a replay of recorded outputs in the tests). */
export type GradeLabOptions = GradingOptions & (ConnectOptions | { connect: (lab: LabTarget) => Promise<ConnectedLab> });

// Grades one lab: connect and discover once, run every check, score. Never throws for anything
// that happens on the VMs: it becomes an error result.
export async function gradeLab(lab: LabTarget, checks: CheckSpec[], options: GradeLabOptions): Promise<LabReport> {
  const startedAt = new Date();
  const started = performance.now();
  const connection = await ('connect' in options ? options.connect(lab) : connectLab(lab, options));
  let results: CheckResult[];
  let diagnoses: Diagnosis[];
  let review: ReviewFlag[];
  try {
    const key = hypervisorKey(lab);
    const gate = options.measureGate && key ? (measure: () => Promise<CheckResult>) => options.measureGate!(key, measure) : undefined;
    const access = new LabAccess(connection.hosts, connection.hypervisor, connection.hostCounters, connection.hypervisorLoad);
    results = recheckForwarding(await runJobs(jobsOf(checks), access, options, gate), checks);
    // After every check, so that nothing it sends disturbs a measurement.
    // The tampering observation runs beside it, in each VM's other open command session.
    let observations;
    [observations, review] = await Promise.all([gatherObservations(access, connection.hosts, results), observeTampering(access, connection.hosts)]);
    const input: DiagnosisInput = { hosts: [...connection.hosts.values()], results, observations, ...(connection.hypervisor ? { hypervisor: connection.hypervisor } : {}) };
    options.onDiagnosisInput?.(input);
    diagnoses = diagnose(input);
  } finally {
    await connection.close();
  }
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return boundReport({
    lab: lab.name,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    score: results.reduce((sum, r) => sum + r.points, 0),
    maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
    summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
    hosts: [...connection.hosts.values()].map((state) => summarise(state, connection.hypervisor)),
    results,
    ...(diagnoses.length > 0 ? { diagnoses } : {}),
    ...(review.length > 0 ? { review } : {}),
    evidenceBasis: evidenceBasis({ results }),
    ...(options.provenance ? { provenance: options.provenance } : {}),
    ...(connection.discovery ? { discovery: connection.discovery } : lab.discovery ? { discovery: lab.discovery } : {}),
    ...(lab.builtBy ? { builtBy: lab.builtBy } : {}),
  });
}

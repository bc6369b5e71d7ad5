import type { CheckResult, Evidence, Measurements } from '../core/result.ts';
import type { HostSummary, LabDiscovery, LabReport } from '../core/lab-report.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { sanitizeText } from './sanitize.ts';
import { boundReport } from '../core/report-bounds.ts';

export const JSON_SCHEMA_VERSION = 1;
export const GENERATOR = 'router-lab-grader';

// The report as pretty JSON, every string sanitized and bounded (so that it passes its own
// schema, however it was made), with `schemaVersion` and `generator` on top.
export function renderJson(unbounded: LabReport): string {
  const report = boundReport(unbounded);
  const document = {
    schemaVersion: JSON_SCHEMA_VERSION,
    generator: GENERATOR,
    lab: sanitizeText(report.lab),
    startedAt: sanitizeText(report.startedAt),
    durationMs: report.durationMs,
    score: report.score,
    maxScore: report.maxScore,
    summary: { ...report.summary },
    hosts: report.hosts.map(hostJson),
    results: report.results.map(resultJson),
    diagnoses: report.diagnoses?.map(diagnosisJson),
    provenance: report.provenance && { ...report.provenance, only: report.provenance.only?.map(sanitizeText) },
    rescoredFrom: report.rescoredFrom && { ...report.rescoredFrom, only: report.rescoredFrom.only?.map(sanitizeText) },
    retriedAfter: report.retriedAfter?.map((a) => ({ startedAt: sanitizeText(a.startedAt), score: a.score, summary: { ...a.summary }, errors: a.errors.map(sanitizeText) })),
    discovery: report.discovery && discoveryJson(report.discovery),
    builtBy: report.builtBy,
    review: report.review?.map((f) => ({ host: sanitizeText(f.host), sign: f.sign, what: sanitizeText(f.what), seen: f.seen?.map(sanitizeText) })),
    evidenceBasis: report.evidenceBasis && sanitizedJson({ ...report.evidenceBasis }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function discoveryJson(d: LabDiscovery) {
  return {
    hypervisor: sanitizeText(d.hypervisor),
    management: optional(d.management),
    internalNetworks: d.internalNetworks.map(sanitizeText),
    roles: d.roles.map((r) => ({ role: sanitizeText(r.role), domain: optional(r.domain), state: optional(r.state), why: sanitizeText(r.why) })),
    problems: d.problems.map(sanitizeText),
  };
}

function hostJson(host: HostSummary) {
  return {
    role: sanitizeText(host.role),
    target: sanitizeText(host.target),
    reachable: host.reachable,
    error: optional(host.error),
    managementInterface: optional(host.managementInterface),
    internalInterfaces: host.internalInterfaces?.map(sanitizeText),
    identity: host.identity && {
      hostKey: optional(host.identity.hostKey),
      machineId: optional(host.identity.machineId),
      macs: host.identity.macs?.map(sanitizeText),
      domainUuid: optional(host.identity.domainUuid),
      diskImages: host.identity.diskImages?.map(sanitizeText),
    },
  };
}

function resultJson(result: CheckResult) {
  return {
    id: sanitizeText(result.id),
    kind: sanitizeText(result.kind),
    host: sanitizeText(result.host),
    title: sanitizeText(result.title),
    status: result.status,
    points: result.points,
    maxPoints: result.maxPoints,
    reason: optional(result.reason),
    subject: result.subject && sanitizedJson(result.subject),
    message: sanitizeText(result.message),
    expected: optional(result.expected),
    actual: optional(result.actual),
    hint: optional(result.hint),
    evidence: result.evidence.map(evidenceJson),
    measurements: measurementsJson(result.measurements),
    durationMs: result.durationMs,
    params: result.params && sanitizedJson(result.params),
    ownHint: result.ownHint,
    evidenceScope: result.evidenceScope,
    witnesses: result.witnesses?.map((w) => sanitizedJson({ ...w })),
  };
}

function diagnosisJson(d: Diagnosis): Diagnosis {
  return {
    cause: d.cause,
    host: d.host,
    nic: optional(d.nic),
    summary: sanitizeText(d.summary),
    fix: d.fix.map(sanitizeText),
    persist: optional(d.persist),
    evidence: d.evidence.map(sanitizeText),
    results: d.results.map(sanitizeText),
  };
}

// Parameters come from the check file: plain JSON, strings sanitized like everything else.
function sanitizedJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? sanitizeText(v) : v))) as Record<string, unknown>;
}

function evidenceJson(evidence: Evidence): Evidence {
  return {
    host: sanitizeText(evidence.host),
    command: sanitizeText(evidence.command),
    exitCode: evidence.exitCode,
    output: sanitizeText(evidence.output),
  };
}

function measurementsJson(measurements: Measurements): Measurements {
  return Object.fromEntries(Object.entries(measurements).map(([name, value]) => [sanitizeText(name), value]));
}

function optional(s: string | undefined): string | undefined {
  return s === undefined ? undefined : sanitizeText(s);
}

import { boundedOutput, EVIDENCE_LIMIT } from './command-output.ts';
import type { HostSummary, LabReport, ReviewFlag } from './lab-report.ts';
import type { CheckResult, Evidence, Measurements } from './result.ts';

// How much a report keeps of each thing it holds. The report's JSON Schema
// (grader/report/report-schema.ts) is built from these, and boundReport applies them where a
// report is made, so that a report the grader wrote always passes its own schema, whatever the
// lab (hundreds of NICs, thousands of routes, the longest names).
export const REPORT_LIMITS = {
  lab: 256,
  /** Messages, titles, expected/actual, hints, commands. */
  line: 65_536,
  /** Roles, hosts, kinds, interface names. */
  name: 64,
  target: 1024,
  /** What evidence keeps of a command's output: EVIDENCE_LIMIT and the note of what was cut. */
  evidenceOutput: 2 * EVIDENCE_LIMIT,
  evidencePerResult: 256,
  interfacesPerHost: 64,
  hosts: 16,
  measurementsPerResult: 64,
  /** Flags for the instructor to review (review-flags), and the lines each shows. */
  reviewFlags: 32,
  reviewSeenLines: 8,
  /** Epoch milliseconds (an iperf run's start and end) are about 1.8e12. */
  measurementMagnitude: 1e15,
} as const;

// Text cut to at most `max` characters, saying how much was cut when it was.
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (cut: number) => ` [... ${cut} more characters cut]`;
  const keep = max - note(text.length).length;
  return `${text.slice(0, keep)}${note(text.length - keep)}`;
}

export function boundEvidence(evidence: Evidence): Evidence {
  return {
    host: boundText(evidence.host, REPORT_LIMITS.name),
    command: boundText(evidence.command, REPORT_LIMITS.line),
    exitCode: Number.isInteger(evidence.exitCode) && evidence.exitCode! >= -1 && evidence.exitCode! <= 255 ? evidence.exitCode : null,
    // Evidence made by evidenceOf is already cut to EVIDENCE_LIMIT; any other is cut the same way.
    output: evidence.output.length <= REPORT_LIMITS.evidenceOutput ? evidence.output : boundedOutput(evidence.output),
  };
}

function boundEvidenceList(list: readonly Evidence[]): Evidence[] {
  const max = REPORT_LIMITS.evidencePerResult;
  if (list.length <= max) return list.map(boundEvidence);
  const cut = list.length - (max - 1);
  const note: Evidence = { host: list[max - 1]!.host, command: '(further evidence)', exitCode: null, output: `${cut} more pieces of evidence cut` };
  return [...list.slice(0, max - 1).map(boundEvidence), note];
}

// Finite figures within range, at most measurementsPerResult of them (in the order they came).
function boundMeasurements(measurements: Measurements): Measurements {
  const kept = Object.entries(measurements).filter(([, v]) => Number.isFinite(v) && Math.abs(v) <= REPORT_LIMITS.measurementMagnitude);
  return Object.fromEntries(kept.slice(0, REPORT_LIMITS.measurementsPerResult));
}

const optionalText = <T extends object, K extends keyof T>(object: T, key: K, max: number): Partial<T> =>
  typeof object[key] === 'string' ? ({ [key]: boundText(object[key] as string, max) } as Partial<T>) : {};

export function boundResult(result: CheckResult): CheckResult {
  const { line, name } = REPORT_LIMITS;
  return {
    ...result,
    kind: boundText(result.kind, name),
    host: boundText(result.host, name),
    title: boundText(result.title, line),
    message: boundText(result.message, line),
    ...optionalText(result, 'expected', line),
    ...optionalText(result, 'actual', line),
    ...optionalText(result, 'hint', line),
    evidence: boundEvidenceList(result.evidence),
    measurements: boundMeasurements(result.measurements),
  };
}

export function boundHost(host: HostSummary): HostSummary {
  const { line, name, target, interfacesPerHost } = REPORT_LIMITS;
  return {
    ...host,
    role: boundText(host.role, name),
    target: boundText(host.target, target),
    ...optionalText(host, 'error', line),
    ...optionalText(host, 'managementInterface', name),
    ...(host.internalInterfaces ? { internalInterfaces: host.internalInterfaces.slice(0, interfacesPerHost).map((i) => boundText(i, name)) } : {}),
  };
}

export function boundReviewFlag(flag: ReviewFlag): ReviewFlag {
  const { line, name, reviewSeenLines } = REPORT_LIMITS;
  return {
    ...flag,
    host: boundText(flag.host, name),
    what: boundText(flag.what, line),
    ...(flag.seen ? { seen: flag.seen.slice(0, reviewSeenLines).map((l) => boundText(l, line)) } : {}),
  };
}

// The report with every text, list and figure within REPORT_LIMITS. Idempotent.
export function boundReport(report: LabReport): LabReport {
  return {
    ...report,
    ...(report.evidenceBasis ? { evidenceBasis: { ...report.evidenceBasis, inVmOnly: report.evidenceBasis.inVmOnly.slice(0, 1000).map((n) => boundText(n, REPORT_LIMITS.name + 129)), note: boundText(report.evidenceBasis.note, REPORT_LIMITS.line) } } : {}),
    ...(report.review ? { review: report.review.slice(0, REPORT_LIMITS.reviewFlags).map(boundReviewFlag) } : {}),
    lab: boundText(report.lab, REPORT_LIMITS.lab),
    hosts: report.hosts.slice(0, REPORT_LIMITS.hosts).map(boundHost),
    results: report.results.map(boundResult),
  };
}

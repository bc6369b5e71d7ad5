import { CHECK_KINDS, findKind } from '../checks/registry.ts';
import type { Status } from '../core/result.ts';
import { couldNotBeGraded, whyNotGraded, type ClassLab, type ClassReport, type Student } from './class-report.ts';

export interface CheckTally {
  id: string;
  pass: number;
  fail: number;
  error: number;
}

// Results per check id over all labs (a check on three hosts counts three times), the given ids
// first, then any other id met, in order of appearance.
export function tallyChecks(report: ClassReport, checkIds: string[]): CheckTally[] {
  const tallies = new Map<string, CheckTally>(checkIds.map((id) => [id, { id, pass: 0, fail: 0, error: 0 }]));
  for (const { report: lab } of report.labs) {
    for (const result of lab.results) {
      let tally = tallies.get(result.id);
      if (!tally) tallies.set(result.id, (tally = { id: result.id, pass: 0, fail: 0, error: 0 }));
      tally[result.status]++;
    }
  }
  return [...tallies.values()];
}

// Passed over graded (passed + failed): an error says nothing about the student's work.
export function passRate(tally: CheckTally): number | undefined {
  const graded = tally.pass + tally.fail;
  return graded === 0 ? undefined : tally.pass / graded;
}

export interface HistogramBin {
  /** Percent of the max score, inclusive. */
  from: number;
  /** Percent, exclusive but for the last bin, which holds 100%. */
  to: number;
  count: number;
}

// Scores of the graded labs as a percentage of their max score, in ten bins of 10%.
export function scoreHistogram(report: ClassReport): HistogramBin[] {
  const bins: HistogramBin[] = Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: 0 }));
  for (const { report: lab } of report.labs) {
    if (couldNotBeGraded(lab) || lab.maxScore <= 0) continue;
    const percent = (100 * lab.score) / lab.maxScore;
    const bin = bins[Math.min(9, Math.max(0, Math.floor(percent / 10)))];
    if (bin) bin.count++;
  }
  return bins;
}

export interface Throughput {
  lab: string;
  student?: Student;
  host: string;
  mbps: number;
  status: Status;
}

// Every result that measured a throughput (whatever its check's id), highest first.
export function throughputs(report: ClassReport): Throughput[] {
  return report.labs
    .flatMap(({ lab, student, report: labReport }) =>
      labReport.results
        .filter((result) => Number.isFinite(result.measurements.throughputMbps))
        .map((result): Throughput => ({ lab, ...(student ? { student } : {}), host: result.host, mbps: result.measurements.throughputMbps as number, status: result.status })),
    )
    .sort((a, b) => b.mbps - a.mbps);
}

const MEASURE_KINDS = CHECK_KINDS.filter((kind) => kind.phase === 'measure').map((kind) => kind.kind);

export interface NoThroughput {
  lab: ClassLab;
  /** The status of the measurement that gave no figure (error when the lab had none). */
  status: Status;
  /** Why there is no figure: that measurement's message. */
  reason: string;
}

// The labs with no throughput figure, in lab order, each with why: the message of its first
// measurement (a check of a `measure` kind) that gave none, or that its grading had no measurement.
export function labsWithoutThroughput(report: ClassReport): NoThroughput[] {
  return report.labs
    .filter(({ report: lab }) => !lab.results.some((result) => Number.isFinite(result.measurements.throughputMbps)))
    .map((lab): NoThroughput => {
      const measurement = lab.report.results.find((result) => findKind(result.kind)?.phase === 'measure');
      return measurement
        ? { lab, status: measurement.status, reason: measurement.message }
        : { lab, status: 'error', reason: `its grading measured no throughput (no ${MEASURE_KINDS.join(' or ')} check)` };
    });
}

export function notGradedLabs(report: ClassReport): { lab: ClassLab; reasons: string[] }[] {
  return report.labs.filter((lab) => couldNotBeGraded(lab.report)).map((lab) => ({ lab, reasons: whyNotGraded(lab.report) }));
}

// The median score in percent of the max over the graded labs.
export function medianPercent(report: ClassReport): number | undefined {
  const percents = report.labs
    .filter(({ report: lab }) => !couldNotBeGraded(lab) && lab.maxScore > 0)
    .map(({ report: lab }) => (100 * lab.score) / lab.maxScore)
    .sort((a, b) => a - b);
  if (percents.length === 0) return undefined;
  const middle = Math.floor(percents.length / 2);
  return percents.length % 2 === 1 ? percents[middle] : ((percents[middle - 1] ?? 0) + (percents[middle] ?? 0)) / 2;
}

export interface CauseTally {
  cause: string;
  /** Labs diagnosed with this cause at least once. */
  labs: number;
}

// How many labs got each cause (a cause on three VMs of one lab counts once), most frequent first,
// ties in the order of first appearance.
export function tallyCauses(report: ClassReport): CauseTally[] {
  const counts = new Map<string, number>();
  for (const { report: lab } of report.labs) {
    for (const cause of new Set((lab.diagnoses ?? []).map((d) => d.cause))) counts.set(cause, (counts.get(cause) ?? 0) + 1);
  }
  return [...counts].map(([cause, labs]) => ({ cause, labs })).sort((a, b) => b.labs - a.labs);
}

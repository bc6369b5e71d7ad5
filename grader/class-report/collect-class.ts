import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import { readLabReport, type KeptReport } from '../report/read-report.ts';

export interface CollectedClass {
  /** The report of every lab that has one in the folder, in the order of `labs`. */
  reports: LabReport[];
  /** The labs with no report in the folder yet. */
  missing: string[];
  /** Labs whose report in the folder was graded with another check file or --only selection: left out. */
  otherChecks: string[];
}

// A kept report belongs with this run's only when it was graded with the same check file and
// selection: a class never mixes 2/2 and 12/15. A report that does not say is kept.
export function sameGrading(report: LabReport, provenance: GradingProvenance | undefined): boolean {
  const kept = report.provenance;
  if (!provenance || !kept) return true;
  return kept.checksDigest === provenance.checksDigest && JSON.stringify(kept.only ?? null) === JSON.stringify(provenance.only ?? null);
}

// Every lab of the class (the inventory's labs, or a selection of them) whose report is in
// `outDir`: those just graded (`fresh`, which win) and those an earlier run, another shard or a
// partial regrade left there; and the labs with none. What the class files are built from, so
// that they always describe the whole class, never only the labs of the last run.
// A report that fails validation (crafted, truncated, another schema) describes nothing.
const keptReport = (kept: KeptReport | undefined): LabReport | undefined => (kept?.ok ? kept.report : undefined);

export async function collectClass(
  labs: readonly string[],
  outDir: string,
  fresh: ReadonlyMap<string, LabReport> = new Map(),
  provenance?: GradingProvenance,
): Promise<CollectedClass> {
  const found = await Promise.all(labs.map(async (lab) => fresh.get(lab) ?? keptReport(await readLabReport(outDir, lab))));
  const kept = found.map((report) => (report && sameGrading(report, provenance) ? report : undefined));
  return {
    reports: kept.filter((report): report is LabReport => report !== undefined),
    missing: labs.filter((_, index) => found[index] === undefined),
    otherChecks: labs.filter((_, index) => found[index] !== undefined && kept[index] === undefined),
  };
}

// When the class was graded: from the first lab's start to the last lab's end over every report
// collected (several runs, shards, regrades), not only the last run's.
export function classSpan(reports: readonly LabReport[], fallback: { startedAt: string; durationMs: number }): { startedAt: string; durationMs: number } {
  const times = reports.map((r) => ({ start: Date.parse(r.startedAt), end: Date.parse(r.startedAt) + r.durationMs })).filter((t) => Number.isFinite(t.start));
  if (times.length === 0) return fallback;
  const start = Math.min(...times.map((t) => t.start));
  const end = Math.max(...times.map((t) => t.end));
  return { startedAt: new Date(start).toISOString(), durationMs: end - start };
}

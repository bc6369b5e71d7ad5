import { isDeepStrictEqual } from 'node:util';
import { scoreVerdict, type StoredVerdict } from './run-check.ts';
import type { CheckSpec } from '../config/check-file.ts';
import type { GradingProvenance, LabReport } from '../core/lab-report.ts';
import type { CheckResult, Verdict } from '../core/result.ts';

export interface Rescored {
  report: LabReport;
  /** Results whose status changed: `iperf vm1: fail -> pass (why)`. */
  flipped: string[];
  /** Results dropped because the check (or that host of it) is no longer in the check file. */
  removed: string[];
  /** What cannot be decided without grading the lab again, one line per result. */
  needsLiveRun: string[];
}

const labelOf = (id: string, host: string) => (host === 'lab' ? id : `${id} ${host}`);

function scored(spec: CheckSpec, host: string, verdict: StoredVerdict, base: Pick<CheckResult, 'durationMs'>, ownHint: boolean): CheckResult {
  // The stored hint was the kind's own only when the result said so; else the new check file's.
  const { hint: _hint, ...withoutHint } = verdict;
  return scoreVerdict(spec, host, ownHint ? verdict : withoutHint, base.durationMs);
}

// The parameters of `spec` that differ from those the stored result was graded with; undefined
// when the report does not say what it was graded with.
function changedParams(stored: CheckResult, spec: CheckSpec): string[] | undefined {
  if (!stored.params) return Object.keys(spec.params).length === 0 ? [] : undefined;
  const keys = new Set([...Object.keys(stored.params), ...Object.keys(spec.params)]);
  return [...keys].filter((key) => !isDeepStrictEqual(stored.params![key], spec.params[key]));
}

type Judged = { verdict: StoredVerdict; ownHint: boolean } | { needsLiveRun: string };

// One stored result under the new check: kept as it was, judged again by the kind's own pure
// evaluation of what was measured, or undecidable without the lab.
function rejudge(stored: CheckResult, spec: CheckSpec): Judged {
  const kept = { verdict: { ...stored, measurements: stored.measurements }, ownHint: stored.ownHint === true };
  if (spec.kind.kind !== stored.kind) return { needsLiveRun: `its kind changed from ${stored.kind} to ${spec.kind.kind}` };
  const changed = changedParams(stored, spec);
  if (changed === undefined) return { needsLiveRun: 'the report does not record the parameters it was graded with' };
  if (changed.length === 0) return kept;
  const rescoring = spec.kind.rescoring;
  const measuring = changed.filter((key) => !rescoring?.thresholds.includes(key));
  if (measuring.length > 0) return { needsLiveRun: `${measuring.join(', ')} changed: that needs a new measurement` };
  const verdict = rescoring!.reEvaluate(stored, spec.params);
  if (verdict === undefined) return kept;
  if ('needsLiveRun' in verdict) return verdict;
  return { verdict, ownHint: verdict.hint !== undefined };
}

// A stored report re-scored under another check file, without the lab: changed points, titles
// and hints apply; changed thresholds are judged again from the stored measurements by the check
// kind's own evaluation; removed checks are dropped. A result that cannot be decided so (a new
// check, a new kind, a longer measurement) becomes an error saying the lab must be graded again:
// never a guess.
export function rescoreReport(report: LabReport, specs: readonly CheckSpec[], provenance: GradingProvenance): Rescored {
  const results: CheckResult[] = [];
  const flipped: string[] = [];
  const needsLiveRun: string[] = [];
  const wanted = new Set<string>();
  for (const spec of specs) {
    const hosts = spec.kind.scope === 'lab' ? ['lab'] : spec.hosts;
    for (const host of hosts) {
      const label = labelOf(spec.id, host);
      wanted.add(label);
      const stored = report.results.find((r) => r.id === spec.id && r.host === host);
      const judged: Judged = stored ? rejudge(stored, spec) : { needsLiveRun: 'a check the stored report does not have' };
      if ('needsLiveRun' in judged) {
        needsLiveRun.push(`${label}: ${judged.needsLiveRun}`);
        const message = `not re-scored: ${judged.needsLiveRun}; grade the lab again`;
        const verdict: Verdict = { status: 'error', reason: 'not-rescored', subject: { why: judged.needsLiveRun }, message, evidence: stored?.evidence ?? [] };
        results.push(scored(spec, host, verdict, { durationMs: stored?.durationMs ?? 0 }, false));
        continue;
      }
      const result = scored(spec, host, judged.verdict, stored!, judged.ownHint);
      if (result.status !== stored!.status) flipped.push(`${label}: ${stored!.status} -> ${result.status} (${result.message})`);
      results.push(result);
    }
  }
  const removed = report.results.map((r) => labelOf(r.id, r.host)).filter((label) => !wanted.has(label));
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  return {
    report: {
      ...report,
      score: results.reduce((sum, r) => sum + r.points, 0),
      maxScore: results.reduce((sum, r) => sum + r.maxPoints, 0),
      summary: { pass: count('pass'), fail: count('fail'), error: count('error'), total: results.length },
      results,
      provenance,
      ...(report.provenance ? { rescoredFrom: report.provenance } : {}),
    },
    flipped,
    removed,
    needsLiveRun,
  };
}

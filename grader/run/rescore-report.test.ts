import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judgeThroughput } from '../checks/kinds/iperf.ts';
import { evaluatePing, pingParams } from '../checks/kinds/ping.ts';
import { heardWitnesses, type Witness } from '../checks/witnesses.ts';
import { loadCheckFile, type CheckSpec } from '../config/check-file.ts';
import type { LabReport } from '../core/lab-report.ts';
import type { CheckResult, Verdict } from '../core/result.ts';
import { rescoreReport } from './rescore-report.ts';

const EXERCISE = fileURLToPath(new URL('../../checks/exercise.yaml', import.meta.url));
const provenance = { checksDigest: `sha256:${'c'.repeat(64)}`, graderVersion: '0.1.0' };
const agreeing = [{ name: "the iperf3 server's own report", agrees: true, detail: 'received 41.0 Mbit/s from 10.0.1.2' }];

function result(spec: CheckSpec, host: string, verdict: Verdict): CheckResult {
  return {
    id: spec.id, kind: spec.kind.kind, host, title: spec.title, status: verdict.status,
    points: verdict.status === 'pass' ? spec.points : 0, maxPoints: spec.points, reason: verdict.reason, subject: verdict.subject, message: verdict.message,
    expected: verdict.expected, actual: verdict.actual, hint: verdict.status === 'pass' ? undefined : spec.hint,
    evidence: verdict.evidence, measurements: verdict.measurements ?? {}, durationMs: 10, params: spec.params,
    ...(verdict.witnesses ? { witnesses: verdict.witnesses } : {}),
  };
}

// A slow-link lab as the grader stores it: everything passes but iperf, 41 Mbit/s below 100.
async function slowLinkReport(witnesses: Witness[] = agreeing): Promise<{ specs: CheckSpec[]; report: LabReport }> {
  const specs = await loadCheckFile(EXERCISE);
  const results = specs.flatMap((spec) => {
    const hosts = spec.kind.scope === 'lab' ? ['lab'] : spec.hosts;
    return hosts.map((host) => {
      if (spec.kind.kind === 'iperf') {
        const figures = { throughputMbps: 41, senderMbps: 42, retransmits: 3, durationSeconds: 5 };
        return result(spec, host, heardWitnesses(judgeThroughput(figures, undefined, '10.0.2.2', 100, []), witnesses));
      }
      if (spec.kind.kind === 'ping') {
        return result(spec, host, evaluatePing({ transmitted: 5, received: 4, lossPercent: 20, ttls: [63] }, '10.0.2.2', pingParams(spec.params), []));
      }
      return result(spec, host, { status: 'pass', reason: 'fine', subject: {}, message: 'fine', evidence: [] });
    });
  });
  const score = results.reduce((s, r) => s + r.points, 0);
  const report: LabReport = {
    lab: 'lab7', startedAt: '2026-01-01T00:00:00.000Z', durationMs: 9000, score, maxScore: 15,
    summary: { pass: results.filter((r) => r.status === 'pass').length, fail: results.filter((r) => r.status === 'fail').length, error: 0, total: results.length },
    hosts: [], results, provenance,
  };
  return { specs, report };
}

const withParams = (specs: CheckSpec[], id: string, params: Record<string, unknown>, extra: Partial<CheckSpec> = {}) =>
  specs.map((s) => (s.id === id ? { ...s, ...extra, params: { ...s.params, ...params } } : s));

describe('re-scoring a stored report', () => {
  it("turns a slow link's iperf into a pass under a lower floor, judged by the iperf kind, witnesses heard again", async () => {
    const { specs, report } = await slowLinkReport();
    const { report: after, flipped, needsLiveRun } = rescoreReport(report, withParams(specs, 'iperf', { floorMbps: 40 }), provenance);
    expect(flipped).toEqual(['iperf vm1: fail -> pass (41 Mbit/s to 10.0.2.2 (floor 40 Mbit/s))']);
    expect(needsLiveRun).toEqual([]);
    expect(after.score - report.score).toBe(specs.find((s) => s.id === 'iperf')!.points);
    const iperf = after.results.find((r) => r.id === 'iperf')!;
    expect(iperf).toMatchObject({ status: 'pass', measurements: { throughputMbps: 41 }, params: { floorMbps: 40 } });
    expect(iperf.hint).toBeUndefined();
    expect(iperf.actual).toContain("the iperf3 server's own report agrees");
    expect(after.rescoredFrom).toEqual(provenance);
  });

  it('keeps a fail a witness disagreed with, even under a floor it would pass', async () => {
    const { specs, report } = await slowLinkReport([{ name: "the iperf3 server's own report", agrees: false, detail: 'received 900.0 Mbit/s from 10.9.9.9' }]);
    const iperf = rescoreReport(report, withParams(specs, 'iperf', { floorMbps: 10 }), provenance).report.results.find((r) => r.id === 'iperf')!;
    expect(iperf.status).toBe('fail');
    expect(iperf.message).toMatch(/^witnesses disagree/);
  });

  it('cannot judge a pass a witness was not asked about', async () => {
    const { specs, report } = await slowLinkReport([{ name: "the router's counters", detail: 'the router was reached, but its counters could not be read' }]);
    expect(rescoreReport(report, withParams(specs, 'iperf', { floorMbps: 10 }), provenance).needsLiveRun).toEqual([expect.stringMatching(/^iperf vm1: it would pass now, but the router's counters could not be asked/)]);
  });

  it('applies points, hints and a loss threshold; drops removed checks', async () => {
    const { specs, report } = await slowLinkReport();
    let changed = withParams(specs, 'ping', { maxLossPercent: 25 }, { points: 4 });
    changed = changed.map((s) => (s.id === 'iperf' ? { ...s, hint: 'Use VirtIO NICs.' } : s)).filter((s) => s.id !== 'traceroute');
    const { report: after, flipped, removed } = rescoreReport(report, changed, provenance);
    expect(flipped).toEqual([expect.stringMatching(/^ping vm1: fail -> pass/)]);
    expect(after.results.find((r) => r.id === 'ping')).toMatchObject({ status: 'pass', points: 4, maxPoints: 4 });
    expect(after.results.find((r) => r.id === 'iperf')).toMatchObject({ status: 'fail', hint: 'Use VirtIO NICs.' });
    expect(removed).toEqual(['traceroute vm1']);
    expect(after.results.some((r) => r.id === 'traceroute')).toBe(false);
  });

  it('says what needs a live run instead of guessing: a longer iperf, a new check, another kind, another ping count', async () => {
    const { specs, report } = await slowLinkReport();
    const iperfSpec = specs.find((s) => s.id === 'iperf')!;
    const changed = [
      ...withParams(withParams(specs, 'iperf', { durationSeconds: 30 }), 'ping', { count: 10 }).map((s) => (s.id === 'routes' ? { ...s, kind: iperfSpec.kind } : s)),
      { ...iperfSpec, id: 'iperf-back', hosts: ['vm3' as const] },
    ];
    const { report: after, needsLiveRun, flipped } = rescoreReport(report, changed, provenance);
    expect(needsLiveRun).toEqual([
      'routes vm1: its kind changed from routes to iperf',
      'routes vm3: its kind changed from routes to iperf',
      'ping vm1: count changed: that needs a new measurement',
      'iperf vm1: durationSeconds changed: that needs a new measurement',
      'iperf-back vm3: a check the stored report does not have',
    ]);
    expect(after.results.filter((r) => r.status === 'error')).toHaveLength(5);
    expect(after.results.find((r) => r.id === 'iperf')!.message).toMatch(/^not re-scored: .*grade the lab again$/);
    expect(flipped).toEqual([]);
  });

  it("re-scores a report written before verdicts had a reason and a subject: what stands is kept, what needs them says so", async () => {
    const { specs, report } = await slowLinkReport();
    // As the previous grader wrote it: no reason, no subject, the witnesses only in `actual`.
    const old: LabReport = { ...report, results: report.results.map(({ reason: _r, subject: _s, witnesses: _w, ...rest }) => rest) };
    const kept = rescoreReport(old, withParams(specs, 'subnets', {}, { points: 3 }), provenance);
    expect(kept.needsLiveRun).toEqual([]);
    expect(kept.report.results.find((r) => r.id === 'iperf')).toMatchObject({ status: 'fail', message: old.results.find((r) => r.id === 'iperf')!.message });
    const { needsLiveRun, report: after } = rescoreReport(old, withParams(specs, 'iperf', { floorMbps: 40 }), provenance);
    expect(needsLiveRun).toEqual(['iperf vm1: the report was written by an earlier version of the grader, which did not record what its verdicts were about']);
    expect(after.results.find((r) => r.id === 'iperf')).toMatchObject({ status: 'error', reason: 'not-rescored' });
  });
});

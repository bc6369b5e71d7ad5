import { describe, expect, it } from 'vitest';
import { buildClassReport, couldNotBeGraded, whyNotGraded } from './class-report.ts';
import { labsWithoutThroughput, medianPercent, notGradedLabs, passRate, scoreHistogram, tallyChecks, throughputs } from './class-stats.ts';
import { CHECK_IDS, classLabReport, sampleClass, sampleClassLabs, unreachableLabReport } from '../../test/support/sample-class.ts';

describe('couldNotBeGraded and whyNotGraded', () => {
  it('is true only when every result is an error', () => {
    expect(couldNotBeGraded(unreachableLabReport('a', { vm1: 'down' }))).toBe(true);
    const partly = sampleClassLabs().find((lab) => lab.lab === 'lab12');
    if (!partly) throw new Error('no lab12');
    expect(couldNotBeGraded(partly)).toBe(false);
  });

  it("gives the hosts' errors, else the first error message", () => {
    expect(whyNotGraded(unreachableLabReport('a', { vm1: 'refused', vm3: 'timed out' }))).toEqual(['vm1: refused', 'vm3: timed out']);
    const report = unreachableLabReport('a', {});
    expect(whyNotGraded({ ...report, hosts: [] })).toEqual(['vm1 could not be reached: unreachable']);
  });
});

describe('buildClassReport', () => {
  it('joins the students and sorts the labs, lab2 before lab10', () => {
    const report = buildClassReport([classLabReport('lab10'), classLabReport('lab2')], new Map([['lab10', { id: '10' }]]), { startedAt: 'x', durationMs: 1 });
    expect(report.labs.map((lab) => [lab.lab, lab.student?.id])).toEqual([
      ['lab2', undefined],
      ['lab10', '10'],
    ]);
    expect('student' in (report.labs[0] ?? {})).toBe(false);
  });
});

describe('class statistics', () => {
  const report = sampleClass();

  it('tallies results per check id, per host, in check-file order then others', () => {
    const tallies = tallyChecks(report, ['iperf', ...CHECK_IDS.filter((id) => id !== 'iperf' && id !== 'subnets')]);
    expect(tallies[0]).toEqual({ id: 'iperf', pass: 6, fail: 4, error: 2 });
    expect(tallies.at(-1)).toEqual({ id: 'subnets', pass: 9, fail: 1, error: 2 });
    expect(passRate({ id: 'x', pass: 0, fail: 0, error: 3 })).toBeUndefined();
    expect(passRate({ id: 'x', pass: 3, fail: 1, error: 3 })).toBe(0.75);
  });

  it('bins the graded scores by tenths of the maximum, 100% in the last bin', () => {
    expect(scoreHistogram(report).map((bin) => bin.count)).toEqual([0, 0, 0, 0, 2, 0, 1, 0, 5, 2]);
    expect(medianPercent(report)).toBeCloseTo((100 * 12.5) / 15); // 6 7 10 12 [12 13] 13 13 15 15
  });

  it('lists the measured throughputs, highest first', () => {
    expect(throughputs(report).map((t) => [t.lab, t.mbps, t.status])).toEqual([
      ['lab02', 2450.7, 'pass'],
      ['lab10', 1980.6, 'pass'],
      ['lab09', 1210, 'pass'],
      ['lab01', 941.2, 'pass'],
      ['lab08', 870.4, 'pass'],
      ['lab04', 412.5, 'pass'],
      ['lab07', 87.3, 'fail'],
    ]);
  });

  it('lists the labs with no throughput figure, with the reason their measurement gave (issue 27, rough edge 4)', () => {
    expect(labsWithoutThroughput(report).map(({ lab, status, reason }) => [lab.lab, status, reason])).toEqual([
      ['lab03', 'fail', 'iperf3 to 10.0.2.3 failed: unable to connect'],
      ['lab05', 'error', 'vm1 could not be reached: ssh: connect ECONNREFUSED 192.168.122.51:22'],
      ['lab06', 'error', 'vm1 could not be reached: authentication refused for student@192.168.122.61 <publickey>'],
      ['lab11', 'fail', 'iperf3 is not installed on vm3'],
      ['lab12', 'fail', 'iperf3 to 10.0.2.3 failed: unable to connect'],
    ]);
    // A lab whose grading had no measurement at all (another --only) says so.
    const none = classLabReport('lab13');
    none.results = none.results.filter((r) => r.kind !== 'iperf');
    expect(labsWithoutThroughput({ ...report, labs: [{ lab: 'lab13', report: none }] }).map(({ reason }) => reason)).toEqual(['its grading measured no throughput (no iperf check)']);
  });

  it('lists the labs that could not be graded', () => {
    expect(notGradedLabs(report).map(({ lab, reasons }) => [lab.lab, reasons.length])).toEqual([
      ['lab05', 3],
      ['lab06', 3],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ClassLab } from './class-report.ts';
import { renderGradescopeResults } from './gradescope.ts';
import { sampleClass } from '../../test/support/sample-class.ts';

const labs = new Map(sampleClass().labs.map((lab) => [lab.lab, lab]));
const lab = (name: string): ClassLab => {
  const found = labs.get(name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};
const results = (name: string) => JSON.parse(renderGradescopeResults(lab(name))) as Record<string, unknown> & { tests: Record<string, unknown>[] };

describe('renderGradescopeResults', () => {
  it('has the score, the execution time in seconds, a summary and one test per check and host', () => {
    const json = results('lab01');
    expect(Object.keys(json)).toEqual(['score', 'execution_time', 'output', 'tests']);
    expect(json.score).toBe(12);
    expect(json.execution_time).toBe(31);
    expect(json.output).toBe('lab01: 12/15 points (7 passed, 3 failed)');
    expect(json.tests.map((t) => t.name)).toEqual(['subnets', 'virtio vm1', 'virtio router', 'virtio vm3', 'ip-forward router', 'routes vm1', 'routes vm3', 'ping vm1', 'traceroute vm1', 'iperf vm1']);
  });

  it('gives a failed test its points, message, expected, actual and hint', () => {
    expect(results('lab01').tests[1]).toEqual({
      name: 'virtio vm1',
      score: 0,
      max_score: 1,
      status: 'failed',
      output: "enp7s0 uses veth\nExpected: virtio_net on every NIC\nActual: veth on enp7s0\nHint: Set the NIC model to VirtIO (virsh edit: <model type='virtio'/>), then restart the VM.",
      visibility: 'visible',
    });
  });

  it("gives a failure the diagnosis that explains it instead of the check's hint", () => {
    const diagnosed: ClassLab = { ...lab('lab01'), report: { ...lab('lab01').report, diagnoses: [{ cause: 'not-virtio', host: 'vm1', summary: 'VM1 has a veth.', fix: ['virsh edit VM1_DOMAIN'], evidence: [], results: ['virtio vm1'] }] } };
    const output = String((JSON.parse(renderGradescopeResults(diagnosed)) as { tests: Array<{ output: string }> }).tests[1]!.output);
    expect(output).not.toContain('Hint:');
    expect(output).toContain('Why, and what to fix:');
  });

  it('gives a passed test its points and measurements, without a hint', () => {
    expect(results('lab01').tests[9]).toEqual({
      name: 'iperf vm1',
      score: 2,
      max_score: 2,
      status: 'passed',
      output: 'throughput above the floor of 100 Mbit/s\nMeasured: throughputMbps=941.2',
      visibility: 'visible',
    });
  });

  it('says why a lab could not be graded, and marks its tests failed with 0 points', () => {
    const json = results('lab05');
    expect(json.score).toBe(0);
    expect(json.output).toBe(
      'lab05 could not be graded: nothing could be checked.\nvm1: ssh: connect ECONNREFUSED 192.168.122.51:22\nrouter: ssh: connect timed out after 10 s\nvm3: ssh: connect timed out after 10 s',
    );
    expect(json.tests.every((t) => t.status === 'failed' && t.score === 0)).toBe(true);
    expect(json.tests[0]?.output).toMatch(/^Could not be graded: vm1 could not be reached: ssh: connect ECONNREFUSED/);
  });

  it('counts the errors of a partly graded lab in the summary', () => {
    expect(results('lab12').output).toBe('lab12: 6/15 points (5 passed, 3 failed, 2 could not be graded)');
  });

  it('drops escape sequences and control characters from what a VM printed', () => {
    const base = lab('lab01');
    const first = base.report.results[0];
    if (!first) throw new Error('no result');
    const hostile: ClassLab = { ...base, report: { ...base.report, results: [{ ...first, status: 'fail', message: '\x1b[31mred\x1b[0m\x00 done' }] } };
    const json = JSON.parse(renderGradescopeResults(hostile)) as { tests: { output: string }[] };
    expect(json.tests[0]?.output.split('\n')[0]).toBe('red done');
  });
});

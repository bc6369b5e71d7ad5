// The general rule: a diagnosis never contradicts a passing check, for every cause there is.
import { describe, expect, it } from 'vitest';
import { CAUSES, type Cause, type Diagnosis } from '../core/diagnosis.ts';
import type { CheckResult } from '../core/result.ts';
import { consistentWith, contradictsPassingChecks, REFUTED_BY } from './consistency.ts';
import { diagnose } from './diagnose.ts';
import { fixture } from '../../test/support/test-files.ts';
import type { DiagnosisInput } from './diagnose.ts';

const result = (kind: string, host: string, status: CheckResult['status']): CheckResult => ({
  id: kind,
  kind,
  host,
  title: kind,
  status,
  points: 0,
  maxPoints: 1,
  message: '',
  evidence: [],
  measurements: {},
  durationMs: 0,
});

// Every check of the exercise, on its usual hosts.
const EXERCISE: Array<[string, string]> = [
  ['subnets', 'lab'],
  ['virtio', 'vm1'],
  ['virtio', 'router'],
  ['virtio', 'vm3'],
  ['ip-forward', 'router'],
  ['routes', 'vm1'],
  ['routes', 'vm3'],
  ['ping', 'vm1'],
  ['traceroute', 'vm1'],
  ['iperf', 'vm1'],
];
const allPass = () => EXERCISE.map(([k, h]) => result(k, h, 'pass'));
const hostOf = (cause: Cause): Diagnosis['host'] =>
  cause === 'forwarding-off' ? 'router' : cause === 'no-return-route' ? 'vm3' : cause === 'overlapping-subnets' ? 'lab' : 'vm1';
const diagnosisOf = (cause: Cause): Diagnosis => ({ cause, host: hostOf(cause), summary: '', fix: [], evidence: [], results: [] });

describe('a diagnosis never contradicts a passing check', () => {
  it('every cause says which checks refute it (or that none looks at what it claims)', () => {
    const missing = CAUSES.filter((c) => !(c in REFUTED_BY));
    expect(missing, 'declare in grader/diagnose/consistency.ts which passing checks refute these causes').toEqual([]);
  });

  const refutable = CAUSES.filter((c) => REFUTED_BY[c]);
  it.for(refutable)('%s is dropped when every check that looks at it passed, and kept when one of them did not', (cause) => {
    const d = diagnosisOf(cause);
    expect(contradictsPassingChecks(d, allPass())).toBe(true);
    expect(consistentWith([d], allPass())).toEqual([]);
    const rule = REFUTED_BY[cause]!;
    const failing = allPass().map((r) => (r.kind === rule.kinds[0] && (rule.scope === 'lab' || r.host === d.host) ? { ...r, status: 'fail' as const } : r));
    expect(consistentWith([d], failing)).toEqual([d]);
  });

  it('a cause is kept when the checks that would refute it did not run (nothing to contradict)', () => {
    const d = diagnosisOf('no-route');
    expect(consistentWith([d], allPass().filter((r) => r.kind !== 'routes'))).toEqual([d]);
  });

  it('a route cause on VM3 is not refuted by VM1\'s passing routes', () => {
    const d = diagnosisOf('no-return-route');
    const results = allPass().map((r) => (r.kind === 'routes' && r.host === 'vm3' ? { ...r, status: 'fail' as const } : r));
    expect(consistentWith([d], results)).toEqual([d]);
  });

  it('diagnose() applies the rule: what the passing routes check saw right is not a cause, whatever else was observed', () => {
    const s = JSON.parse(fixture('diagnose/good.json')) as DiagnosisInput & { addresses: { vm3: { internal: string }; hypervisor: { management: string } } };
    // The good lab, as if VM1's later route lookup had gone by the default route: the routes check passed all the same.
    const vm1 = s.observations!.hosts.vm1!;
    const peer = s.addresses.vm3.internal;
    vm1.routes[peer] = { destination: peer, type: 'unicast', gateway: s.addresses.hypervisor.management, device: 'enp1s0' };
    const found = diagnose(s).filter((d) => d.cause !== 'not-virtio');
    expect(found).toEqual([]);
    // The same state with the routes check failed: the cause is named.
    const failed = s.results.map((r) => (r.kind === 'routes' && r.host === 'vm1' ? { ...r, status: 'fail' as const } : r));
    expect(diagnose({ ...s, results: failed }).map((d) => `${d.cause} ${d.host}`)).toContain('route-bypasses-router vm1');
  });
});

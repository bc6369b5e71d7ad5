// The cross-check of ip-forward's pass against the router's counters of the same run, on the
// results of the recorded no-forwarding lab (fixtures/diagnose/no-forwarding.json) with ip-forward
// made to pass, as a file mounted over ip_forward or a hook answering its read makes it, and the
// figures the router's witness records beside ForwDatagrams.
import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/test-files.ts';
import type { CheckResult, Measurements } from '../core/result.ts';
import { forwardingContradiction } from './forwarding-contradiction.ts';

const recorded = (JSON.parse(fixture('diagnose/no-forwarding.json')) as { results: CheckResult[] }).results;

function lab(figures: Record<string, Measurements>, ipForward: CheckResult['status'] = 'pass'): CheckResult[] {
  return recorded.map((r) => {
    if (r.kind === 'ip-forward') return { ...r, status: ipForward, reason: ipForward === 'pass' ? 'forwarding-on' : r.reason };
    const extra = figures[r.kind];
    return extra ? { ...r, measurements: { ...r.measurements, ...extra } } : r;
  });
}

// The router with forwarding off: VM1's 20 echo requests came in, none forwarded, every one refused.
const OFF = { ping: { routerPacketsInFromSource: 24, routerForwardedDatagrams: 0, routerRefusedDatagrams: 20, routerKernelForwarding: 0 } };

describe('forwardingContradiction', () => {
  it("fails ip-forward's pass when requests came in, none was forwarded and the kernel refused them, naming the check and the figures", () => {
    const found = forwardingContradiction(lab(OFF));
    expect(found?.result.kind).toBe('ip-forward');
    expect(found?.verdict).toMatchObject({ status: 'fail', reason: 'forwarding-contradicted', subject: { contradictedBy: ['ping vm1'] } });
    expect(found?.verdict.message).toBe(
      "net.ipv4.ip_forward read 1, but the router's kernel did not forward: during ping vm1, 24 packets came in from the source VM and the router's kernel forwarded 0 and refused 20 as not its own to route (InAddrErrors)",
    );
  });

  it('holds the kernel\'s own setting read during the traffic as enough, without refusals', () => {
    expect(forwardingContradiction(lab({ ping: { ...OFF.ping, routerRefusedDatagrams: 0 } }))?.verdict.status).toBe('fail');
  });

  it('leaves a firewall that drops forwarded packets alone: the kernel forwarded them (or refused none and says it forwards)', () => {
    expect(forwardingContradiction(lab({ ping: { ...OFF.ping, routerForwardedDatagrams: 20, routerRefusedDatagrams: 0, routerKernelForwarding: 1 } }))).toBeUndefined();
    expect(forwardingContradiction(lab({ ping: { ...OFF.ping, routerRefusedDatagrams: 0, routerKernelForwarding: 1 } }))).toBeUndefined();
  });

  it('needs traffic: noise (under 3 packets in) and results recorded without the figures say nothing', () => {
    expect(forwardingContradiction(lab({ ping: { ...OFF.ping, routerPacketsInFromSource: 2 } }))).toBeUndefined();
    expect(forwardingContradiction(lab({}))).toBeUndefined();
  });

  it('lets the hypervisor decide: traffic it saw leave toward VM3 keeps the pass, none leaving with the kernel refusing fails it', () => {
    const hypervisor = (towardTarget: number) => ({ ping: { ...OFF.ping, hypervisorPacketsInFromSource: 22, hypervisorPacketsTowardTarget: towardTarget } });
    expect(forwardingContradiction(lab(hypervisor(20)))).toBeUndefined();
    const found = forwardingContradiction(lab(hypervisor(0)));
    expect(found?.verdict.message).toContain('the hypervisor counted 22 packets in from VM1 and 0 out toward VM3');
  });

  it('changes nothing when ip-forward did not pass', () => {
    expect(forwardingContradiction(lab(OFF, 'fail'))).toBeUndefined();
  });
});

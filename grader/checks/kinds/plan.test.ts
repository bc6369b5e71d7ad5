import { describe, expect, it } from 'vitest';
import { evaluatePlan, type PlanObservation, type PlanParams } from './plan.ts';

const mine: PlanParams = { student: 's1', vm1Network: '10.37.4.0/24', vm3Network: '10.91.200.0/24', routerOnVm1: '10.37.4.57', routerOnVm3: '10.91.200.9', otherPlans: [{ student: 's2', lab: 'nc2', vm1Network: '172.20.8.0/24', vm3Network: '192.168.40.0/24' }] };
const built = (vm1Network: string, vm3Network: string, routerAddresses: string[]): PlanObservation => ({ vm1Network, vm3Network, routerAddresses: ['192.168.122.30', ...routerAddresses], evidence: [] });

describe('evaluatePlan', () => {
  it("passes a lab on the student's own networks with the router on the planned addresses", () => {
    const verdict = evaluatePlan(built('10.37.4.0/24', '10.91.200.0/24', ['10.37.4.57', '10.91.200.9']), mine);
    expect(verdict).toMatchObject({ status: 'pass', reason: 'follows-plan' });
    expect(verdict.message).toBe('VM1 on 10.37.4.0/24, VM3 on 10.91.200.0/24 and the router on 10.37.4.57 and 10.91.200.9, as planned');
  });

  it('passes the two networks swapped between VM1 and VM3', () => {
    expect(evaluatePlan(built('10.91.200.0/24', '10.37.4.0/24', ['10.91.200.9', '10.37.4.57']), mine).status).toBe('pass');
  });

  it("fails the plan's networks with the router elsewhere in them", () => {
    const verdict = evaluatePlan(built('10.37.4.0/24', '10.91.200.0/24', ['10.37.4.1', '10.91.200.9']), mine);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'router-not-planned' });
    expect(verdict.message).toBe("the networks are your plan's, but the router's addresses are not 10.37.4.57 and 10.91.200.9");
  });

  it("fails a lab built on a classmate's plan and names whose", () => {
    const verdict = evaluatePlan(built('172.20.8.0/24', '192.168.40.0/24', ['172.20.8.3', '192.168.40.3']), mine);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'other-students-plan', subject: { otherStudent: 's2', otherLab: 'nc2' } });
    expect(verdict.message).toBe("the lab is built on another student's addressing plan (s2's), not on yours (10.37.4.0/24 and 10.91.200.0/24)");
  });

  it('fails other networks, saying which were found and which are planned', () => {
    const verdict = evaluatePlan(built('10.10.1.0/24', '10.10.2.0/24', ['10.10.1.1', '10.10.2.1']), mine);
    expect(verdict).toMatchObject({ status: 'fail', reason: 'not-the-plan' });
    expect(verdict.message).toBe('VM1 is on 10.10.1.0/24 and VM3 on 10.10.2.0/24; your plan is 10.37.4.0/24 and 10.91.200.0/24');
  });

  it('cannot be graded without a plan: an error, never a pass', () => {
    expect(evaluatePlan(built('10.10.1.0/24', '10.10.2.0/24', []), { otherPlans: [] })).toMatchObject({ status: 'error', reason: 'no-plan' });
  });
});

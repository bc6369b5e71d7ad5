import { describe, expect, it } from 'vitest';
import { findKind } from '../checks/registry.ts';
import type { CheckSpec } from '../config/check-file.ts';
import { drawClassPlans } from './draw-plans.ts';
import { DEFAULT_EXCLUDE, DEFAULT_POOLS } from './lab-plan.ts';
import { checksForLab, classPlans } from './plan-checks.ts';

const spec = (id: string, kind: string): CheckSpec => ({ id, kind: findKind(kind)!, title: id, hint: '', points: 2, hosts: ['vm1', 'router', 'vm3'], params: {} });
const CHECKS = [spec('subnets', 'subnets'), spec('plan', 'plan'), spec('ping', 'ping')];
const { plans } = drawClassPlans('course', ['s1', 's2'], [], { pools: DEFAULT_POOLS, prefixLength: 24, exclude: DEFAULT_EXCLUDE });
const roster = new Map([['nc1', { id: 's1' }], ['nc2', { id: 's2' }], ['nc3', { id: 's3' }]]);

describe('checksForLab', () => {
  const lookup = classPlans(plans, roster);

  it("fills the plan check with the lab's student's plan and the classmates' plans", () => {
    const checks = checksForLab(CHECKS, lookup.of('nc1'));
    expect(checks.map((c) => c.id)).toEqual(['subnets', 'plan', 'ping']);
    const own = plans.find((p) => p.studentId === 's1')!;
    const other = plans.find((p) => p.studentId === 's2')!;
    expect(checks[1]!.params).toEqual({
      student: 's1', vm1Network: own.vm1Network, vm3Network: own.vm3Network, routerOnVm1: own.routerOnVm1, routerOnVm3: own.routerOnVm3,
      otherPlans: [{ student: 's2', lab: 'nc2', vm1Network: other.vm1Network, vm3Network: other.vm3Network }],
    });
    expect(CHECKS[1]!.params).toEqual({});
  });

  it('leaves the plan check out for a lab whose student has no plan, or that no roster line names', () => {
    expect(checksForLab(CHECKS, lookup.of('nc3')).map((c) => c.id)).toEqual(['subnets', 'ping']);
    expect(checksForLab(CHECKS, lookup.of('nc9')).map((c) => c.id)).toEqual(['subnets', 'ping']);
    expect(checksForLab(CHECKS, classPlans(plans, undefined).of('nc1')).map((c) => c.id)).toEqual(['subnets', 'ping']);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSubnet, subnetContains, subnetsOverlap } from '../core/ipv4.ts';
import { checkPlanPools, drawClassPlans, drawPlan, planNetworks } from './draw-plans.ts';
import { DEFAULT_EXCLUDE, DEFAULT_POOLS, type LabPlan, type PlanPools } from './lab-plan.ts';

const DEFAULTS: PlanPools = { pools: DEFAULT_POOLS, prefixLength: 24, exclude: DEFAULT_EXCLUDE };
const ids = (n: number, prefix = 's') => Array.from({ length: n }, (_, i) => `${prefix}${1000 + i}`);

// Every network of every plan, with the plan it belongs to.
function overlaps(plans: readonly LabPlan[], exclude: readonly string[]): string[] {
  const all = plans.flatMap((plan) => planNetworks(plan).map((net) => ({ net, who: plan.studentId })));
  const problems: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      if (subnetsOverlap(all[i]!.net, all[j]!.net)) problems.push(`${all[i]!.who} and ${all[j]!.who}`);
    }
    for (const cidr of exclude) if (subnetsOverlap(all[i]!.net, parseSubnet(cidr))) problems.push(`${all[i]!.who} overlaps ${cidr}`);
  }
  return problems;
}

describe('drawClassPlans', () => {
  it('never overlaps within a class or with the excluded networks, over many rosters and pool sizes', () => {
    const cases: Array<{ pools: string[]; prefixLength: number; exclude: string[]; students: number }> = [
      { pools: DEFAULT_POOLS, prefixLength: 24, exclude: DEFAULT_EXCLUDE, students: 300 },
      { pools: ['10.20.0.0/16'], prefixLength: 24, exclude: ['10.20.0.0/20'], students: 100 },
      { pools: ['172.16.0.0/20'], prefixLength: 26, exclude: ['172.16.3.0/24'], students: 30 },
      { pools: ['192.168.0.0/16'], prefixLength: 29, exclude: ['192.168.122.0/24', '192.168.1.0/24'], students: 250 },
      { pools: ['10.1.0.0/22', '10.2.0.0/22'], prefixLength: 25, exclude: [], students: 8 },
    ];
    for (const [n, { students, ...pools }] of cases.entries()) {
      const { plans } = drawClassPlans(`secret-${n}`, ids(students), [], pools);
      expect(plans).toHaveLength(students);
      expect(overlaps(plans, pools.exclude)).toEqual([]);
      for (const plan of plans) {
        expect(plan.drawnFrom).toEqual(pools);
        expect(pools.pools.some((pool) => subnetContains(parseSubnet(pool), parseSubnet(plan.vm1Network).network))).toBe(true);
        expect(subnetContains(parseSubnet(plan.vm1Network), plan.routerOnVm1)).toBe(true);
        expect(subnetContains(parseSubnet(plan.vm3Network), plan.routerOnVm3)).toBe(true);
      }
    }
  });

  it('gives the same plans from the same secret, and other plans from another secret', () => {
    const first = drawClassPlans('course-a', ids(20), [], DEFAULTS).plans;
    expect(drawClassPlans('course-a', ids(20), [], DEFAULTS).plans).toEqual(first);
    const other = drawClassPlans('course-b', ids(20), [], DEFAULTS).plans;
    expect(other.map((p) => p.vm1Network)).not.toEqual(first.map((p) => p.vm1Network));
  });

  it('keeps the stored plans, draws only for new students, and draws again on a reseed', () => {
    const { plans: kept } = drawClassPlans('course', ids(10), [], DEFAULTS);
    const again = drawClassPlans('course', ids(10), kept, DEFAULTS);
    expect(again.drawn).toEqual([]);
    expect(again.plans).toEqual(kept);

    const grown = drawClassPlans('course', [...ids(10), 'late-joiner'], kept, DEFAULTS);
    expect(grown.drawn.map((p) => p.studentId)).toEqual(['late-joiner']);
    expect(grown.plans.filter((p) => p.studentId !== 'late-joiner')).toEqual(kept);
    expect(overlaps(grown.plans, DEFAULT_EXCLUDE)).toEqual([]);

    const reseeded = drawClassPlans('course', ids(10), kept, DEFAULTS, ['s1003']);
    const before = kept.find((p) => p.studentId === 's1003')!;
    const after = reseeded.plans.find((p) => p.studentId === 's1003')!;
    expect(after.draw).toBe(1);
    expect([after.vm1Network, after.vm3Network]).not.toEqual([before.vm1Network, before.vm3Network]);
    expect(reseeded.plans.filter((p) => p.studentId !== 's1003')).toEqual(kept.filter((p) => p.studentId !== 's1003'));
  });

  it('says so when the pools have no room left', () => {
    const small: PlanPools = { pools: ['10.9.0.0/23'], prefixLength: 24, exclude: [] };
    expect(() => drawClassPlans('course', ids(2), [], small)).toThrow(/no free \/24 network is left in 10\.9\.0\.0\/23 for student s1001/);
    // 60 free /26 networks: 30 students take every one of them, found by the scan once the random draws miss.
    const full: PlanPools = { pools: ['172.16.0.0/20'], prefixLength: 26, exclude: ['172.16.3.0/24'] };
    expect(drawClassPlans('course', ids(30), [], full).plans).toHaveLength(30);
    expect(() => drawClassPlans('course', ids(31), [], full)).toThrow(/no free \/26 network/);
    // A pool mostly excluded: the scan jumps the excluded range.
    const fenced: PlanPools = { pools: ['10.0.0.0/8'], prefixLength: 29, exclude: ['10.0.0.0/9', '10.128.0.0/10', '10.192.0.0/11', '10.224.0.0/12', '10.240.0.0/13', '10.248.0.0/14', '10.252.0.0/15', '10.254.0.0/16', '10.255.0.0/17', '10.255.128.0/18', '10.255.192.0/19', '10.255.224.0/20', '10.255.240.0/21', '10.255.248.0/22', '10.255.252.0/23', '10.255.254.0/24', '10.255.255.0/25', '10.255.255.128/26'] };
    expect(overlaps(drawClassPlans('course', ids(4), [], fenced).plans, fenced.exclude)).toEqual([]);
  });

  it('puts the router in the lower half of each network, never on the bridge or network address', () => {
    for (const id of ids(200)) {
      const plan = drawPlan('course', id, 0, { pools: ['10.0.0.0/8'], prefixLength: 29, exclude: [] }, []);
      const last = Number(plan.routerOnVm1.split('.')[3]) % 8;
      expect(last).toBeGreaterThanOrEqual(2);
      expect(last).toBeLessThan(4);
    }
  });
});

describe('checkPlanPools', () => {
  it('reports every mistake at once', () => {
    expect(checkPlanPools({ pools: ['10.0.0.1/8', 'nonsense', '10.5.5.0/28'], prefixLength: 24, exclude: ['300.1.1.0/24'] })).toEqual([
      "--pool '10.0.0.1/8' has host bits set: did you mean 10.0.0.0/8?",
      "--pool 'nonsense' is not an IPv4 network (A.B.C.D/N)",
      '--pool 10.5.5.0/28 is smaller than one /24 network (--prefix-length)',
      "--exclude '300.1.1.0/24' is not an IPv4 network (A.B.C.D/N)",
    ]);
    expect(checkPlanPools({ pools: [], prefixLength: 31, exclude: [] })).toEqual([
      '--pool: at least one pool is needed',
      "--prefix-length must be a whole number from 1 to 29 (a network needs at least 8 addresses), got '31'",
    ]);
    expect(checkPlanPools(DEFAULTS)).toEqual([]);
  });
});

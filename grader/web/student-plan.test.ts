import { describe, expect, it } from 'vitest';
import { drawClassPlans } from '../plan/draw-plans.ts';
import { DEFAULT_EXCLUDE, DEFAULT_POOLS } from '../plan/lab-plan.ts';
import { studentPage } from './student-page.ts';

const { plans } = drawClassPlans('course', ['s1', 's2'], [], { pools: DEFAULT_POOLS, prefixLength: 24, exclude: DEFAULT_EXCLUDE });
const page = (plan?: (typeof plans)[number]) =>
  studentPage({ lab: 'nc1', student: { id: 's1', name: 'Ada <b>' }, attempts: [], now: new Date(), coursePublicKey: 'ssh-ed25519 AAAA k', baseUrl: 'http://x', ...(plan ? { plan } : {}) });

describe("the student's page with a plan", () => {
  it("shows the student's own handout, with their route lines, and no classmate's values", () => {
    const [own, other] = plans;
    const html = page(own);
    expect(html).toContain('<h2 id="plan-title">Your addressing plan</h2>');
    expect(html).toContain(`sudo ip route add ${own!.vm3Network} via ${own!.routerOnVm1}`);
    expect(html).not.toContain(other!.vm1Network);
    expect(html).not.toContain('<b>');
  });

  it('has no plan section in a course without plans', () => {
    expect(page()).not.toContain('plan-title');
  });
});

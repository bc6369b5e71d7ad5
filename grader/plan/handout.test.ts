import { describe, expect, it } from 'vitest';
import { drawClassPlans } from './draw-plans.ts';
import { handoutOf } from './handout.ts';
import { handoutHtml, handoutMarkdown } from './handout-render.ts';
import { DEFAULT_EXCLUDE, DEFAULT_POOLS, PLAN_FIELDS } from './lab-plan.ts';

const { plans } = drawClassPlans('course', ['s1', 's2', 's3'], [], { pools: DEFAULT_POOLS, prefixLength: 24, exclude: DEFAULT_EXCLUDE });

describe('handouts', () => {
  it("hold the student's own values and none of a classmate's", () => {
    for (const plan of plans) {
      const md = handoutMarkdown(handoutOf(plan, plan.studentId));
      for (const field of PLAN_FIELDS) expect(md).toContain(plan[field]);
      expect(md).toContain(`sudo ip route add ${plan.vm3Network} via ${plan.routerOnVm1}`);
      expect(md).toContain(`sudo ip route add ${plan.vm1Network} via ${plan.routerOnVm3}`);
      for (const other of plans.filter((p) => p !== plan)) {
        for (const field of PLAN_FIELDS) expect(md).not.toContain(other[field]);
      }
    }
  });

  it('define libvirt networks with the bridge on host 1 and DHCP in the upper half', () => {
    const plan = { ...plans[0]!, vm1Network: '10.37.4.0/24', vm3Network: '10.37.9.0/25', routerOnVm1: '10.37.4.57', routerOnVm3: '10.37.9.3' };
    const md = handoutMarkdown(handoutOf(plan, 'Ada'));
    expect(md).toContain("<ip address='10.37.4.1' prefix='24'>");
    expect(md).toContain("<range start='10.37.4.128' end='10.37.4.254'/>");
    expect(md).toContain("<ip address='10.37.9.1' prefix='25'>");
    expect(md).toContain("<range start='10.37.9.64' end='10.37.9.126'/>");
    expect(md).toContain('sudo ip addr add 10.37.9.3/25 dev enp3s0');
  });

  it('render as HTML with every value escaped and no script', () => {
    const html = handoutHtml(handoutOf(plans[0]!, '<script>alert(1)</script> Ada'));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; Ada');
    expect(html).toContain('&#60;network&#62;');
    expect(html).toContain('<code>ip -br link</code>');
  });
});

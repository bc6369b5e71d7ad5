import { formatSubnet } from '../../core/ipv4.ts';
import { describeInterfaces } from '../../lab/host-facts.ts';
import { ROLE_LABELS, ROLES } from '../../core/roles.ts';
import { defineKind, type RawParams } from '../check-kind.ts';
import type { Evidence, Verdict } from '../../core/result.ts';

// Whether the lab is built on the student's own addressing plan (`npm run grade -- plans`): VM1's
// and VM3's internal networks and the router's address on each. The grader fills the parameters
// from the course record for each lab whose student has a plan, with the class's other plans, so
// that a lab built on a classmate's plan is named as such; a lab without a plan leaves this check
// out. The two networks may be swapped (VM1 on the network planned for VM3 and the other way
// round): the exercise is the same.

/** A classmate's plan, as the grader passes it: whose, and the networks it takes. */
export interface OtherPlan {
  student: string;
  lab?: string;
  vm1Network: string;
  vm3Network: string;
}

export interface PlanParams {
  student?: string;
  vm1Network?: string;
  vm3Network?: string;
  routerOnVm1?: string;
  routerOnVm3?: string;
  otherPlans: OtherPlan[];
}

export interface PlanObservation {
  /** VM1's and VM3's internal networks as found, CIDR. */
  vm1Network: string;
  vm3Network: string;
  /** Every IPv4 address of the router. */
  routerAddresses: string[];
  evidence: Evidence[];
}

export type PlanReason = 'follows-plan' | 'no-plan' | 'router-not-planned' | 'other-students-plan' | 'not-the-plan';

// Every sentence of a plan verdict, from its reason and subject.
export function planSentence(reason: PlanReason, s: Record<string, string | undefined>): string {
  switch (reason) {
    case 'follows-plan':
      return `VM1 on ${s.vm1Network}, VM3 on ${s.vm3Network} and the router on ${s.routerOnVm1} and ${s.routerOnVm3}, as planned`;
    case 'no-plan':
      return 'this lab has no addressing plan (the roster names no student with one): the check cannot be graded';
    case 'router-not-planned':
      return `the networks are your plan's, but the router's addresses are not ${s.routerOnVm1} and ${s.routerOnVm3}`;
    case 'other-students-plan':
      return `the lab is built on another student's addressing plan (${s.otherStudent}'s), not on yours (${s.vm1Network} and ${s.vm3Network})`;
    case 'not-the-plan':
      return `VM1 is on ${s.seenVm1} and VM3 on ${s.seenVm3}; your plan is ${s.vm1Network} and ${s.vm3Network}`;
  }
}

function verdict(status: Verdict['status'], reason: PlanReason, subject: Record<string, string | undefined>, o: PlanObservation, expected?: string): Verdict {
  const actual = `VM1 on ${o.vm1Network}, VM3 on ${o.vm3Network}; the router's addresses ${o.routerAddresses.join(', ') || 'none'}`;
  return { status, reason, subject, message: planSentence(reason, subject), ...(expected ? { expected } : {}), actual, evidence: o.evidence };
}

export function evaluatePlan(o: PlanObservation, p: PlanParams): Verdict {
  const { vm1Network, vm3Network, routerOnVm1, routerOnVm3 } = p;
  if (!vm1Network || !vm3Network || !routerOnVm1 || !routerOnVm3) return verdict('error', 'no-plan', {}, o);
  const planned = { vm1Network, vm3Network, routerOnVm1, routerOnVm3 };
  const expected = `VM1 on ${vm1Network}, VM3 on ${vm3Network}, the router on ${routerOnVm1} and ${routerOnVm3} (either network for either VM)`;
  const seen = [o.vm1Network, o.vm3Network];
  const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
  if (same(seen, [vm1Network, vm3Network])) {
    const routerOk = [routerOnVm1, routerOnVm3].every((address) => o.routerAddresses.includes(address));
    return routerOk ? verdict('pass', 'follows-plan', planned, o) : verdict('fail', 'router-not-planned', planned, o, expected);
  }
  const other = p.otherPlans.find((plan) => seen.some((network) => network === plan.vm1Network || network === plan.vm3Network));
  if (other) return verdict('fail', 'other-students-plan', { ...planned, otherStudent: other.student, otherLab: other.lab }, o, expected);
  return verdict('fail', 'not-the-plan', { ...planned, seenVm1: o.vm1Network, seenVm3: o.vm3Network }, o, expected);
}

const optionalText = (raw: RawParams, name: string): string | undefined => (typeof raw[name] === 'string' ? (raw[name] as string) : undefined);

function otherPlansOf(raw: RawParams): OtherPlan[] {
  const list = raw.otherPlans;
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry: Record<string, unknown>) =>
    typeof entry.student === 'string' && typeof entry.vm1Network === 'string' && typeof entry.vm3Network === 'string'
      ? [{ student: entry.student, vm1Network: entry.vm1Network, vm3Network: entry.vm3Network, ...(typeof entry.lab === 'string' ? { lab: entry.lab } : {}) }]
      : [],
  );
}

const CIDR = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}$' };
const ADDRESS = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,3}){3}$' };

export const plan = defineKind<PlanParams>({
  kind: 'plan',
  summary: "The lab is built on the student's own addressing plan (npm run grade -- plans): VM1's and VM3's internal networks and the router's address on each; filled in per lab from the course record.",
  scope: 'lab',
  allowedHosts: ROLES,
  defaultHosts: ROLES,
  phase: 'inspect',
  needs: () => ROLES,
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      student: { type: 'string', maxLength: 200 },
      vm1Network: CIDR,
      vm3Network: CIDR,
      routerOnVm1: ADDRESS,
      routerOnVm3: ADDRESS,
      otherPlans: {
        type: 'array',
        maxItems: 10000,
        items: { type: 'object', additionalProperties: false, required: ['student', 'vm1Network', 'vm3Network'], properties: { student: { type: 'string', maxLength: 200 }, lab: { type: 'string', maxLength: 200 }, vm1Network: CIDR, vm3Network: CIDR } },
      },
    },
  },
  params: (raw) => {
    const student = optionalText(raw, 'student');
    const vm1Network = optionalText(raw, 'vm1Network');
    const vm3Network = optionalText(raw, 'vm3Network');
    const routerOnVm1 = optionalText(raw, 'routerOnVm1');
    const routerOnVm3 = optionalText(raw, 'routerOnVm3');
    return {
      ...(student ? { student } : {}),
      ...(vm1Network ? { vm1Network } : {}),
      ...(vm3Network ? { vm3Network } : {}),
      ...(routerOnVm1 ? { routerOnVm1 } : {}),
      ...(routerOnVm3 ? { routerOnVm3 } : {}),
      otherPlans: otherPlansOf(raw),
    };
  },
  async run({ lab, params }) {
    const vm1 = lab.internalEndpoint('vm1');
    const vm3 = lab.internalEndpoint('vm3');
    const router = lab.facts('router');
    const evidence: Evidence[] = ROLES.map((role) => ({ host: role, command: `ip addr show (${ROLE_LABELS[role]}, summarised)`, exitCode: 0, output: describeInterfaces(lab.facts(role)) }));
    return evaluatePlan(
      {
        vm1Network: formatSubnet(vm1.subnet),
        vm3Network: formatSubnet(vm3.subnet),
        routerAddresses: router.interfaces.flatMap((nic) => nic.addresses.map((a) => a.address)),
        evidence,
      },
      params,
    );
  },
});

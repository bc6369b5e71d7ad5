import { formatSubnet, subnetsOverlap, type Subnet } from '../parse/ipv4.ts';
import { describeInterfaces } from '../lab/host-facts.ts';
import { managementSubnets, routerEndpointOn, type Endpoint } from '../lab/topology.ts';
import { ROLE_LABELS, ROLES } from '../lab/roles.ts';
import type { CheckKind } from './check-kind.ts';
import type { Evidence, Verdict } from './result.ts';

export interface SubnetsObservation {
  vm1: Endpoint;
  vm3: Endpoint;
  routerOnVm1?: Endpoint;
  routerOnVm3?: Endpoint;
  /** Management subnets of the VMs that were reached, deduplicated. */
  management: Subnet[];
  evidence: Evidence[];
}

export function evaluateSubnets(o: SubnetsObservation): Verdict {
  const s1 = formatSubnet(o.vm1.subnet);
  const s3 = formatSubnet(o.vm3.subnet);
  const problems: string[] = [];
  if (s1 === s3) problems.push(`VM1 and VM3 are on the same subnet ${s1}`);
  else if (subnetsOverlap(o.vm1.subnet, o.vm3.subnet)) problems.push(`VM1's internal subnet ${s1} overlaps VM3's ${s3}`);
  for (const [vm, own] of [['VM1', o.vm1.subnet], ['VM3', o.vm3.subnet]] as const) {
    for (const m of o.management.filter((m) => subnetsOverlap(own, m))) {
      problems.push(`${vm}'s internal subnet ${formatSubnet(own)} overlaps the management network ${formatSubnet(m)}`);
    }
  }
  if (!o.routerOnVm1) problems.push(`the router has no address in VM1's internal subnet ${s1}`);
  if (!o.routerOnVm3) problems.push(`the router has no address in VM3's internal subnet ${s3}`);

  const router = [o.routerOnVm1, o.routerOnVm3].map((e) => (e ? `${e.address} (${e.interface})` : 'none')).join(' and ');
  const actual = `VM1 ${o.vm1.address}/${o.vm1.prefixLength} on ${s1}; VM3 ${o.vm3.address}/${o.vm3.prefixLength} on ${s3}; router ${router}; management ${o.management.map(formatSubnet).join(', ') || 'unknown'}`;
  if (problems.length === 0) {
    return { status: 'pass', message: `VM1 on ${s1} and VM3 on ${s3} are separate, and the router is on both`, actual, evidence: o.evidence };
  }
  return {
    status: 'fail',
    message: problems.join('; '),
    expected: 'two internal subnets that do not overlap each other or the management network, with the router on both',
    actual,
    evidence: o.evidence,
  };
}

export const subnets: CheckKind<Record<string, never>> = {
  kind: 'subnets',
  summary: "VM1's and VM3's internal subnets differ, overlap neither each other nor the management network, and the router has an address on both.",
  scope: 'lab',
  allowedHosts: ROLES,
  defaultHosts: ROLES,
  phase: 'inspect',
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async run({ lab }) {
    const vm1 = lab.internalEndpoint('vm1');
    const vm3 = lab.internalEndpoint('vm3');
    const router = lab.facts('router');
    const facts = ROLES.map((role) => lab.facts(role));
    const seen = new Map<string, Subnet>();
    for (const subnet of facts.flatMap(managementSubnets)) seen.set(formatSubnet(subnet), subnet);
    const evidence = facts.map((f) => ({
      host: f.role,
      command: `ip addr show (${ROLE_LABELS[f.role]}, summarised)`,
      exitCode: 0,
      output: describeInterfaces(f),
    }));
    return evaluateSubnets({
      vm1,
      vm3,
      routerOnVm1: routerEndpointOn(router, vm1),
      routerOnVm3: routerEndpointOn(router, vm3),
      management: [...seen.values()],
      evidence,
    });
  },
};

import { formatSubnet, subnetOf, subnetsOverlap, type Subnet } from '../../core/ipv4.ts';
import type { NetworkDefinition } from '../../parse/virsh.ts';
import { domainNicOf } from '../../hypervisor/domain-nic.ts';
import type { LabAccess } from '../../lab/lab-access.ts';
import { describeInterfaces } from '../../lab/host-facts.ts';
import { managementSubnets, routerEndpointHolding, routerEndpointOn, type Endpoint } from '../../lab/topology.ts';
import { ROLE_LABELS, ROLES } from '../../core/roles.ts';
import { defineKind } from '../check-kind.ts';
import type { Evidence, Verdict } from '../../core/result.ts';

export interface SubnetsObservation {
  vm1: Endpoint;
  vm3: Endpoint;
  routerOnVm1?: Endpoint;
  routerOnVm3?: Endpoint;
  /** The router's endpoint holding VM1's or VM3's very address, when the VM took the router's own. */
  routerSharing?: { vm1?: Endpoint; vm3?: Endpoint };
  /** Management subnets of the VMs that were reached, deduplicated. */
  management: Subnet[];
  /** The libvirt networks of VM1's and VM3's internal NICs, when the hypervisor was asked. */
  networks?: { vm1?: NetworkDefinition; vm3?: NetworkDefinition };
  evidence: Evidence[];
}

function definedSubnets(network: NetworkDefinition): Subnet[] {
  return network.addresses.map((a) => subnetOf(a.address, a.prefixLength));
}

/** One thing wrong with the addressing plan: what the `subnets-wrong` subject lists. */
export type SubnetProblem =
  | { problem: 'same-subnet'; subnet: string }
  | { problem: 'vms-overlap'; vm1: string; vm3: string }
  | { problem: 'management-overlap'; host: 'VM1' | 'VM3'; subnet: string; management: string }
  | { problem: 'router-missing'; host: 'VM1' | 'VM3'; subnet: string }
  | { problem: 'router-address-taken'; host: 'VM1' | 'VM3'; subnet: string; address: string }
  | { problem: 'same-network'; network: string }
  | { problem: 'networks-overlap'; vm1: string; vm3: string };

// Every sentence of a subnets verdict, one per problem, from its data.
export function subnetProblemSentence(p: SubnetProblem): string {
  switch (p.problem) {
    case 'same-subnet':
      return `VM1 and VM3 are on the same subnet ${p.subnet}`;
    case 'vms-overlap':
      return `VM1's internal subnet ${p.vm1} overlaps VM3's ${p.vm3}`;
    case 'management-overlap':
      return `${p.host}'s internal subnet ${p.subnet} overlaps the management network ${p.management}`;
    case 'router-missing':
      return `the router has no address in ${p.host}'s internal subnet ${p.subnet}`;
    case 'router-address-taken':
      return `${p.host}'s address ${p.address} is the router's own address in ${p.subnet}`;
    case 'same-network':
      return `VM1 and VM3 are attached to the same libvirt network ${p.network}`;
    case 'networks-overlap':
      return `the libvirt networks ${p.vm1} and ${p.vm3} are defined with overlapping subnets`;
  }
}

// What the hypervisor's network definitions add: the two internal networks are distinct libvirt
// networks whose defined subnets do not overlap.
function networkProblems(networks: SubnetsObservation['networks']): SubnetProblem[] {
  const { vm1, vm3 } = networks ?? {};
  if (!vm1 || !vm3) return [];
  if (vm1.name === vm3.name) return [{ problem: 'same-network', network: vm1.name }];
  const overlap = definedSubnets(vm1).some((a) => definedSubnets(vm3).some((b) => subnetsOverlap(a, b)));
  return overlap ? [{ problem: 'networks-overlap', vm1: vm1.name, vm3: vm3.name }] : [];
}

export function describeNetwork(n: NetworkDefinition): string {
  const addresses = n.addresses.map((a) => `${formatSubnet(subnetOf(a.address, a.prefixLength))} (${a.dhcp ? 'DHCP' : 'no DHCP'})`).join(', ');
  return `${n.name}: ${addresses || 'no address'}${n.forwardMode ? `, forward ${n.forwardMode}` : ', isolated'}`;
}

export function evaluateSubnets(o: SubnetsObservation): Verdict {
  const s1 = formatSubnet(o.vm1.subnet);
  const s3 = formatSubnet(o.vm3.subnet);
  const problems: SubnetProblem[] = [];
  if (s1 === s3) problems.push({ problem: 'same-subnet', subnet: s1 });
  else if (subnetsOverlap(o.vm1.subnet, o.vm3.subnet)) problems.push({ problem: 'vms-overlap', vm1: s1, vm3: s3 });
  for (const [vm, own] of [['VM1', o.vm1.subnet], ['VM3', o.vm3.subnet]] as const) {
    for (const m of o.management.filter((m) => subnetsOverlap(own, m))) {
      problems.push({ problem: 'management-overlap', host: vm, subnet: formatSubnet(own), management: formatSubnet(m) });
    }
  }
  for (const [host, vm, onIt, sharing, subnet] of [
    ['VM1', o.vm1, o.routerOnVm1, o.routerSharing?.vm1, s1],
    ['VM3', o.vm3, o.routerOnVm3, o.routerSharing?.vm3, s3],
  ] as const) {
    if (onIt) continue;
    problems.push(sharing ? { problem: 'router-address-taken', host, subnet, address: vm.address } : { problem: 'router-missing', host, subnet });
  }
  problems.push(...networkProblems(o.networks));

  const router = [o.routerOnVm1 ?? o.routerSharing?.vm1, o.routerOnVm3 ?? o.routerSharing?.vm3].map((e) => (e ? `${e.address} (${e.interface})` : 'none')).join(' and ');
  const defined = [o.networks?.vm1, o.networks?.vm3].filter((n) => n !== undefined).map(describeNetwork);
  const actual = `VM1 ${o.vm1.address}/${o.vm1.prefixLength} on ${s1}; VM3 ${o.vm3.address}/${o.vm3.prefixLength} on ${s3}; router ${router}; management ${o.management.map(formatSubnet).join(', ') || 'unknown'}${defined.length ? `; libvirt ${defined.join('; ')}` : ''}`;
  if (problems.length === 0) {
    return { status: 'pass', reason: 'subnets-apart', subject: { vm1: s1, vm3: s3 }, message: `VM1 on ${s1} and VM3 on ${s3} are separate, and the router is on both`, actual, evidence: o.evidence };
  }
  return {
    status: 'fail',
    reason: 'subnets-wrong',
    subject: { vm1: s1, vm3: s3, problems },
    message: problems.map(subnetProblemSentence).join('; '),
    expected: 'two internal subnets that do not overlap each other or the management network, with the router on both',
    actual,
    evidence: o.evidence,
  };
}

// The libvirt network a VM's internal NIC is attached to, matched by MAC (hypervisor known only).
function internalNetwork(lab: LabAccess, role: 'vm1' | 'vm3', endpoint: Endpoint): NetworkDefinition | undefined {
  const source = domainNicOf(lab.facts(role).interfaces, endpoint.interface, lab.hypervisor?.domains[role]?.interfaces)?.source;
  return lab.hypervisor?.networks.find((n) => n.name === source);
}

export const subnets = defineKind<Record<string, never>>({
  kind: 'subnets',
  summary: "VM1's and VM3's internal subnets differ, overlap neither each other nor the management network, and the router has an address on both.",
  scope: 'lab',
  allowedHosts: ROLES,
  defaultHosts: ROLES,
  phase: 'inspect',
  params: () => ({}),
  needs: () => ROLES,
  paramsSchema: { type: 'object', additionalProperties: false, properties: {} },
  async run({ lab }) {
    const vm1 = lab.internalEndpoint('vm1');
    const vm3 = lab.internalEndpoint('vm3');
    const router = lab.facts('router');
    const facts = ROLES.map((role) => lab.facts(role));
    const seen = new Map<string, Subnet>();
    for (const subnet of facts.flatMap(managementSubnets)) seen.set(formatSubnet(subnet), subnet);
    const evidence: Evidence[] = facts.map((f) => ({
      host: f.role,
      command: `ip addr show (${ROLE_LABELS[f.role]}, summarised)`,
      exitCode: 0,
      output: describeInterfaces(f),
    }));
    const networks = lab.hypervisor?.networks ?? [];
    if (networks.length > 0) {
      evidence.push({ host: 'hypervisor', command: 'virsh net-dumpxml (each network of the lab, summarised)', exitCode: 0, output: networks.map(describeNetwork).join('\n') });
    }
    return evaluateSubnets({
      vm1,
      vm3,
      networks: { vm1: internalNetwork(lab, 'vm1', vm1), vm3: internalNetwork(lab, 'vm3', vm3) },
      routerOnVm1: routerEndpointOn(router, vm1),
      routerOnVm3: routerEndpointOn(router, vm3),
      routerSharing: { vm1: routerEndpointHolding(router, vm1.address), vm3: routerEndpointHolding(router, vm3.address) },
      management: [...seen.values()],
      evidence,
    });
  },
});

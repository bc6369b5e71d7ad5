import { formatSubnet } from '../core/ipv4.ts';
import { CannotGrade, Unmet } from '../core/outcomes.ts';
import type { LoginRefusal, RemoteHost } from '../transport/remote-host.ts';
import type { HypervisorFacts } from '../hypervisor/hypervisor-facts.ts';
import type { HostNicCounters } from '../hypervisor/nic-counters.ts';
import type { MachineLoad } from '../parse/loadavg.ts';
import type { HostFacts } from './host-facts.ts';
import { describeInterfaces } from './host-facts.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import { internalEndpoint, routerEndpointHolding, routerEndpointOn, type Endpoint } from './topology.ts';

// One VM as the grader met it: connected and discovered, or why not.
export type HostState =
  | { role: Role; target: string; remote: RemoteHost; facts: HostFacts }
  | { role: Role; target: string; problem: string; refused?: LoginRefusal };

const DHCP_HINT = (vm: string) =>
  `Connect ${vm}'s second NIC to its internal network and give it an address (\`sudo dhclient -v <interface_name>\`, or a static one with \`sudo ip addr add\`).`;

// What a check may ask of the lab. Anything it cannot have throws: CannotGrade when a VM could not
// be reached, Unmet when what the student built is missing a piece the check stands on.
export class LabAccess {
  constructor(
    private readonly hosts: ReadonlyMap<Role, HostState>,
    /** What the lab's hypervisor said, when the inventory names one. */
    readonly hypervisor?: HypervisorFacts,
    /** The hypervisor's own counters of the domains' NICs, when the lab is graded through it. */
    readonly hostCounters?: HostNicCounters,
    /** The hypervisor's load now, when the lab has a known hypervisor. */
    readonly hypervisorLoad?: () => Promise<MachineLoad | undefined>,
  ) {}

  private state(role: Role): Extract<HostState, { remote: RemoteHost }> {
    const state = this.hosts.get(role);
    if (!state) throw new CannotGrade(`${ROLE_LABELS[role]} is not in the inventory`, [], 'vm-unreachable', { host: role });
    if ('problem' in state) throw new CannotGrade(`${ROLE_LABELS[role]} (${state.target}) could not be graded: ${state.problem}`, [], 'vm-unreachable', { host: role });
    return state;
  }

  remote(role: Role): RemoteHost {
    return this.state(role).remote;
  }

  facts(role: Role): HostFacts {
    return this.state(role).facts;
  }

  /** The router's facts when it was reached, else undefined (never throws). */
  private routerIfKnown(): HostFacts | undefined {
    const state = this.hosts.get('router');
    return state && 'facts' in state ? state.facts : undefined;
  }

  // The VM's address on its internal network.
  internalEndpoint(role: Role): Endpoint {
    const facts = this.facts(role);
    const endpoint = internalEndpoint(facts, role === 'router' ? undefined : this.routerIfKnown());
    if (!endpoint) {
      throw new Unmet(`${ROLE_LABELS[role]} has no IPv4 address on an internal network`, {
        reason: 'no-internal-address',
        subject: { host: role },
        expected: 'an address on a second NIC, besides the management NIC',
        actual: describeInterfaces(facts) || 'no NIC with an IPv4 address',
        hint: DHCP_HINT(ROLE_LABELS[role]),
        evidence: facts.evidence,
      });
    }
    return endpoint;
  }

  // The router's address on the internal network of `role` (vm1 or vm3).
  routerFacing(role: Role): Endpoint {
    const own = this.internalEndpoint(role);
    const router = this.facts('router');
    const endpoint = routerEndpointOn(router, own);
    const shared = endpoint ? undefined : routerEndpointHolding(router, own.address);
    if (shared) {
      const label = ROLE_LABELS[role];
      throw new Unmet(`${label}'s address ${own.address} is the router's own address on ${formatSubnet(own.subnet)} (the router's ${shared.interface} has it too)`, {
        reason: 'shares-router-address',
        subject: { host: role, subnet: formatSubnet(own.subnet), address: own.address },
        expected: `${label} and the router each with an address of its own in ${formatSubnet(own.subnet)}`,
        actual: `${label} ${own.interface}: ${own.address}/${own.prefixLength}; router ${shared.interface}: ${shared.address}/${shared.prefixLength}`,
        hint: `Give ${label}'s ${own.interface} an address of its own in ${formatSubnet(own.subnet)} and leave ${own.address} to the router.`,
        evidence: router.evidence,
      });
    }
    if (!endpoint) {
      throw new Unmet(`the router has no address on ${ROLE_LABELS[role]}'s internal network ${formatSubnet(own.subnet)}`, {
        reason: 'router-not-on-network',
        subject: { host: role, subnet: formatSubnet(own.subnet) },
        expected: `a router NIC with an address in ${formatSubnet(own.subnet)}`,
        actual: describeInterfaces(router) || 'no NIC with an IPv4 address',
        hint: `Attach one of the router's NICs to ${ROLE_LABELS[role]}'s internal network and give it an address there.`,
        evidence: router.evidence,
      });
    }
    return endpoint;
  }
}

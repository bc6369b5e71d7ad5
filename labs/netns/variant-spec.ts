// What a variant is, as data: the student's mistake, the changes it makes to the lab as the
// exercise asks it, and what the grader must conclude (the diagnoses; the verdicts, result by
// result, are in test/e2e/expected-verdicts.ts). plan.ts and steps.ts read the changes, never a
// variant's name: a variant that combines these changes is one entry of variants.ts.
import type { Diagnosis } from '../../grader/core/diagnosis.ts';
import type { ReviewSign } from '../../grader/core/lab-report.ts';
import type { FakeableTool } from './fake-tools.ts';
import type { Network, VmRole } from './roles.ts';

/** Where a VM's route toward the other internal network goes. */
export type RouteVia =
  /** The router's address on the VM's internal network, as the exercise asks. */
  | 'router'
  /** No such route: only the default route, via the management network. */
  | 'none'
  /** The hypervisor's `.1` on the VM's internal network (libvirt's bridge address). */
  | 'hypervisor'
  /** The router's management address. */
  | 'router-management'
  /** The router's second address on the VM's internal network (router with `routerInternal1SecondAddress`). */
  | 'router-second-address'
  /** No such route: the VM's default route goes via the router's address on its internal network. */
  | 'default-via-router';

/** A change to the programs a VM's sessions find (an overlay in sshd's mount namespace). */
export type ToolChange =
  /** Scripts that print a success in place of these tools. */
  | { kind: 'fake'; tools: readonly FakeableTool[] }
  /** The tool is not installed (a whiteout). */
  | { kind: 'missing'; tool: FakeableTool }
  /** ping and traceroute first on the PATH, sending real requests and printing replies. */
  | { kind: 'one-way' }
  /** Wrappers that take the grader's command session over (router). */
  | { kind: 'takeover-kit' }
  /** A fake iperf3 server that floods the router's own address and reports a fast test (vm3). */
  | { kind: 'fake-iperf3-server' }
  /** A line atop ~/.bashrc handing every witness channel to a forger (router; bashrc-kit.ts). */
  | { kind: 'bashrc-hook' };

/** A firewall ruleset the student left on the router. */
export type RouterFirewall =
  /** Forwarding is on, every forwarded packet is dropped (ufw's "deny (routed)"). */
  | 'drop-forwarded'
  /** Every other echo request toward VM3 is dropped. */
  | 'drop-every-other-echo-to-vm3'
  /** The router's OUTPUT chain drops the ICMP "fragmentation needed" it sends (a path MTU black hole with a smaller MTU). */
  | 'drop-frag-needed'
  /** The router's OUTPUT chain drops the ICMP time-exceeded it sends (traceroute's first hop is silent). */
  | 'drop-time-exceeded'
  /** A leftover masquerade: what leaves toward VM3 gets the router's address as its source (NAT). */
  | 'masquerade-toward-vm3';

/** A firewall a student left on VM3. */
export type Vm3Firewall =
  /** INPUT policy drop that admits established traffic, loopback, ICMP and SSH: ping works, iperf and traceroute's UDP do not. */
  'input-drop-admits-ping';

/** Everything a variant may change; an empty object is the exercise as asked. */
export interface PlanChanges {
  /** Internal network 2 was created with this prefix length (its addresses keep their /24 range). */
  internal2Prefix?: number;
  /** @default 'router' */
  vm1Route?: RouteVia;
  /** @default 'router' */
  vm3Route?: RouteVia;
  /** The router keeps net.ipv4.ip_forward=0. */
  routerForwardingOff?: true;
  /** The hypervisor routes between its bridges. */
  hypervisorForwards?: true;
  /** IPv6 off on every machine, so that only the checks' own traffic crosses the router's NICs. */
  ipv6Off?: true;
  /**
   * VM3's internal address: `dhcp-never-run` (none; the hypervisor serves DHCP on internal
   * network 2, as libvirt does), `on-internal1` (an address on VM1's subnet), `router-internal2`
   * (the router's own address on internal network 2, typed by hand).
   */
  vm3Address?: 'dhcp-never-run' | 'on-internal1' | 'router-internal2';
  /** The router's address on internal network 2 lies outside it. */
  routerInternal2OffSubnet?: true;
  /** The router bridges its internal NICs (br0, with its internal network 1 address). */
  routerBridgesInternalNics?: true;
  /** The router's sshd is not running (it still forwards). */
  routerSshdStopped?: true;
  /** A tc token bucket of this rate on the router's internal NICs (both directions). */
  routerRateLimit?: string;
  routerFirewall?: RouterFirewall;
  /** The router's NIC on internal network 2 is down. */
  routerInternal2Down?: true;
  /** The router's NIC on internal network 2 has this MTU (the others keep 1500). */
  routerInternal2Mtu?: number;
  vm3Firewall?: Vm3Firewall;
  /** The router's two internal addresses are each on the other network's NIC. */
  routerInternalAddressesSwapped?: true;
  /** Programs replaced or hidden on a VM. */
  tools?: Partial<Record<VmRole, readonly ToolChange[]>>;
  /** VM1 and VM3 ping the router's own internal addresses in the background, every this many seconds. */
  chatterIntervalSeconds?: string;
  /** The router's NIC on internal network 1 has a second address there. */
  routerInternal1SecondAddress?: true;
  /** VM1 has a permanent neighbour (ARP) entry for the router's address with a MAC no NIC has. */
  vm1StaleRouterNeighbour?: true;
  /** VM1's internal address was typed on its management NIC; its internal NIC has none. */
  vm1AddressOnManagementNic?: true;
  /** The router's NIC on this internal network has net.ipv4.conf.<nic>.forwarding=0 (ip_forward stays 1). */
  routerNicForwardingOff?: 'internal1' | 'internal2';
  /** A file holding 1 is bind-mounted over the router's /proc/sys/net/ipv4/ip_forward (in its sshd's mount namespace). */
  routerIpForwardMounted?: true;
}

/** A NIC named by its VM and the network it is on (`router/internal2`), or by its own name (`router/br0`). */
export type NicRef = `${VmRole}/${Network}` | `${VmRole}/${string}`;

/** A diagnosis the grader must give: the cause, the VM, and the NIC by the network it is on. */
export interface ExpectedDiagnosis {
  cause: Diagnosis['cause'];
  host: Diagnosis['host'];
  nic?: NicRef;
}

export interface VariantSpec {
  /** What the student did, in the exercise's words; printed by `npm run lab -- variants`. */
  mistake: string;
  changes: PlanChanges;
  /** The diagnoses the grader must name (not-virtio aside: namespaces have veths), in the order to fix them. */
  diagnoses: readonly ExpectedDiagnosis[];
  /**
   * Typing the diagnosis's printed fixes in the VMs' shells: `true`, every check but virtio passes
   * after; `'commands-run'`, every printed command runs (exit 0) but the fix ends in steps the
   * student works out (a comment line), so checks still fail after.
   */
  fixedByPrintedCommands?: true | 'commands-run';
  /** A valid alternative to the exercise as asked (no mistake): every check but virtio passes, nothing is diagnosed. */
  valid?: true;
  /** The signs its kits leave for the instructor to review (`host sign`, as the report's `review` lists them); none: an honest lab. */
  review?: readonly `${VmRole} ${ReviewSign}`[];
}

export function diagnosis(cause: Diagnosis['cause'], host: Diagnosis['host'], nic?: NicRef): ExpectedDiagnosis {
  return { cause, host, ...(nic ? { nic } : {}) };
}

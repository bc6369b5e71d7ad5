// The reference lab's variants: `good`, and one student mistake each. A variant is one entry here:
// the mistake in the exercise's words, the changes it makes to the lab (variant-spec.ts), and the
// diagnoses the grader must give; its verdicts are in test/e2e/expected-verdicts.ts.
import { diagnosis as on, type PlanChanges, type VariantSpec } from './variant-spec.ts';

/**
 * Interval of the background pings of `fake-all-chatter` and `one-way` (root may go below 0.2 s):
 * about 20 packets in and 20 out of each internal NIC of the router per second, well above what a
 * check looks for.
 */
export const CHATTER_INTERVAL_SECONDS = '0.05';

/** Rate of the `slow-link` variant's token bucket, well below a 100 Mbit/s floor. */
export const SLOW_LINK_RATE = '20mbit';

const FORWARDING_OFF = [on('forwarding-off', 'router')];
/**
 * The fake-* variants break the network as no-forwarding does, and fake tools on VM1 instead of
 * fixing it. IPv6 is off on every machine, so that nothing but the checks' own traffic (and a
 * student's background job) crosses the router's internal NICs: with IPv6 on, router solicitations
 * and MLD reports move its counters by a packet or two now and then.
 */
const faking = (...tools: ('ping' | 'traceroute' | 'iperf3')[]): PlanChanges => ({
  routerForwardingOff: true,
  ipv6Off: true,
  tools: { vm1: [{ kind: 'fake', tools }] },
});
const FAKE_ALL = faking('ping', 'traceroute', 'iperf3');
const FAKE_SERVER = { kind: 'fake-iperf3-server' } as const;

export const VARIANT_TABLE = {
  good: { mistake: 'everything as the exercise asks', changes: {}, diagnoses: [] },
  'no-forwarding': {
    mistake: 'the router VM has net.ipv4.ip_forward=0',
    changes: { routerForwardingOff: true },
    diagnoses: FORWARDING_OFF,
    fixedByPrintedCommands: true,
  },
  'no-route': {
    mistake: 'VM1 has no route to internal network 2 (only its default route via the management network)',
    changes: { vm1Route: 'none' },
    diagnoses: [on('no-route', 'vm1', 'vm1/internal1')],
    fixedByPrintedCommands: true,
  },
  'no-return-route': {
    mistake: 'VM3 has no route back to internal network 1',
    changes: { vm3Route: 'none' },
    diagnoses: [on('no-return-route', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'overlapping-subnets': {
    mistake: 'internal network 2 was created as a /16 that contains internal network 1 (ping still works)',
    changes: { internal2Prefix: 16 },
    diagnoses: [on('overlapping-subnets', 'router', 'router/internal2'), on('overlapping-subnets', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'slow-link': {
    mistake: "the router VM's internal NICs are rate-limited to 20 Mbit/s (tc tbf) in both directions",
    changes: { routerRateLimit: SLOW_LINK_RATE },
    diagnoses: [on('slow-path', 'router', 'router/internal1'), on('slow-path', 'router', 'router/internal2')],
    fixedByPrintedCommands: true,
  },
  'via-host': {
    mistake: "VM1 and VM3 route via the hypervisor's .1 bridge addresses and the hypervisor forwards: ping works, not through the router",
    changes: { vm1Route: 'hypervisor', vm3Route: 'hypervisor', hypervisorForwards: true },
    diagnoses: [on('route-bypasses-router', 'vm1', 'vm1/internal1'), on('route-bypasses-router', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'firewall-drop': {
    mistake: "forwarding is on but the router VM's firewall (nftables) drops forwarded packets",
    changes: { routerFirewall: 'drop-forwarded' },
    diagnoses: [on('filtered', 'router')],
    fixedByPrintedCommands: true,
  },
  'router-down': {
    mistake: "the router VM's sshd is not running (it still forwards)",
    changes: { routerSshdStopped: true },
    diagnoses: [on('unreachable-vm', 'router')],
  },
  'no-iperf': {
    mistake: 'VM3 has no iperf3 on its PATH',
    changes: { tools: { vm3: [{ kind: 'missing', tool: 'iperf3' }] } },
    diagnoses: [on('tool-missing', 'vm3')],
  },
  'wrong-gateway': {
    mistake: "VM1's route to internal network 2 goes via the router's management address (works, but over the management network)",
    changes: { vm1Route: 'router-management' },
    diagnoses: [on('wrong-gateway', 'vm1', 'vm1/internal1')],
    fixedByPrintedCommands: true,
  },
  'nic-down': {
    mistake: "the router VM's NIC on internal network 2 is down (`ip link set ... down`)",
    changes: { routerInternal2Down: true },
    diagnoses: [on('link-down', 'router', 'router/internal2')],
    fixedByPrintedCommands: true,
  },
  'no-address': {
    mistake:
      "VM3's internal NIC is up with no address: DHCP was never run on it (internal network 2 has DHCP), so no route back could be added either",
    changes: { vm3Address: 'dhcp-never-run', vm3Route: 'none' },
    diagnoses: [on('no-internal-address', 'vm3', 'vm3/internal2'), on('no-return-route', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'packet-loss': {
    mistake:
      "the router VM's firewall drops every other echo request it sends toward VM3 (nft numgen): ping loses about half, traceroute and iperf are untouched",
    changes: { routerFirewall: 'drop-every-other-echo-to-vm3' },
    diagnoses: [on('packet-loss', 'router', 'router/internal2')],
    fixedByPrintedCommands: true,
  },
  'via-hypervisor': {
    mistake: "VM1 routes internal network 2 via the hypervisor's .1 bridge address, and the hypervisor does not forward: nothing gets through",
    changes: { vm1Route: 'hypervisor' },
    diagnoses: [on('route-bypasses-router', 'vm1', 'vm1/internal1')],
    fixedByPrintedCommands: true,
  },
  'router-bridges': {
    mistake:
      "the router VM bridges its two internal NICs (br0, with VM1's network address) and VM3 took an address on VM1's subnet: one flat network, nothing routed",
    changes: { routerBridgesInternalNics: true, vm3Address: 'on-internal1', vm1Route: 'none', vm3Route: 'none' },
    diagnoses: [on('overlapping-subnets', 'router', 'router/br0')],
    fixedByPrintedCommands: 'commands-run',
  },
  'fake-ping': {
    mistake: "the router VM has net.ipv4.ip_forward=0, and VM1's ping is a script printing 5/5 replies with ttl=63",
    changes: faking('ping'),
    diagnoses: FORWARDING_OFF,
  },
  'fake-traceroute': {
    mistake: "the router VM has net.ipv4.ip_forward=0, and VM1's traceroute is a script printing a two-hop trace through the router",
    changes: faking('traceroute'),
    diagnoses: FORWARDING_OFF,
  },
  'fake-iperf': {
    mistake: "the router VM has net.ipv4.ip_forward=0, and VM1's iperf3 is a script printing a recorded 900 Mbit/s client report",
    changes: faking('iperf3'),
    diagnoses: FORWARDING_OFF,
  },
  'fake-all': {
    mistake: "the router VM has net.ipv4.ip_forward=0, and VM1's ping, traceroute and iperf3 are all fakes",
    changes: FAKE_ALL,
    diagnoses: FORWARDING_OFF,
  },
  'fake-all-chatter': {
    mistake:
      "as fake-all, plus the traffic the grader's witnesses count: VM1 and VM3 keep pinging the router's own addresses (a background job), and VM3's iperf3 is a fake server that floods the router's own address with large pings, then reports VM1's test at 900 Mbit/s",
    changes: { ...FAKE_ALL, tools: { ...FAKE_ALL.tools, vm3: [FAKE_SERVER] }, chatterIntervalSeconds: CHATTER_INTERVAL_SECONDS },
    diagnoses: FORWARDING_OFF,
  },
  takeover: {
    mistake:
      "as fake-all, with VM3's fake iperf3 server, plus the command-session takeover kit on the router: wrappers of ip and cat first on its PATH start a helper that stops the grader's session sh, reads its next command lines from /proc/<sh>/fd/0 and answers them itself, with ip_forward=1 and invented, ever larger counters",
    changes: { ...FAKE_ALL, tools: { ...FAKE_ALL.tools, router: [{ kind: 'takeover-kit' }], vm3: [FAKE_SERVER] } },
    diagnoses: FORWARDING_OFF,
  },
  'router-off-subnet': {
    mistake:
      "the router VM's NIC on internal network 2 has an address outside it (so the router cannot be on VM3's path), forwarding is off, and VM1's ping, traceroute and iperf3 and VM3's iperf3 server are fakes",
    changes: { ...FAKE_ALL, tools: { ...FAKE_ALL.tools, vm3: [FAKE_SERVER] }, routerInternal2OffSubnet: true },
    diagnoses: [on('router-not-on-network', 'router'), ...FORWARDING_OFF],
  },
  'one-way': {
    mistake:
      "VM3 has no route back to internal network 1, and VM1's ping and traceroute are fakes that send real echo requests to VM3 (forwarded by the router, never answered), while VM1 and VM3 keep pinging the router's own addresses",
    changes: { vm3Route: 'none', ipv6Off: true, tools: { vm1: [{ kind: 'one-way' }] }, chatterIntervalSeconds: CHATTER_INTERVAL_SECONDS },
    diagnoses: [on('no-return-route', 'vm3', 'vm3/internal2')],
  },
  'stale-neighbour': {
    mistake:
      "VM1 has a permanent neighbour (ARP) entry for the router's address with a MAC that none of the router's NICs has (typed by hand, or left from an earlier router): VM1's packets never reach the router",
    changes: { vm1StaleRouterNeighbour: true },
    diagnoses: [on('stale-neighbour', 'vm1', 'vm1/internal1')],
    fixedByPrintedCommands: true,
  },
  'vm-has-router-address': {
    mistake: "VM3 was given the router's own address on internal network 2 by hand, so it could not add its route back via that address",
    changes: { vm3Address: 'router-internal2', vm3Route: 'none' },
    diagnoses: [on('address-conflict', 'vm3', 'vm3/internal2'), on('no-return-route', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'router-two-addresses': {
    mistake: "valid: the router has two addresses on internal network 1, and VM1's route to internal network 2 goes via the second one",
    changes: { routerInternal1SecondAddress: true, vm1Route: 'router-second-address' },
    diagnoses: [],
    valid: true,
  },
  'default-via-router': {
    mistake: "valid: VM1 and VM3 have no route to each other's network, their default routes go via the router's address on their own network",
    changes: { vm1Route: 'default-via-router', vm3Route: 'default-via-router' },
    diagnoses: [],
    valid: true,
  },
  'address-on-mgmt-nic': {
    mistake: "VM1's internal address was typed on its management NIC; its internal NIC has no address (its route to internal network 2 via the router was added all the same)",
    changes: { vm1AddressOnManagementNic: true },
    diagnoses: [on('no-internal-address', 'vm1', 'vm1/internal1')],
    fixedByPrintedCommands: true,
  },
  'path-mtu-blackhole': {
    mistake:
      "the router VM's NIC on internal network 2 has MTU 1400 and its firewall drops the ICMP \"fragmentation needed\" it sends: small pings and traceroute pass, iperf's full-size segments vanish",
    changes: { routerInternal2Mtu: 1400, routerFirewall: 'drop-frag-needed' },
    diagnoses: [on('mtu-blackhole', 'router', 'router/internal2')],
    fixedByPrintedCommands: true,
  },
  'no-time-exceeded': {
    mistake: "the router VM's firewall drops the ICMP time-exceeded it sends (OUTPUT chain): ping and iperf pass, traceroute's first hop is silent",
    changes: { routerFirewall: 'drop-time-exceeded' },
    diagnoses: [on('router-silent', 'router')],
    fixedByPrintedCommands: true,
  },
  'vm3-input-drop': {
    mistake: "VM3's firewall has INPUT policy drop and admits only SSH, ping and answers: ping passes, iperf and traceroute's UDP probes are dropped",
    changes: { vm3Firewall: 'input-drop-admits-ping' },
    diagnoses: [on('filtered', 'vm3')],
    fixedByPrintedCommands: true,
  },
  'router-addrs-swapped': {
    mistake: "the router VM's two internal addresses are on the wrong NICs: each on the NIC of the other network's link",
    changes: { routerInternalAddressesSwapped: true },
    diagnoses: [on('addresses-swapped', 'router', 'router/internal1')],
    fixedByPrintedCommands: true,
  },
  'nic-forwarding-off': {
    mistake:
      "the router VM has net.ipv4.ip_forward=1, but net.ipv4.conf.<nic>.forwarding=0 on its NIC toward VM3 (as systemd-networkd's per-link IPForward= leaves a link it was not set on): nothing arriving there is forwarded",
    changes: { routerNicForwardingOff: 'internal2' },
    diagnoses: [on('forwarding-off', 'router', 'router/internal2')],
    fixedByPrintedCommands: true,
  },
  'nat-on-router': {
    mistake:
      "a leftover masquerade on the router VM (nftables: what leaves toward VM3 gets the router's address as its source), and VM3 has no route back to internal network 1: ping, traceroute and iperf work, by NAT rather than routing",
    changes: { routerFirewall: 'masquerade-toward-vm3', vm3Route: 'none' },
    diagnoses: [on('nat-on-router', 'router', 'router/internal2'), on('no-return-route', 'vm3', 'vm3/internal2')],
    fixedByPrintedCommands: true,
  },
  'bind-ip-forward': {
    mistake:
      "the router VM has net.ipv4.ip_forward=0, and a file holding 1 is bind-mounted over its /proc/sys/net/ipv4/ip_forward, so that reading the file says 1 while the kernel does not forward",
    changes: { routerForwardingOff: true, routerIpForwardMounted: true },
    diagnoses: FORWARDING_OFF,
    fixedByPrintedCommands: true,
    review: ['router proc-sys-mount'],
  },
  'bashrc-hook': {
    mistake:
      "forwarding is off; one line atop the router's ~/.bashrc hands every witness channel to a forger that answers ip_forward=1 and mirrors what comes in from VM1 as forwarded toward VM3 and answered, and VM1's ping and traceroute are fakes that send real requests",
    changes: { routerForwardingOff: true, ipv6Off: true, tools: { vm1: [{ kind: 'one-way' }], router: [{ kind: 'bashrc-hook' }] } },
    diagnoses: FORWARDING_OFF,
    review: ['router rc-hook'],
  },
} as const satisfies Record<string, VariantSpec>;

export type Variant = keyof typeof VARIANT_TABLE;

export const VARIANTS = Object.keys(VARIANT_TABLE) as Variant[];

export function isVariant(value: string): value is Variant {
  return Object.hasOwn(VARIANT_TABLE, value);
}

export function variantSpec(variant: Variant): VariantSpec {
  return VARIANT_TABLE[variant];
}

// The reference lab's variants: `good`, and one student mistake each.
import type { FakeableTool } from './fake-tools.ts';

export const VARIANTS = [
  'good',
  'no-forwarding',
  'no-route',
  'no-return-route',
  'overlapping-subnets',
  'slow-link',
  'via-host',
  'firewall-drop',
  'router-down',
  'no-iperf',
  'wrong-gateway',
  'nic-down',
  'no-address',
  'packet-loss',
  'via-hypervisor',
  'router-bridges',
  'fake-ping',
  'fake-traceroute',
  'fake-iperf',
  'fake-all',
  'fake-all-chatter',
  'takeover',
  'router-off-subnet',
  'one-way',
] as const;
export type Variant = (typeof VARIANTS)[number];

export function isVariant(value: string): value is Variant {
  return (VARIANTS as readonly string[]).includes(value);
}

/** What the student did, in the exercise's words; printed by `lab -- variants` and `list`. */
export const VARIANT_MISTAKES: Record<Variant, string> = {
  good: 'everything as the exercise asks',
  'no-forwarding': 'the router VM has net.ipv4.ip_forward=0',
  'no-route': 'VM1 has no route to internal network 2 (only its default route via the management network)',
  'no-return-route': 'VM3 has no route back to internal network 1',
  'overlapping-subnets':
    'internal network 2 was created as a /16 that contains internal network 1 (ping still works)',
  'slow-link': "the router VM's internal NICs are rate-limited to 20 Mbit/s (tc tbf) in both directions",
  'via-host':
    "VM1 and VM3 route via the hypervisor's .1 bridge addresses and the hypervisor forwards: ping works, not through the router",
  'firewall-drop': "forwarding is on but the router VM's firewall (nftables) drops forwarded packets",
  'router-down': "the router VM's sshd is not running (it still forwards)",
  'no-iperf': 'VM3 has no iperf3 on its PATH',
  'wrong-gateway':
    "VM1's route to internal network 2 goes via the router's management address (works, but over the management network)",
  'nic-down': "the router VM's NIC on internal network 2 is down (`ip link set ... down`)",
  'no-address':
    "VM3's internal NIC is up with no address: DHCP was never run on it (internal network 2 has DHCP), so no route back could be added either",
  'packet-loss':
    "the router VM's firewall drops every other echo request it sends toward VM3 (nft numgen): ping loses about half, traceroute and iperf are untouched",
  'via-hypervisor':
    "VM1 routes internal network 2 via the hypervisor's .1 bridge address, and the hypervisor does not forward: nothing gets through",
  'router-bridges':
    "the router VM bridges its two internal NICs (br0, with VM1's network address) and VM3 took an address on VM1's subnet: one flat network, nothing routed",
  'fake-ping':
    "the router VM has net.ipv4.ip_forward=0, and VM1's ping is a script printing 5/5 replies with ttl=63",
  'fake-traceroute':
    "the router VM has net.ipv4.ip_forward=0, and VM1's traceroute is a script printing a two-hop trace through the router",
  'fake-iperf':
    "the router VM has net.ipv4.ip_forward=0, and VM1's iperf3 is a script printing a recorded 900 Mbit/s client report",
  'fake-all': "the router VM has net.ipv4.ip_forward=0, and VM1's ping, traceroute and iperf3 are all fakes",
  'fake-all-chatter':
    "as fake-all, plus the traffic the grader's witnesses count: VM1 and VM3 keep pinging the router's own addresses (a background job), and VM3's iperf3 is a fake server that floods the router's own address with large pings, then reports VM1's test at 900 Mbit/s",
  takeover:
    "as fake-all, with VM3's fake iperf3 server, plus the command-session takeover kit on the router: wrappers of ip and cat first on its PATH start a helper that stops the grader's session sh, reads its next command lines from /proc/<sh>/fd/0 and answers them itself, with ip_forward=1 and invented, ever larger counters",
  'router-off-subnet':
    "the router VM's NIC on internal network 2 has an address outside it (so the router cannot be on VM3's path), forwarding is off, and VM1's ping, traceroute and iperf3 and VM3's iperf3 server are fakes",
  'one-way':
    "VM3 has no route back to internal network 1, and VM1's ping and traceroute are fakes that send real echo requests to VM3 (forwarded by the router, never answered), while VM1 and VM3 keep pinging the router's own addresses",
};

/** The variants where a student fakes tools on VM1 instead of fixing the network (forwarding is off). */
export const FAKED_TOOLS: Partial<Record<Variant, readonly FakeableTool[]>> = {
  'fake-ping': ['ping'],
  'fake-traceroute': ['traceroute'],
  'fake-iperf': ['iperf3'],
  'fake-all': ['ping', 'traceroute', 'iperf3'],
  'fake-all-chatter': ['ping', 'traceroute', 'iperf3'],
  takeover: ['ping', 'traceroute', 'iperf3'],
  'router-off-subnet': ['ping', 'traceroute', 'iperf3'],
};

/**
 * Interval of the `fake-all-chatter` background pings (root may go below 0.2 s): about 20 packets
 * in and 20 out of each internal NIC of the router per second, well above what a check looks for.
 */
export const CHATTER_INTERVAL_SECONDS = '0.05';

/** Rate of the `slow-link` variant's token bucket, well below a 100 Mbit/s floor. */
export const SLOW_LINK_RATE = '20mbit';

// What the grader should conclude on every reference-lab variant, result by result, as the
// grader's designer intends it. The reference lab's NICs are veths, so `virtio` fails wherever a
// VM is reachable: a namespace can never honestly pass a VirtIO check.
// Keyed by the results of checks/exercise.yaml (`id host`, test/support/exercise-results.ts), each
// named once, where its expectation is written; expected-verdicts.test.ts checks that every
// variant names exactly those results.
import type { Status } from '../../grader/core/result.ts';
import type { LabAddresses, Variant } from '../../labs/netns/api.ts';

/** A result of checks/exercise.yaml, `id host` (test/support/exercise-results.ts has them all). */
export type ResultKey = string;

/** A figure the result must report, and what must hold of it. */
export interface MeasurementAssertion {
  name: string;
  /** Read as "throughputMbps <description>", e.g. "is above 0 and below the 100 Mbit/s floor". */
  description: string;
  holds(value: number): boolean;
}

export interface ExpectedResult {
  status: Status;
  /** The key evidence in the result's message; a function when it names the lab's addresses. */
  message?: RegExp | ((addresses: LabAddresses) => RegExp);
  hint?: RegExp;
  measurement?: MeasurementAssertion;
}

export type ExpectedVerdicts = Record<ResultKey, ExpectedResult>;

// An address as a whole word: 10.122.1.1 must not match 10.122.1.133.
function address(value: string): string {
  return `${value.replace(/\./g, '\\.')}(?![\\d.]*\\d)`;
}

const pass: ExpectedResult = { status: 'pass' };
const fail: ExpectedResult = { status: 'fail' };
const failWith = (message: ExpectedResult['message'], extra: Partial<ExpectedResult> = {}): ExpectedResult => ({
  status: 'fail',
  message,
  ...extra,
});
const throughput = (description: string, holds: (mbps: number) => boolean): MeasurementAssertion => ({
  name: 'throughputMbps',
  description,
  holds,
});

// A veth is not a VirtIO NIC, and the message says what the NIC is.
const vethFail = failWith(/veth/);
// The path is unusable: ping gets no reply, traceroute never reaches VM3, and iperf3's control
// connection fails within its --connect-timeout: a failure, not an error.
const noPath = {
  'ping vm1': failWith(/no reply/),
  'traceroute vm1': fail,
  'iperf vm1': failWith(/unable to connect/),
} satisfies Partial<ExpectedVerdicts>;
// A VM the grader cannot reach makes every result that needs it an error naming it.
const routerUnreachable: ExpectedResult = {
  status: 'error',
  message: (a) => new RegExp(`the router VM \\(root@${address(a.router.management)}\\)`),
};

const GOOD: ExpectedVerdicts = {
  subnets: pass,
  'virtio vm1': vethFail,
  'virtio router': vethFail,
  'virtio vm3': vethFail,
  'ip-forward router': pass,
  'routes vm1': pass,
  'routes vm3': pass,
  // Through exactly one router, Linux's replies arrive with TTL 63.
  'ping vm1': { status: 'pass', measurement: { name: 'replyTtl', description: 'is 63 (one router on the way)', holds: (ttl) => ttl === 63 } },
  'traceroute vm1': { status: 'pass', message: (a) => new RegExp(`via the router ${address(a.router.internal1)}`) },
  'iperf vm1': { status: 'pass', measurement: throughput('is at least the 100 Mbit/s floor', (mbps) => mbps >= 100) },
};

// An honest routing mistake: the check's own tool worked, every witness agrees the traffic did
// not cross the router, and the line says where VM1's route goes, never "witnesses disagree".
const bypassed = (gateway: (a: LabAddresses) => string): ExpectedResult =>
  failWith((a) => new RegExp(`^(?!witnesses disagree).*, but the traffic did not go through the router \\(VM1's route to ${address(a.vm3.internal)} goes via ${address(gateway(a))}\\)$`));
// One flat network: VM1 sends to VM3 straight out of its own NIC.
const bypassedDirectly = failWith(/^(?!witnesses disagree).*, but the traffic did not go through the router \(VM1's route to \S+ goes directly out of \S+\)$/);

/** The variants whose mistakes are honest (no tool is faked): no result of theirs says "witnesses disagree". */
export const HONEST_VARIANTS: readonly Variant[] = [
  'good', 'no-forwarding', 'no-route', 'no-return-route', 'overlapping-subnets', 'slow-link', 'via-host', 'firewall-drop',
  'router-down', 'no-iperf', 'wrong-gateway', 'nic-down', 'no-address', 'packet-loss', 'via-hypervisor', 'router-bridges',
  'stale-neighbour', 'router-two-addresses', 'default-via-router', 'address-on-mgmt-nic',
  'path-mtu-blackhole', 'no-time-exceeded', 'vm3-input-drop', 'router-addrs-swapped',
  'nic-forwarding-off', 'nat-on-router',
];

// The fake-* variants: forwarding is off as in no-forwarding, and tools on VM1 are scripts that
// print a success. A fake that convinces the parser must be caught by a witness on another machine.
const FAKED_NETWORK: ExpectedVerdicts = {
  ...GOOD,
  ...noPath,
  'ip-forward router': failWith(/ip_forward is 0/),
};
const fakedPing: ExpectedResult = {
  status: 'fail',
  message: /^witnesses disagree: .*answers: (\d+)\/\1 replies, 0% loss.*, but the router's counters: .*it forwarded 0 datagrams/,
  // The fake's ttl=63 convinces the TTL witness, and is reported.
  measurement: { name: 'replyTtl', description: "is the fake's 63", holds: (ttl) => ttl === 63 },
};
const fakedTraceroute: ExpectedResult = {
  status: 'fail',
  message: (a) =>
    new RegExp(`^witnesses disagree: via the router ${address(a.router.internal1)} to ${address(a.vm3.internal)} in 2 hops, but the router's counters: .*it forwarded 0 datagrams`),
};
// The router is not on VM3's network: whatever reached VM3 did not cross it.
const offPath: ExpectedResult = { status: 'fail', message: /^witnesses disagree: .*the router's counters: the traffic cannot have crossed the router: the router has no address on VM3's internal network/ };
// VM3's one-off server saw no test: stopped, it reports none; the router forwarded nothing.
const fakedIperf: ExpectedResult = {
  status: 'fail',
  message: /^witnesses disagree: .*but the iperf3 server's own report: the server on the other VM measured no test; the router's counters: .*it forwarded 0 datagrams/,
};

export const EXPECTED_VERDICTS: Record<Variant, ExpectedVerdicts> = {
  good: GOOD,

  'no-forwarding': {
    ...GOOD,
    ...noPath,
    'ip-forward router': failWith(/ip_forward is 0/),
  },

  // VM1's only way to internal network 2 is its default route, via the hypervisor's .1 on the
  // management network.
  'no-route': {
    ...GOOD,
    ...noPath,
    'routes vm1': failWith((a) => new RegExp(`via ${address(a.hypervisor.management)}.*management NIC`)),
  },

  // Requests reach VM3, its replies leave by the management network: the trace ends at the router.
  'no-return-route': {
    ...GOOD,
    ...noPath,
    'routes vm3': failWith((a) => new RegExp(`via ${address(a.hypervisor.management)}.*management NIC`)),
    'traceroute vm1': failWith(/not reached after the router/),
  },

  // Traffic still flows through the router; only the addressing plan is wrong.
  'overlapping-subnets': {
    ...GOOD,
    subnets: failWith(/overlaps/),
  },

  'slow-link': {
    ...GOOD,
    'iperf vm1': {
      status: 'fail',
      message: /below the floor/,
      measurement: throughput('is above 0 and below the 100 Mbit/s floor', (mbps) => mbps > 0 && mbps < 100),
    },
  },

  // The hypervisor routes between its bridges: everything works, nothing goes through the router.
  'via-host': {
    ...GOOD,
    'routes vm1': failWith((a) => new RegExp(`via ${address(a.hypervisor.internal1)}`)),
    'routes vm3': failWith((a) => new RegExp(`via ${address(a.hypervisor.internal2)}`)),
    'traceroute vm1': failWith((a) => new RegExp(`first hop is ${address(a.hypervisor.internal1)}`)),
    // The replies come back (through the hypervisor, also one hop: ttl 63), but the router's own
    // counters did not move: the traffic checks fail, saying where VM1's route goes.
    'ping vm1': bypassed((a) => a.hypervisor.internal1),
    'iperf vm1': bypassed((a) => a.hypervisor.internal1),
  },

  // Forwarding is on and the routes are right; the router's firewall drops what it forwards.
  'firewall-drop': {
    ...GOOD,
    ...noPath,
  },

  // Without the router's facts, subnets, routes and traceroute cannot be graded. The path works
  // (the router still forwards), but ping and iperf cannot be confirmed without the router's
  // counters: a witness that cannot be asked leaves the pass unconfirmed, never switched off.
  'router-down': {
    ...GOOD,
    'ping vm1': { status: 'error', message: (a) => new RegExp(`^could not confirm: .*the router could not be asked: the router VM \\(root@${address(a.router.management)}\\)`) },
    'iperf vm1': { status: 'error', message: (a) => new RegExp(`^could not confirm: .*the router could not be asked: the router VM \\(root@${address(a.router.management)}\\)`) },
    subnets: routerUnreachable,
    'virtio router': routerUnreachable,
    'ip-forward router': routerUnreachable,
    'routes vm1': routerUnreachable,
    'routes vm3': routerUnreachable,
    'traceroute vm1': routerUnreachable,
  },

  // A missing tool is the student's to fix, with the install command as the hint.
  'no-iperf': {
    ...GOOD,
    'iperf vm1': failWith(/iperf3 is not installed on VM3/, { hint: /apt install iperf3/ }),
  },

  'wrong-gateway': {
    ...GOOD,
    'routes vm1': failWith((a) => new RegExp(`via ${address(a.router.management)}.*management NIC`)),
    'traceroute vm1': failWith((a) => new RegExp(`first hop is ${address(a.router.management)}`)),
    // VM3 answers VM1, but VM1 sends from its management address, so the replies (and iperf's
    // ACKs) come back directly over the management network: ping sees ttl=64, and the router's
    // NIC on VM1's internal network carries nothing; VM3's server saw the test come from VM1's
    // management address. Every witness agrees: the traffic did not cross the router, as VM1's
    // route says (the evidence keeps what each witness saw).
    'ping vm1': bypassed((a) => a.router.management),
    'iperf vm1': bypassed((a) => a.router.management),
  },

  // The router's NIC toward VM3 is down: nothing reaches VM3, every static check still passes.
  'nic-down': {
    ...GOOD,
    ...noPath,
  },

  // VM3 has no internal address: everything that needs it fails, saying so.
  'no-address': {
    ...GOOD,
    subnets: failWith(/VM3 has no IPv4 address on an internal network/),
    'routes vm1': failWith(/VM3 has no IPv4 address on an internal network/),
    'routes vm3': failWith(/VM3 has no IPv4 address on an internal network/),
    'ping vm1': failWith(/VM3 has no IPv4 address on an internal network/),
    'traceroute vm1': failWith(/VM3 has no IPv4 address on an internal network/),
    'iperf vm1': failWith(/VM3 has no IPv4 address on an internal network/),
  },

  // Every other echo request is dropped on the router's way to VM3: ping loses half, the rest works.
  'packet-loss': {
    ...GOOD,
    'ping vm1': failWith(/50% loss to/),
  },

  // VM1's route goes via the hypervisor's .1, which does not forward: nothing gets through.
  'via-hypervisor': {
    ...GOOD,
    ...noPath,
    'routes vm1': failWith((a) => new RegExp(`via ${address(a.hypervisor.internal1)}`)),
  },

  // One flat network through the router's bridge: VM3 answers directly (ttl=64), in one hop, and
  // the router forwards nothing.
  'router-bridges': {
    ...GOOD,
    subnets: failWith(/VM1 and VM3 are on the same subnet/),
    'routes vm1': failWith(/directly out of/),
    'routes vm3': failWith(/directly out of/),
    'ping vm1': bypassedDirectly,
    'traceroute vm1': failWith(/reached in one hop/),
    'iperf vm1': bypassedDirectly,
  },

  // A student fakes VM1's ping instead of fixing the network (the router does not forward). The
  // fake's output convinces the parser, ttl=63 included; the router's counters did not move.
  'fake-ping': {
    ...FAKED_NETWORK,
    'ping vm1': fakedPing,
  },

  // VM1's traceroute prints a two-hop trace through the router's internal1 address. The router's
  // own route agrees (forwarding off, it still has a route out of its NIC on VM3's network); its
  // counters, which the probes would have moved, did not.
  'fake-traceroute': {
    ...FAKED_NETWORK,
    'traceroute vm1': fakedTraceroute,
  },

  // VM1's iperf3 prints a recorded client report rewritten to 900 Mbit/s; VM3's one-off server saw
  // no test: the grader stops it, it reports none, and the router forwarded nothing.
  'fake-iperf': {
    ...FAKED_NETWORK,
    'iperf vm1': fakedIperf,
  },

  'fake-all': {
    ...FAKED_NETWORK,
    'ping vm1': fakedPing,
    'traceroute vm1': fakedTraceroute,
    'iperf vm1': fakedIperf,
  },

  // fake-all plus the traffic the link counters count, with forwarding still off: VM1 and VM3 ping
  // the router's own addresses in the background (its NICs' counters move), VM3's iperf3 is a fake
  // server that reports VM1's test at 900 Mbit/s and floods the router's own address meanwhile.
  // None of it is forwarded: the router's ForwDatagrams (/proc/net/snmp) stays put, and the three
  // traffic checks fail naming it.
  'fake-all-chatter': {
    ...FAKED_NETWORK,
    'ping vm1': fakedPing,
    'traceroute vm1': fakedTraceroute,
    'iperf vm1': { status: 'fail', message: /^witnesses disagree: .*but the router's counters: .*it forwarded 0 datagrams/ },
  },

  // fake-all, with VM3's fake server, plus the command-session takeover kit on the router: its
  // helper answers whatever the grader sends the session it took over, with ip_forward=1 and
  // invented counters. The witness reads (ip_forward, the counters) never go through a command
  // session: each has an exec channel of its own running /bin/sh's builtins, with markers the
  // helper never saw. They read the real kernel: forwarding off, nothing forwarded.
  takeover: {
    ...FAKED_NETWORK,
    'ping vm1': fakedPing,
    'traceroute vm1': fakedTraceroute,
    'iperf vm1': { status: 'fail', message: /^witnesses disagree: .*but the router's counters: .*it forwarded 0 datagrams/ },
  },

  // The router's NIC on internal network 2 has an address outside it, and VM1's tools (and VM3's
  // server) are fakes. Its counters cannot be matched to a path, which once switched them off;
  // now a router that is not on both networks is a witness against every traffic check.
  'router-off-subnet': {
    ...FAKED_NETWORK,
    subnets: failWith(/the router has no address in VM3's internal subnet/),
    'routes vm3': failWith(/the router has no address on VM3's internal network/),
    'ping vm1': offPath,
    'traceroute vm1': offPath,
    'iperf vm1': offPath,
  },

  // No route back on VM3; VM1's fake ping and traceroute send real requests, which the router
  // forwards toward VM3 (no reply comes back), while VM1 and VM3 ping the router's own addresses.
  // The totals move; the directions do not add up: requests went one way, nothing came back.
  'one-way': {
    ...GOOD,
    ...noPath,
    'routes vm3': failWith((a) => new RegExp(`via ${address(a.hypervisor.management)}.*management NIC`)),
    'ping vm1': { status: 'fail', message: /^witnesses disagree: .*answers: (\d+)\/\1 replies.*, but the router's counters: .*(came back|toward the source|more than the at most|(this|the) traffic needs)/ },
    'traceroute vm1': { status: 'fail', message: /^witnesses disagree: via the router .*, but the router's counters: .*(came back|toward the source|more than the at most|(this|the) traffic needs)/ },
  },

  // VM1's permanent neighbour entry for the router names a MAC no NIC has: nothing gets through.
  'stale-neighbour': { ...GOOD, ...noPath },

  // VM3 holds the router's own address on internal network 2 (and so has no route back).
  // VM1's traffic to that address is answered by the router itself (ttl 64, one hop), and the
  // checks that need the router's address on VM3's network find none but VM3's own.
  'vm-has-router-address': {
    ...GOOD,
    subnets: failWith((a) => new RegExp(`^VM3's address ${address(a.router.internal2)} is the router's own address in [\\d./]+$`)),
    'routes vm3': failWith((a) => new RegExp(`^VM3's address ${address(a.router.internal2)} is the router's own address on [\\d./]+ \\(the router's \\S+ has it too\\)$`)),
    'ping vm1': failWith(/^witnesses disagree: .*ttl=64: the replies crossed no router/),
    'traceroute vm1': failWith(/was reached in one hop: the traffic did not pass through the router/),
    'iperf vm1': failWith(/unable to connect/),
  },

  // Valid: VM1 routes via the router's second address on its network.
  'router-two-addresses': GOOD,

  // Valid: VM1 and VM3 reach each other by their default routes via the router.
  'default-via-router': GOOD,

  // VM1's internal address is on its management NIC.
  'address-on-mgmt-nic': {
    ...GOOD,
    subnets: failWith(/VM1 has no IPv4 address on an internal network/),
    'routes vm1': failWith(/VM1 has no IPv4 address on an internal network/),
    'routes vm3': failWith(/VM1 has no IPv4 address on an internal network/),
    'ping vm1': failWith(/no reply/),
    'traceroute vm1': failWith(/VM1 has no IPv4 address on an internal network/),
    'iperf vm1': failWith(/VM1 has no IPv4 address on an internal network/),
  },

  // The router's NIC toward VM3 has a smaller MTU and the router drops its own "fragmentation
  // needed": ping's and traceroute's small packets pass, iperf's full-size segments vanish.
  'path-mtu-blackhole': {
    ...GOOD,
    'iperf vm1': failWith(/below the floor of 100 Mbit\/s/),
  },

  // The router drops the ICMP time-exceeded it sends: only traceroute sees it.
  'no-time-exceeded': {
    ...GOOD,
    'traceroute vm1': failWith(/the first hop towards .* did not answer/),
  },

  // VM3 admits ping (and SSH) only: traceroute's UDP probes and iperf's connection are dropped.
  'vm3-input-drop': {
    ...GOOD,
    'traceroute vm1': failWith(/was not reached after the router/),
    'iperf vm1': failWith(/unable to connect/),
  },

  // The router's internal addresses are each on the other network's NIC.
  'router-addrs-swapped': {
    ...GOOD,
    ...noPath,
    'traceroute vm1': failWith(/the first hop towards .* did not answer/),
  },

  // ip_forward is 1, the router's NIC toward VM3 has its own forwarding off: requests reach VM3,
  // its replies arriving on that NIC are not forwarded (the trace ends at the router).
  'nic-forwarding-off': {
    ...GOOD,
    ...noPath,
    'ip-forward router': failWith(/^net\.ipv4\.ip_forward = 1, but net\.ipv4\.conf\.\S+\.forwarding = 0: the router does not forward the packets that arrive on \S+ \(its NIC toward VM3\)$/),
    'traceroute vm1': failWith(/not reached after the router/),
  },

  // A masquerade on the router's NIC toward VM3, no route back on VM3: everything arrives (VM3
  // answers the router's own address, the router translates back), which is NAT, not routing.
  // Each traffic check fails saying so, never with "witnesses disagree".
  'nat-on-router': {
    ...GOOD,
    'routes vm3': failWith((a) => new RegExp(`via ${address(a.hypervisor.management)}.*management NIC`)),
    'ping vm1': failWith((a) => new RegExp(`^${address(a.vm3.internal)} answers: .*, but the traffic was translated, not routed \\(VM3's route to ${address(a.vm1.internal)} goes via ${address(a.hypervisor.management)}.*the router rewrites the source address \\(NAT\\)`)),
    'traceroute vm1': failWith((a) => new RegExp(`^via the router ${address(a.router.internal1)} to ${address(a.vm3.internal)} in 2 hops, but the traffic was translated, not routed \\(VM3's route to ${address(a.vm1.internal)} goes via`)),
    'iperf vm1': failWith((a) => new RegExp(`^\\S+ Mbit/s to ${address(a.vm3.internal)} .*, but the traffic was translated, not routed \\(VM3's iperf3 server received the test from the router's own address ${address(a.router.internal2)}, not from VM1's ${address(a.vm1.internal)}`)),
  },

  // Forwarding off, and a file holding 1 mounted over ip_forward: the file reads 1, the kernel's
  // own Forwarding in /proc/net/snmp (read in the same witness read) says 2 (issue 25, item 2).
  'bind-ip-forward': {
    ...GOOD,
    ...noPath,
    'ip-forward router': failWith(/reads 1, but the router's kernel does not forward/),
  },

  // Forwarding off; a line atop the router's ~/.bashrc hands its witness channels to a forger
  // (ip_forward 1, what came in from VM1 mirrored as forwarded and answered), VM1's ping and
  // traceroute send real requests and print replies. ip-forward's read is the forger's (flagged
  // for review, rc-hook); VM3's own counters say nothing reached it (issue 25, item 1).
  // The forger answers ip_forward but not the NICs' own values, which the same read goes on to read.
  'bashrc-hook': {
    ...GOOD,
    ...noPath,
    'ip-forward router': failWith(/^net\.ipv4\.ip_forward = 1, but net\.ipv4\.conf\.\S+\.forwarding = 0/),
    'ping vm1': { status: 'fail', message: /^witnesses disagree: .*VM3's own counters: VM3 received \d+ packets/ },
    'traceroute vm1': { status: 'fail', message: /^witnesses disagree: .*VM3's own counters: VM3 received \d+ packets/ },
  },
};

export function expectedMessage(expected: ExpectedResult, addresses: LabAddresses): RegExp | undefined {
  return typeof expected.message === 'function' ? expected.message(addresses) : expected.message;
}

// The expectation for one result of one variant; a result the variant does not name is a mistake
// in this file (expected-verdicts.test.ts finds it first).
export function expectedFor(variant: Variant, key: ResultKey): ExpectedResult {
  const expected = EXPECTED_VERDICTS[variant][key];
  if (!expected) throw new Error(`EXPECTED_VERDICTS.${variant} has no expectation for '${key}'`);
  return expected;
}

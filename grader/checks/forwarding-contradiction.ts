// ip-forward read against what the router's kernel did in the same run (issue 25, item 2). The
// ip_forward file is one witness: a file mounted over it, or a hook that answers its read, says 1
// while the kernel forwards nothing. The traffic checks counted, around their own traffic, the
// packets in from VM1 on the router, what its kernel forwarded (`ForwDatagrams`) and what it
// refused as not its own to route (`InAddrErrors`, which only forwarding off explains for packets
// addressed to another network), and its own setting (`Ip: Forwarding`). Requests in, none
// forwarded, and the kernel saying it does not forward: the pass of ip-forward is contradicted.
// A firewall that drops forwarded packets is not this (the kernel forwards, then drops: no
// refusal). When the lab is graded through its hypervisor, its counters of the router's taps
// decide whether anything was forwarded: traffic it saw leave toward the target keeps the pass.
// Pure.
import { ROLE_LABELS } from '../core/roles.ts';
import type { CheckResult, Verdict } from '../core/result.ts';

const TRAFFIC_KINDS: readonly string[] = ['ping', 'traceroute', 'iperf'];

/** Packets below which a count is noise (an ARP, a router solicitation), not traffic. */
const AT_LEAST = 3;

interface Seen {
  result: CheckResult;
  packetsIn: number;
  forwarded: number;
  refused?: number;
  kernelOff: boolean;
  hypervisor?: { packetsIn: number; towardTarget: number };
}

function seenIn(result: CheckResult): Seen | undefined {
  const m = result.measurements ?? {};
  const { routerPacketsInFromSource: packetsIn, routerForwardedDatagrams: forwarded, routerRefusedDatagrams: refused, routerKernelForwarding: kernel } = m;
  if (packetsIn === undefined || forwarded === undefined) return undefined;
  const hin = m.hypervisorPacketsInFromSource;
  const htoward = m.hypervisorPacketsTowardTarget;
  return {
    result,
    packetsIn,
    forwarded,
    ...(refused !== undefined ? { refused } : {}),
    kernelOff: kernel === 0 || (refused ?? 0) >= AT_LEAST,
    ...(hin !== undefined && htoward !== undefined ? { hypervisor: { packetsIn: hin, towardTarget: htoward } } : {}),
  };
}

const forwardedSomething = (s: Seen) => (s.hypervisor ? s.hypervisor.towardTarget >= AT_LEAST : s.forwarded > 0);
const nothingForwarded = (s: Seen) => (s.hypervisor ? s.hypervisor.packetsIn >= AT_LEAST && s.hypervisor.towardTarget < AT_LEAST : s.packetsIn >= AT_LEAST && s.forwarded === 0);

function sentence(s: Seen): string {
  const check = `${s.result.kind} ${s.result.host}`;
  const refused = s.refused !== undefined && s.refused >= AT_LEAST ? ` and refused ${s.refused} as not its own to route (InAddrErrors)` : ' and its kernel says it does not forward (Ip Forwarding 2)';
  const hypervisor = s.hypervisor ? `; the hypervisor counted ${s.hypervisor.packetsIn} packets in from ${ROLE_LABELS.vm1} and ${s.hypervisor.towardTarget} out toward ${ROLE_LABELS.vm3}` : '';
  return `during ${check}, ${s.packetsIn} packets came in from the source VM and the router's kernel forwarded ${s.forwarded}${refused}${hypervisor}`;
}

/**
 * The verdict that replaces ip-forward's pass on the router when the traffic checks' counters
 * contradict it; undefined when they do not (or it did not pass, or nothing was counted).
 */
export function forwardingContradiction(results: readonly CheckResult[]): { result: CheckResult; verdict: Verdict } | undefined {
  const result = results.find((r) => r.kind === 'ip-forward' && r.host === 'router' && r.status === 'pass');
  if (!result) return undefined;
  const seen = results.filter((r) => TRAFFIC_KINDS.includes(r.kind)).map(seenIn).filter((s): s is Seen => s !== undefined);
  if (seen.some(forwardedSomething)) return undefined;
  const against = seen.filter((s) => nothingForwarded(s) && s.kernelOff);
  if (against.length === 0) return undefined;
  const said = against.map(sentence);
  return {
    result,
    verdict: {
      status: 'fail',
      reason: 'forwarding-contradicted',
      subject: { value: '1', contradictedBy: against.map((s) => `${s.result.kind} ${s.result.host}`) },
      message: `net.ipv4.ip_forward read 1, but the router's kernel did not forward: ${said[0]}`,
      expected: 'net.ipv4.ip_forward = 1, and the kernel forwarding the traffic the other checks sent',
      actual: ['net.ipv4.ip_forward read 1', ...said].join('\n'),
      evidence: result.evidence,
    },
  };
}

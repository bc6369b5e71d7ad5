import { CannotGrade, Unmet } from '../core/outcomes.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { sh } from '../transport/shell-quote.ts';
import { kernelForwarding, parseSnmpIp } from '../parse/proc-net-snmp.ts';
import type { EvidenceScope, Measurements } from '../core/result.ts';
import type { DomainNicCounters } from '../parse/virsh-domifstat.ts';
import { judgeTraffic, type NicDelta, type PathDeltas, type TrafficExpectation } from './traffic-counters.ts';
import type { Witness } from './witnesses.ts';

const STATS = ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes'] as const;
type Stat = (typeof STATS)[number];

// What the router counted: per path NIC its link statistics, and the datagrams its kernel
// forwarded (`Ip: ForwDatagrams` of /proc/net/snmp), which traffic to the router itself never moves.
export interface Counters {
  nics: Record<string, Partial<Record<Stat, number>>>;
  forwarded?: number;
  /** `Ip: InAddrErrors`: packets the kernel refused as not for it (with forwarding off, every one to be routed on). */
  addressErrors?: number;
  /** `Ip: Forwarding`, as ip_forward would say it: the kernel's own setting. */
  kernelForwarding?: '1' | '0';
}

// The router's NICs on VM1's and on VM3's internal network.
export interface RouterPath {
  towardVm1: string;
  towardVm3: string;
}

// The output of counterCommand: `path:value` lines, then /proc/net/snmp's two `Ip:` lines.
export function parseCounters(text: string): Counters {
  const counters: Counters = { nics: {} };
  for (const match of text.matchAll(/^\/sys\/class\/net\/([^/\n]+)\/statistics\/(\w+):(\d+)$/gm)) {
    const [, nic = '', stat = '', value = ''] = match;
    if ((STATS as readonly string[]).includes(stat)) (counters.nics[nic] ??= {})[stat as Stat] = Number(value);
  }
  const ip = parseSnmpIp(text);
  if (ip.ForwDatagrams !== undefined) counters.forwarded = ip.ForwDatagrams;
  if (ip.InAddrErrors !== undefined) counters.addressErrors = ip.InAddrErrors;
  const kernel = kernelForwarding(ip);
  if (kernel) counters.kernelForwarding = kernel;
  return counters;
}

/** The statistics files of these NICs, each read as `path:value` by readFilesCommand. */
export function statisticsFiles(nics: readonly string[]): string[] {
  return nics.flatMap((nic) => STATS.map((s) => `/sys/class/net/${nic}/statistics/${s}`));
}

/** The statistics files of the router's two path NICs, in the order counterCommand reads them. */
export function counterFiles(path: RouterPath): string[] {
  return statisticsFiles([path.towardVm1, path.towardVm3]);
}

// Read with the shell's own `read` in a witness channel (RemoteHost.runWitness), so that no tool on
// the VM's PATH stands between the kernel's counters and the grader, and no process a command
// left behind can read the command or forge its framing.
export function readFilesCommand(files: readonly string[]): string {
  return sh`for f in ${files}; do read -r v < "$f" && printf '%s:%s\\n' "$f" "$v"; done`;
}

/** /proc/net/snmp's two `Ip:` lines (the kernel's Forwarding, ForwDatagrams, InAddrErrors), with the shell's own `read`. */
export const SNMP_IP_COMMAND = `while read -r k rest; do case "$k" in Ip:) printf 'Ip: %s\\n' "$rest" ;; esac; done < /proc/net/snmp`;

export function counterCommand(path: RouterPath): string {
  return [readFilesCommand(counterFiles(path)), SNMP_IP_COMMAND].join('; ');
}

// The router's path NICs, or why they cannot be had: `unmet` when the router was read and is not
// on both internal networks (then nothing between VM1 and VM3 can have crossed it), `unreachable`
// when it could not be graded at all. Either way the witness says so; it never disappears.
export type RouterPathOrWhy = { path: RouterPath } | { unmet: string } | { unreachable: string };

export function routerPath(lab: LabAccess): RouterPathOrWhy {
  try {
    return { path: { towardVm1: lab.routerFacing('vm1').interface, towardVm3: lab.routerFacing('vm3').interface } };
  } catch (error) {
    if (error instanceof Unmet) return { unmet: error.message };
    if (error instanceof CannotGrade) return { unreachable: error.message };
    throw error;
  }
}

// Undefined when the counters cannot be read; the witness then says so and the pass cannot stand.
export async function readCounters(lab: LabAccess, path: RouterPath | undefined): Promise<Counters | undefined> {
  if (!path) return undefined;
  try {
    const result = await lab.remote('router').runWitness(counterCommand(path), { timeoutMs: 10_000 });
    const counters = parseCounters(result.stdout);
    return counters.forwarded === undefined ? undefined : counters;
  } catch {
    return undefined;
  }
}

function delta(before: Counters, after: Counters, nic: string, stat: Stat): number | undefined {
  const a = before.nics[nic]?.[stat];
  const b = after.nics[nic]?.[stat];
  return a === undefined || b === undefined ? undefined : b - a;
}

export function nicDelta(before: Counters, after: Counters, nic: string): NicDelta {
  const d = (stat: Stat) => delta(before, after, nic, stat);
  return { rxPackets: d('rx_packets'), txPackets: d('tx_packets'), rxBytes: d('rx_bytes'), txBytes: d('tx_bytes') };
}

// What the forwarding cross-check reads (forwarding-contradiction.ts): packets in from the source
// VM, what the kernel refused as not for it to route, and its own forwarding setting after.
function forwardingFigures(before: Counters, after: Counters, deltas: PathDeltas): Measurements {
  const figures: Measurements = {};
  if (deltas.source.delta.rxPackets !== undefined) figures.routerPacketsInFromSource = deltas.source.delta.rxPackets;
  if (before.addressErrors !== undefined && after.addressErrors !== undefined) figures.routerRefusedDatagrams = after.addressErrors - before.addressErrors;
  if (after.kernelForwarding !== undefined) figures.routerKernelForwarding = after.kernelForwarding === '1' ? 1 : 0;
  return figures;
}

/** What a check's traffic is: its expectation, and whether it went toward VM3 (default) or VM1. */
export type RouterExpectation = TrafficExpectation & { target?: 'vm1' | 'vm3' };

// The witness of the router's own counters: the traffic the grader caused went in on the router's
// NIC toward its source and out of its NIC toward its target, the replies the other way, each in
// the numbers that traffic explains (traffic-counters.ts), and the kernel forwarded it.
export function routerCountersWitness(
  where: RouterPathOrWhy,
  before: Counters | undefined,
  after: Counters | undefined,
  expect: RouterExpectation,
  seconds = 0,
): Witness {
  const name = "the router's counters";
  if ('unmet' in where) return { name, agrees: false, detail: `the traffic cannot have crossed the router: ${where.unmet}` };
  if ('unreachable' in where) return { name, mustAnswer: true, unreachable: 'router', detail: `the router could not be asked: ${where.unreachable}` };
  const { path } = where;
  if (!before || !after) return { name, mustAnswer: true, detail: 'the router was reached, but its counters could not be read' };
  const towardVm1 = expect.target === 'vm1';
  const [sourceNic, targetNic] = towardVm1 ? [path.towardVm3, path.towardVm1] : [path.towardVm1, path.towardVm3];
  const forwarded = (after.forwarded ?? 0) - (before.forwarded ?? 0);
  const deltas: PathDeltas = {
    source: { nic: sourceNic, delta: nicDelta(before, after, sourceNic) },
    target: { nic: targetNic, delta: nicDelta(before, after, targetNic) },
    forwarded,
    seconds,
  };
  const n = (v: number | undefined) => (v === undefined ? '?' : String(v));
  const rows = [deltas.source, deltas.target].map(({ nic, delta: d }) => `${nic} +${n(d.rxPackets)} packets in, +${n(d.txPackets)} out`);
  const bytes = expect.unit === 'bytes' ? `; ${n(deltas.target.delta.txBytes)} bytes out of ${targetNic}, ${n(deltas.target.delta.rxBytes)} back in` : '';
  const detail = `${forwarded} datagrams forwarded; ${rows.join('; ')}${bytes}`;
  const problems = judgeTraffic(deltas, expect);
  const measurements: Measurements = { routerForwardedDatagrams: forwarded, ...forwardingFigures(before, after, deltas) };
  return {
    name,
    agrees: problems.length === 0,
    detail: problems.length === 0 ? detail : `${detail}: ${problems.join('; ')}`,
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
    measurements,
  };
}

// The router domain's tap devices of its two internal NICs on the hypervisor, matched by MAC.
export function routerTaps(lab: LabAccess, path: RouterPath): { domain: string; towardVm1: string; towardVm3: string } | { why: string } {
  const domain = lab.hypervisor?.domains.router;
  if (!domain) return { why: lab.hypervisor?.problems.router ?? 'the hypervisor did not show the router domain' };
  const tapOf = (nic: string) => {
    const mac = lab.facts('router').interfaces.find((i) => i.name === nic)?.mac?.toLowerCase();
    return domain.interfaces.find((i) => i.mac === mac)?.device;
  };
  const [towardVm1, towardVm3] = [tapOf(path.towardVm1), tapOf(path.towardVm3)];
  if (!towardVm1 || !towardVm3) return { why: `no tap device of domain '${domain.domain}' has the MAC of the router's ${!towardVm1 ? path.towardVm1 : path.towardVm3}` };
  return { domain: domain.domain, towardVm1, towardVm3 };
}

type HostReading = { counters: Record<string, DomainNicCounters> } | { why: string };

async function readHost(lab: LabAccess, taps: ReturnType<typeof routerTaps> | undefined): Promise<HostReading | undefined> {
  if (!lab.hostCounters || !taps) return undefined;
  if ('why' in taps) return taps;
  try {
    return await lab.hostCounters.read(taps.domain, [taps.towardVm1, taps.towardVm3]);
  } catch (error) {
    return { why: (error as Error).message };
  }
}

const hostDelta = (before: DomainNicCounters, after: DomainNicCounters): NicDelta => ({
  rxPackets: after.rxPackets - before.rxPackets,
  txPackets: after.txPackets - before.txPackets,
  rxBytes: after.rxBytes - before.rxBytes,
  txBytes: after.txBytes - before.txBytes,
});

// The hypervisor's witness: its own counters of the router's two internal NICs (tap devices, the
// guest's view), judged as the router's (traffic-counters.ts) but without the forwarded count.
export function hypervisorCountersWitness(
  taps: { towardVm1: string; towardVm3: string },
  before: HostReading,
  after: HostReading,
  expect: RouterExpectation,
  seconds: number,
): Witness {
  const name = "the hypervisor's counters of the router's NICs";
  if ('why' in before || 'why' in after) return { name, mustAnswer: true, detail: `the hypervisor could not be read: ${'why' in before ? before.why : (after as { why: string }).why}` };
  const [sourceTap, targetTap] = expect.target === 'vm1' ? [taps.towardVm3, taps.towardVm1] : [taps.towardVm1, taps.towardVm3];
  const delta = (tap: string) => hostDelta(before.counters[tap]!, after.counters[tap]!);
  const deltas: PathDeltas = { source: { nic: sourceTap, delta: delta(sourceTap) }, target: { nic: targetTap, delta: delta(targetTap) }, seconds };
  const unit = expect.unit === 'packets' ? 'Packets' : 'Bytes';
  const rows = [deltas.source, deltas.target].map(({ nic, delta: d }) => `${nic} +${d[`rx${unit}`]} ${unit.toLowerCase()} in, +${d[`tx${unit}`]} out`);
  const detail = `as the hypervisor counted them: ${rows.join('; ')}`;
  const problems = judgeTraffic(deltas, { ...expect, forwarded: undefined });
  return {
    name,
    agrees: problems.length === 0,
    detail: problems.length === 0 ? detail : `${detail}: ${problems.join('; ')}`,
    ...(problems.length > 0 ? { problem: problems.join('; ') } : {}),
    measurements: {
      hypervisorTowardTarget: deltas.target.delta[`tx${unit}`]!,
      hypervisorBackFromTarget: deltas.target.delta[`rx${unit}`]!,
      hypervisorPacketsInFromSource: deltas.source.delta.rxPackets!,
      hypervisorPacketsTowardTarget: deltas.target.delta.txPackets!,
    },
  };
}

// Runs some traffic with the router's counters read just before and just after it, in the VM and,
// when the lab is graded through its hypervisor, on the hypervisor; the witnesses then judge the
// differences against what that traffic explains. `scope` says whether one of them stood outside
// the VMs.
export async function whileRouterWatches<T>(
  lab: LabAccess,
  traffic: () => Promise<T>,
  /** Other reads made at the same moments, concurrently (the target VM's own counters). */
  alongside?: () => Promise<unknown>,
): Promise<{ value: T; witness: (expect: RouterExpectation) => Witness[]; scope: EvidenceScope }> {
  const where = routerPath(lab);
  const path = 'path' in where ? where.path : undefined;
  const taps = path && lab.hostCounters ? routerTaps(lab, path) : undefined;
  const [before, hostBefore] = await Promise.all([readCounters(lab, path), readHost(lab, taps), alongside?.()]);
  const started = performance.now();
  const value = await traffic();
  const [after, hostAfter] = await Promise.all([readCounters(lab, path), readHost(lab, taps), alongside?.()]);
  const seconds = (performance.now() - started) / 1000;
  const scope: EvidenceScope = lab.hostCounters ? 'hypervisor' : 'in-vm';
  return {
    value,
    scope,
    witness: (expect) => {
      const witnesses = [routerCountersWitness(where, before, after, expect, seconds)];
      if (lab.hostCounters && taps && hostBefore && hostAfter) {
        witnesses.push(
          'why' in taps
            ? { name: "the hypervisor's counters of the router's NICs", mustAnswer: true, detail: `the hypervisor could not be read: ${taps.why}` }
            : hypervisorCountersWitness(taps, hostBefore, hostAfter, expect, seconds),
        );
      }
      return witnesses;
    },
  };
}

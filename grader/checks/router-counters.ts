import { CannotGrade, Unmet } from '../core/outcomes.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { sh } from '../transport/shell-quote.ts';
import type { Witness } from './witnesses.ts';

const STATS = ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes'] as const;
type Stat = (typeof STATS)[number];

// What the router counted: per path NIC its link statistics, and the datagrams its kernel
// forwarded (`Ip: ForwDatagrams` of /proc/net/snmp), which traffic to the router itself never moves.
export interface Counters {
  nics: Record<string, Partial<Record<Stat, number>>>;
  forwarded?: number;
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
  const [names, values] = [...text.matchAll(/^Ip: (.*)$/gm)].map((m) => (m[1] ?? '').trim().split(/\s+/));
  const column = names?.indexOf('ForwDatagrams') ?? -1;
  const forwarded = column >= 0 ? Number(values?.[column]) : NaN;
  if (Number.isFinite(forwarded)) counters.forwarded = forwarded;
  return counters;
}

// Read with the shell's own `read` in a witness channel (RemoteHost.runWitness), so that no tool on
// the router's PATH stands between the kernel's counters and the grader, and no process a command
// left behind can read the command or forge its framing.
export function counterCommand(path: RouterPath): string {
  const files = [path.towardVm1, path.towardVm3].flatMap((nic) => STATS.map((s) => `/sys/class/net/${nic}/statistics/${s}`));
  return [
    sh`for f in ${files}; do read -r v < "$f" && printf '%s:%s\\n' "$f" "$v"; done`,
    `while read -r k rest; do case "$k" in Ip:) printf 'Ip: %s\\n' "$rest" ;; esac; done < /proc/net/snmp`,
  ].join('; ');
}

// The router's path NICs; undefined when the router cannot be asked (unreachable, or not on both
// internal networks): the witness is then "not asked".
export function routerPath(lab: LabAccess): RouterPath | undefined {
  try {
    return { towardVm1: lab.routerFacing('vm1').interface, towardVm3: lab.routerFacing('vm3').interface };
  } catch (error) {
    if (error instanceof CannotGrade || error instanceof Unmet) return undefined;
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

// Traffic between VM1 and VM3 that went through the router was forwarded by its kernel (at least
// `forwarded` datagrams) and came in and went out of both of its internal NICs (at least
// `packets` each way); for a measurement, the NIC toward the receiving VM sent at least `bytes`.
export function routerCountersWitness(
  path: RouterPath | undefined,
  before: Counters | undefined,
  after: Counters | undefined,
  expect: { forwarded: number; packets: number; bytes?: number; toward?: 'vm1' | 'vm3' },
): Witness {
  const name = "the router's counters";
  if (!path) return { name, detail: 'the router could not be asked' };
  if (!before || !after) return { name, mustAnswer: true, detail: 'the router was reached, but its counters could not be read' };
  const rows = [path.towardVm1, path.towardVm3].map((nic) => ({
    nic,
    rx: delta(before, after, nic, 'rx_packets'),
    tx: delta(before, after, nic, 'tx_packets'),
  }));
  const forwarded = (after.forwarded ?? 0) - (before.forwarded ?? 0);
  const receiver = expect.toward === 'vm1' ? path.towardVm1 : path.towardVm3;
  const sent = delta(before, after, receiver, 'tx_bytes');
  const bytes = expect.bytes === undefined ? '' : `; ${sent ?? '?'} bytes out of ${receiver}`;
  const detail = `${forwarded} datagrams forwarded; ${rows.map((r) => `${r.nic} +${r.rx ?? '?'} packets in, +${r.tx ?? '?'} out`).join('; ')}${bytes}`;
  const problems = [
    forwarded < expect.forwarded && `it forwarded ${forwarded} datagrams, fewer than the ${expect.forwarded} this traffic needs`,
    !rows.every((r) => (r.rx ?? -1) >= expect.packets && (r.tx ?? -1) >= expect.packets) && 'too little traffic crossed its internal NICs',
    expect.bytes !== undefined && (sent ?? -1) < expect.bytes && `fewer than ${expect.bytes} bytes went out toward the receiver`,
  ].filter((p): p is string => typeof p === 'string');
  return { name, agrees: problems.length === 0, detail: problems.length === 0 ? detail : `${detail}: ${problems.join('; ')}` };
}

// Runs some traffic with the router's counters read just before and just after it; the witness
// then judges the difference against what that traffic needs.
export async function whileRouterWatches<T>(
  lab: LabAccess,
  traffic: () => Promise<T>,
): Promise<{ value: T; witness: (expect: Parameters<typeof routerCountersWitness>[3]) => Witness }> {
  const path = routerPath(lab);
  const before = await readCounters(lab, path);
  const value = await traffic();
  const after = await readCounters(lab, path);
  return { value, witness: (expect) => routerCountersWitness(path, before, after, expect) };
}

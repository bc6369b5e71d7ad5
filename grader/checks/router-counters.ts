import { CannotGrade, Unmet } from './outcomes.ts';
import type { LabAccess } from '../lab/lab-access.ts';
import { sh } from '../transport/shell-quote.ts';
import type { Witness } from './witnesses.ts';

const STATS = ['rx_packets', 'tx_packets', 'rx_bytes', 'tx_bytes'] as const;
type Stat = (typeof STATS)[number];
export type Counters = Record<string, Partial<Record<Stat, number>>>;

// The router's NICs on VM1's and on VM3's internal network.
export interface RouterPath {
  towardVm1: string;
  towardVm3: string;
}

// `grep -H . FILES` over /sys/class/net/IF/statistics/*: `path:value` lines.
export function parseCounters(text: string): Counters {
  const counters: Counters = {};
  for (const match of text.matchAll(/^\/sys\/class\/net\/([^/\n]+)\/statistics\/(\w+):(\d+)$/gm)) {
    const [, nic = '', stat = '', value = ''] = match;
    if ((STATS as readonly string[]).includes(stat)) (counters[nic] ??= {})[stat as Stat] = Number(value);
  }
  return counters;
}

export function counterCommand(path: RouterPath): string {
  const files = [path.towardVm1, path.towardVm3].flatMap((nic) => STATS.map((s) => `/sys/class/net/${nic}/statistics/${s}`));
  return sh`grep -H . ${files}`;
}

// The router's path NICs and a reader of their counters; undefined when the router cannot be
// asked (unreachable, or not on both internal networks): the witness is then "not asked".
export function routerPath(lab: LabAccess): RouterPath | undefined {
  try {
    return { towardVm1: lab.routerFacing('vm1').interface, towardVm3: lab.routerFacing('vm3').interface };
  } catch (error) {
    if (error instanceof CannotGrade || error instanceof Unmet) return undefined;
    throw error;
  }
}

export async function readCounters(lab: LabAccess, path: RouterPath | undefined): Promise<Counters | undefined> {
  if (!path) return undefined;
  try {
    const result = await lab.remote('router').run(counterCommand(path), { timeoutMs: 5000 });
    return result.exitCode === 0 ? parseCounters(result.stdout) : undefined;
  } catch {
    return undefined;
  }
}

function delta(before: Counters, after: Counters, nic: string, stat: Stat): number | undefined {
  const a = before[nic]?.[stat];
  const b = after[nic]?.[stat];
  return a === undefined || b === undefined ? undefined : b - a;
}

// Traffic between VM1 and VM3 that went through the router came in and went out of both of its
// internal NICs: each counter rose by at least `packets` (and, for a measurement, the NIC toward
// the receiving VM sent at least `bytes`).
export function routerCountersWitness(
  path: RouterPath | undefined,
  before: Counters | undefined,
  after: Counters | undefined,
  expect: { packets: number; bytes?: number; toward?: 'vm1' | 'vm3' },
): Witness {
  const name = "the router's interface counters";
  if (!path || !before || !after) return { name, detail: 'the router could not be asked' };
  const rows = [path.towardVm1, path.towardVm3].map((nic) => ({
    nic,
    rx: delta(before, after, nic, 'rx_packets'),
    tx: delta(before, after, nic, 'tx_packets'),
  }));
  const receiver = expect.toward === 'vm1' ? path.towardVm1 : path.towardVm3;
  const sent = delta(before, after, receiver, 'tx_bytes');
  const bytes = expect.bytes === undefined ? '' : `; ${sent ?? '?'} bytes out of ${receiver}`;
  const detail = `${rows.map((r) => `${r.nic} +${r.rx ?? '?'} packets in, +${r.tx ?? '?'} out`).join('; ')}${bytes}`;
  const packetsOk = rows.every((r) => (r.rx ?? -1) >= expect.packets && (r.tx ?? -1) >= expect.packets);
  const bytesOk = expect.bytes === undefined || (sent ?? -1) >= expect.bytes;
  return { name, agrees: packetsOk && bytesOk, detail: packetsOk && bytesOk ? detail : `${detail}: too little traffic crossed the router` };
}

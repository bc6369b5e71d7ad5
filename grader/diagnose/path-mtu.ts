// mtu-blackhole: small packets cross (ping passes), full-size ones vanish (iperf fails), and one NIC
// on the path has a smaller MTU than the rest: the router cannot forward the full-size packets
// whole, and the ICMP "fragmentation needed" that would make VM1 send smaller ones does not reach
// it. The NIC with the smaller MTU is named; its fix sets the path's MTU back.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { FirewallDrop } from '../parse/firewall-rules.ts';
import { describeDrop } from './filtering.ts';
import type { LabView } from './lab-view.ts';
import { trafficPartlyWorks } from './quiet-failures.ts';

/** Below this, an iperf transfer stalled rather than ran slowly. */
const STALLED_MBPS = 1;

interface PathNic {
  role: Role;
  nic: string;
  mtu: number;
}

// VM1's internal NIC, the router's two, VM3's: each with its MTU, when the grader read it.
function pathNics(view: LabView): PathNic[] {
  const ends: Array<[Role, string | undefined]> = [
    ['vm1', view.vm1?.interface],
    ['router', view.routerOnVm1?.interface],
    ['router', view.routerOnVm3?.interface],
    ['vm3', view.vm3?.interface],
  ];
  return ends.flatMap(([role, nic]) => {
    const mtu = nic ? view.observed[role]?.links.find((l) => l.name === nic)?.mtu : undefined;
    return nic && mtu !== undefined ? [{ role, nic, mtu }] : [];
  });
}

/** A rule that drops ICMP "fragmentation needed" (destination unreachable, code 4) a machine sends or receives. */
const FRAG_NEEDED = /frag-needed|fragmentation-needed|destination-unreachable|icmp-type 3\b/;

function fragNeededDrops(view: LabView): Array<{ role: Role; drop: FirewallDrop }> {
  return (['router', 'vm1'] as const).flatMap((role) => {
    const o = view.observed[role];
    const drops = o ? [...o.nft.drops, ...o.iptables.drops] : [];
    return drops.filter((d) => d.rule !== undefined && FRAG_NEEDED.test(d.rule)).map((drop) => ({ role, drop }));
  });
}

function readable(view: LabView, role: Role): boolean {
  const o = view.observed[role];
  return o !== undefined && (o.nft.readable || o.iptables.readable);
}

export function mtuBlackholes(view: LabView): Diagnosis[] {
  if (!trafficPartlyWorks(view)) return [];
  // A black hole stalls the transfer (next to nothing, or no figure at all); a slow but steady
  // figure is another cause's (slow-path).
  const failed = view.results.filter((r) => r.kind === 'iperf' && r.status === 'fail' && (r.measurements.throughputMbps ?? 0) < STALLED_MBPS);
  if (failed.length === 0) return [];
  const nics = pathNics(view);
  const largest = Math.max(...nics.map((n) => n.mtu));
  const smaller = nics.filter((n) => n.mtu < largest);
  if (smaller.length === 0) return [];
  const rules = fragNeededDrops(view);
  const along = `MTU along the path: ${nics.map((n) => `${ROLE_LABELS[n.role]} ${n.nic} ${n.mtu}`).join(', ')}`;
  const why =
    rules.length > 0
      ? `and ${rules.map((r) => ROLE_LABELS[r.role]).filter((v, i, a) => a.indexOf(v) === i).join(' and ')}'s firewall drops the ICMP "fragmentation needed" that would make VM1 send smaller packets: a path MTU black hole`
      : `and the ICMP "fragmentation needed" that would make VM1 send smaller packets does not reach it (the grader saw no rule that drops it${readable(view, 'router') ? '' : ", but could not read the router's firewall without sudo"}): a path MTU black hole`;
  return smaller.map((n) => ({
    cause: 'mtu-blackhole',
    host: n.role,
    nic: n.nic,
    summary: `${ROLE_LABELS[n.role]}'s NIC ${n.nic} has MTU ${n.mtu}, smaller than the ${largest} of the rest of the path: small packets (ping) cross, full-size ones (iperf) do not, ${why}.`,
    fix: [sh`sudo ip link set dev ${n.nic} mtu ${largest}`],
    persist: `\`ip link set ... mtu\` lasts until the next boot: on Ubuntu set \`mtu: ${largest}\` under ${n.nic} in /etc/netplan/*.yaml (or remove the \`mtu:\` line there); on Debian remove \`mtu ${n.mtu}\` from \`iface ${n.nic}\` in /etc/network/interfaces.`,
    evidence: [along, ...rules.map((r) => `${ROLE_LABELS[r.role]}: ${describeDrop(r.drop)}`), ...failed.map((r) => `${resultName(r)}: ${r.message}`)],
    results: failed.map(resultName),
  }));
}

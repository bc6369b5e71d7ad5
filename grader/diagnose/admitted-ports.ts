// A VM's firewall that admits ping but drops what traceroute and iperf send to it (an INPUT policy
// drop with a few rules that accept SSH and ICMP): the firewall diagnosis then says what passes and
// what does not, and its fix admits the failing tools' ports rather than every packet.
import { sh } from '../core/shell-quote.ts';
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import { ROLE_LABELS, type Role } from '../core/roles.ts';
import type { CheckResult } from '../core/result.ts';
import type { FirewallDrop } from '../parse/firewall-rules.ts';
import { describeDrop } from './filtering.ts';
import type { LabView } from './lab-view.ts';
import { PERSIST_FIREWALL } from './persistence.ts';
import { trafficPartlyWorks } from './quiet-failures.ts';
import { textOf } from './subject-fields.ts';

/** iperf3's port when its command does not say (`-p`). */
export const IPERF3_DEFAULT_PORT = 5201;
/** The UDP ports Linux traceroute's probes go to by default (33434, one more per probe). */
export const TRACEROUTE_PORTS = { first: 33434, last: 33534 };

interface Admission {
  protocol: 'tcp' | 'udp';
  ports: [number, number];
  what: string;
}

// The port iperf3 ran on, from the client command the grader recorded.
function iperfPort(r: CheckResult): number {
  const port = r.evidence.map((e) => /\biperf3\b.*\s-p\s+(\d{1,5})\b/.exec(e.command)?.[1]).find((p) => p !== undefined);
  return port ? Number(port) : IPERF3_DEFAULT_PORT;
}

function admissionOf(r: CheckResult): Admission | undefined {
  if (r.kind === 'iperf') {
    const port = iperfPort(r);
    return { protocol: 'tcp', ports: [port, port], what: `iperf's TCP connection to port ${port}` };
  }
  if (r.kind === 'traceroute') return { protocol: 'udp', ports: [TRACEROUTE_PORTS.first, TRACEROUTE_PORTS.last], what: `traceroute's UDP probes (ports ${TRACEROUTE_PORTS.first}-${TRACEROUTE_PORTS.last})` };
  return undefined;
}

function acceptCommand(d: FirewallDrop, a: Admission): string {
  const [from, to] = a.ports;
  if (d.tool === 'nft') return sh`sudo nft insert rule ${d.table.split(' ')} ${d.chain} ${a.protocol} dport ${from === to ? from : `${from}-${to}`} accept`;
  return sh`sudo iptables -I ${d.chain} -p ${a.protocol} --dport ${from === to ? from : `${from}:${to}`} -j ACCEPT`;
}

// The VM the failing results send to (their target is its internal address).
function targetRole(view: LabView, r: CheckResult): Role | undefined {
  const target = textOf(r.subject, 'target');
  if (target && target === view.vm3?.address) return 'vm3';
  if (target && target === view.vm1?.address) return 'vm1';
  return undefined;
}

/** Rewrites the firewall diagnoses of VMs whose INPUT policy drop still admits ping. */
export function admitPorts(view: LabView, diagnoses: Diagnosis[]): Diagnosis[] {
  if (!trafficPartlyWorks(view)) return diagnoses;
  return diagnoses.map((d) => {
    if (d.cause !== 'filtered' || (d.host !== 'vm1' && d.host !== 'vm3')) return d;
    const role = d.host;
    const o = view.observed[role];
    const drops = o ? [...o.nft.drops, ...o.iptables.drops].filter((x) => (x.hook ?? x.chain).toLowerCase() === 'input') : [];
    // Only a policy drop is lifted by admitting ports; a rule that drops is removed as before.
    if (drops.length === 0 || drops.some((x) => !x.policy)) return d;
    const failed = view.results.filter((r) => r.status === 'fail' && d.results.includes(resultName(r)) && targetRole(view, r) === role);
    const admissions = failed.flatMap((r) => admissionOf(r) ?? []);
    if (admissions.length === 0) return d;
    const label = ROLE_LABELS[role];
    const shows = [...new Set(drops.map((x) => (x.tool === 'nft' ? 'sudo nft -a list ruleset' : sh`sudo iptables -L ${x.chain} -v -n --line-numbers`)))];
    return {
      ...d,
      summary: `${label}'s firewall admits ping but drops ${admissions.map((a) => a.what).join(' and ')}: its input chain's policy is drop; admit those ports.`,
      fix: [...shows, ...drops.flatMap((x) => admissions.map((a) => acceptCommand(x, a)))],
      evidence: [...drops.map((x) => `${label}: ${describeDrop(x)}`), ...failed.map((r) => `${resultName(r)}: ${r.message}`)],
    };
  });
}

/** How each failing tool's traffic meets a VM that answers ping but not it. */
const UNANSWERED: Record<string, string> = { iperf: 'iperf-failed', traceroute: 'not-reached' };

/**
 * With the VM's firewall unreadable (no sudo) and no other cause on it: ping reaches it and is
 * answered, what the other tools send to it is not. Says that, and how to look, without a rule.
 */
export function unreadFirewalls(view: LabView, diagnoses: Diagnosis[]): Diagnosis[] {
  if (!trafficPartlyWorks(view)) return [];
  return (['vm1', 'vm3'] as const).flatMap((role): Diagnosis[] => {
    const o = view.observed[role];
    if (!o || o.nft.readable || o.iptables.readable || diagnoses.some((d) => d.host === role)) return [];
    const failed = view.results.filter((r) => r.status === 'fail' && UNANSWERED[r.kind] === r.reason && targetRole(view, r) === role);
    const admissions = failed.flatMap((r) => admissionOf(r) ?? []);
    if (admissions.length === 0) return [];
    const label = ROLE_LABELS[role];
    const range = (a: Admission, sep: string) => (a.ports[0] === a.ports[1] ? `${a.ports[0]}` : `${a.ports[0]}${sep}${a.ports[1]}`);
    return [
      {
        cause: 'filtered',
        host: role,
        summary: `ping reaches ${label} and is answered, but ${admissions.map((a) => a.what).join(' and ')} get no answer: something on ${label} drops them, most likely its firewall, whose rules need sudo to be read.`,
        fix: [
          'sudo nft -a list ruleset',
          'sudo iptables -L INPUT -v -n --line-numbers',
          ...admissions.map((a) => `# then admit what is dropped: sudo nft insert rule FAMILY TABLE CHAIN ${a.protocol} dport ${range(a, '-')} accept, or sudo iptables -I INPUT -p ${a.protocol} --dport ${range(a, ':')} -j ACCEPT`),
        ],
        persist: PERSIST_FIREWALL,
        evidence: [`${label}'s firewall: unreadable without sudo`, ...failed.map((r) => `${resultName(r)}: ${r.message}`)],
        results: failed.map(resultName),
      },
    ];
  });
}

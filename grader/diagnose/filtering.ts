// Packets that reach a machine and go no further (a firewall), or only some of them (loss).
import { sh } from '../core/shell-quote.ts';
import type { Diagnosis } from '../core/diagnosis.ts';
import { ROLE_LABELS, ROLES, type Role } from '../core/roles.ts';
import type { FirewallDrop } from '../parse/firewall-rules.ts';
import { resultName } from '../core/diagnosis.ts';
import type { LabView } from './lab-view.ts';
import { PERSIST_FIREWALL, PERSIST_QDISC } from './persistence.ts';

/** Rules that drop only some packets: a sample, a rate, every n-th. */
const PARTIAL = /\b(numgen|statistic|limit rate|--every|--probability|random)\b/;

// The chains a VM's packets cross on the path: forwarded ones on the router, received on a VM.
function onPath(role: Role, drop: FirewallDrop): boolean {
  const chain = (drop.hook ?? drop.chain).toLowerCase();
  if (role === 'router') return chain === 'forward' || chain === 'postrouting' || chain === 'prerouting';
  return chain === 'input' || chain === 'output' || chain === 'prerouting' || chain === 'postrouting';
}

export function describeDrop(d: FirewallDrop): string {
  if (d.tool === 'nft') return d.policy ? `nft: table ${d.table}, chain ${d.chain} (hook ${d.hook}): policy drop` : `nft: table ${d.table}, chain ${d.chain}: ${d.rule}${d.handle !== undefined ? ` (handle ${d.handle})` : ''}`;
  return d.policy ? `iptables: chain ${d.chain}: policy DROP` : `iptables: ${d.rule}`;
}

function removal(d: FirewallDrop): string {
  if (d.tool === 'nft') {
    if (d.policy) return sh`sudo nft add chain ${d.table.split(' ')} ${d.chain} ${'{ policy accept; }'}`;
    return sh`sudo nft delete rule ${d.table.split(' ')} ${d.chain} handle ${d.handle ?? 'N'}`;
  }
  return d.policy ? sh`sudo iptables -P ${d.chain} ACCEPT` : sh`sudo iptables -D ${d.chain} ${d.position ?? 'N'}`;
}

// Shows first, then removes (iptables rules from the last, so that positions stay right).
export function firewallFix(drops: FirewallDrop[]): string[] {
  const shows = [...new Set(drops.map((d) => (d.tool === 'nft' ? 'sudo nft -a list ruleset' : sh`sudo iptables -L ${d.chain} -v -n --line-numbers`)))];
  const ordered = [...drops].sort((a, b) => (b.position ?? 0) - (a.position ?? 0));
  return [...shows, ...ordered.map(removal)];
}

function dropsOf(view: LabView, role: Role): FirewallDrop[] {
  const o = view.observed[role];
  return o ? [...o.nft.drops, ...o.iptables.drops].filter((d) => onPath(role, d)) : [];
}

function readable(view: LabView, role: Role): boolean {
  const o = view.observed[role];
  return o !== undefined && (o.nft.readable || o.iptables.readable);
}

function nicOf(drop: FirewallDrop): string | undefined {
  return /\b[io]ifname\s+"?([^"\s]+)"?/.exec(drop.rule ?? '')?.[1] ?? /-[io]\s+(\S+)/.exec(drop.rule ?? '')?.[1];
}

function probeLine(view: LabView): string[] {
  const p = view.probe;
  if (!p) return [];
  const nic = (n?: { nic: string; rx: number; tx: number }) => (n ? `${n.nic} +${n.rx} in, +${n.tx} out` : '?');
  return [`${p.sent} pings from VM1 to VM3, ${p.received} replies; the router forwarded ${p.forwarded ?? '?'}; toward VM1 ${nic(p.towardVm1)}; toward VM3 ${nic(p.towardVm3)}`];
}

// Where the probe's packets stopped, by the router's counters: 'router' (came in from VM1, were
// not forwarded), 'vm3' (reached VM3, no answer came back through the router), 'vm1' (answers
// came back to VM1, which saw none), or undefined.
export function stopOf(view: LabView): Role | undefined {
  const p = view.probe;
  if (!p || !p.towardVm1 || !p.towardVm3 || p.received >= p.sent) return undefined;
  if (p.towardVm1.rx >= p.sent && ((p.forwarded ?? 0) < p.sent || p.towardVm3.tx < p.sent)) return 'router';
  if (p.towardVm3.tx >= p.sent && p.towardVm3.rx < p.sent) return 'vm3';
  if (p.towardVm3.rx >= p.sent && p.towardVm1.tx >= p.sent && p.received === 0) return 'vm1';
  return undefined;
}

// A firewall drops the path's packets: the rule when it can be read, where the counters say they stopped.
export function firewalls(view: LabView, traffic: string[], stop: Role | undefined): Diagnosis[] {
  if (traffic.length === 0) return [];
  const out: Diagnosis[] = [];
  for (const role of ROLES) {
    const drops = dropsOf(view, role).filter((d) => !PARTIAL.test(d.rule ?? ''));
    const label = ROLE_LABELS[role];
    if (drops.length > 0 && (stop === undefined || stop === role)) {
      out.push({
        cause: 'filtered',
        host: role,
        ...(nicOf(drops[0]!) ? { nic: nicOf(drops[0]!)! } : {}),
        summary: `${label}'s firewall drops the packets between VM1 and VM3${role === 'router' ? ' that it should forward' : ''}.`,
        fix: firewallFix(drops),
        persist: PERSIST_FIREWALL,
        evidence: [...drops.map(describeDrop), ...probeLine(view)],
        results: traffic,
      });
    } else if (stop === role && !readable(view, role)) {
      out.push({
        cause: 'filtered',
        host: role,
        summary: `The packets reach ${label} and go no further: ${role === 'router' ? 'it forwards none of them although ip_forward is 1' : 'it does not answer them'}, so a firewall on ${label} drops them (its rules need sudo to be read).`,
        fix: ['sudo nft -a list ruleset', `sudo iptables -L ${role === 'router' ? 'FORWARD' : 'INPUT'} -v -n --line-numbers`, 'sudo ufw status verbose', `# then remove the dropping rule: sudo nft delete rule FAMILY TABLE CHAIN handle N, sudo iptables -D CHAIN N, or ${role === 'router' ? 'sudo ufw default allow routed' : 'sudo ufw allow from VM_NETWORK'}`],
        persist: PERSIST_FIREWALL,
        evidence: probeLine(view),
        results: traffic,
      });
    }
  }
  return out;
}

function lossyPings(view: LabView): string[] {
  return view.results
    .filter((r) => r.kind === 'ping' && r.status !== 'pass' && (r.measurements.received ?? 0) > 0 && (r.measurements.lossPercent ?? 0) > 0)
    .map(resultName);
}

// Some packets are lost: a rule or a netem qdisc that drops a share, or a loss nobody explains.
export function losses(view: LabView, extra: string[]): Diagnosis[] {
  const lossy = lossyPings(view);
  const results = [...lossy, ...extra];
  const out: Diagnosis[] = [];
  for (const role of ROLES) {
    for (const d of dropsOf(view, role).filter((d) => PARTIAL.test(d.rule ?? ''))) {
      const nic = nicOf(d);
      out.push({
        cause: 'packet-loss',
        host: role,
        ...(nic ? { nic } : {}),
        summary: `${ROLE_LABELS[role]} drops part of the packets${nic ? ` leaving or entering ${nic}` : ''} on purpose: a firewall rule that drops a share of them.`,
        fix: firewallFix([d]),
        persist: PERSIST_FIREWALL,
        evidence: [describeDrop(d), ...lossEvidence(view)],
        results,
      });
    }
    for (const q of view.observed[role]?.qdiscs.filter((q) => q.kind === 'netem' && q.loss) ?? []) {
      out.push({
        cause: 'packet-loss',
        host: role,
        nic: q.device,
        summary: `${ROLE_LABELS[role]}'s NIC ${q.device} loses ${q.loss} of what it sends: a netem qdisc emulates a lossy link.`,
        fix: [sh`tc qdisc show dev ${q.device}`, sh`sudo tc qdisc del dev ${q.device} root`],
        persist: PERSIST_QDISC,
        evidence: [`qdisc ${q.kind} on ${q.device}: ${q.options}`, ...lossEvidence(view)],
        results,
      });
    }
  }
  if (out.length === 0 && lossy.length > 0) {
    out.push({
      cause: 'packet-loss',
      host: 'lab',
      summary: 'The path works but loses packets, and nothing on the VMs says why: a busy hypervisor, or a limit outside the VMs.',
      fix: ['tc qdisc show   # on each VM: a netem or policer qdisc', 'sudo nft list ruleset   # on each VM: a rule that drops a share', 'uptime   # on the hypervisor: is it overloaded?'],
      evidence: lossEvidence(view),
      results,
    });
  }
  return out;
}

function lossEvidence(view: LabView): string[] {
  return view.results
    .filter((r) => r.kind === 'ping' && (r.measurements.lossPercent ?? 0) > 0)
    .map((r) => `ping ${r.host}: ${r.measurements.received}/${r.measurements.transmitted} replies, ${r.measurements.lossPercent}% loss`);
}

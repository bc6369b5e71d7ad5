// What the diagnosis asks each VM after the checks, in one command per VM through its command
// session (nothing here needs root; what does, the firewall listings, says so when refused), and
// the optional path probe: the router's counters around three pings from VM1. Pure: the command
// text and the parsing; grader/run sends them.
import type { RouteDecision } from '../core/facts.ts';
import type { Evidence } from '../core/result.ts';
import { parseIpLinkOneline, type LinkState } from '../parse/ip-link.ts';
import { parseIpNeigh, type Neighbour } from '../parse/ip-neigh.ts';
import { parseTcQdisc, type Qdisc } from '../parse/tc-qdisc.ts';
import { parseIptablesS, parseNftRuleset, type FirewallListing } from '../parse/firewall-rules.ts';
import { parseRouteGet } from '../parse/ip-route.ts';
import { parseIptablesNat, parseNftNat, type NatRule } from '../parse/nat-rules.ts';
import { sh } from '../core/shell-quote.ts';

export interface HostObservations {
  links: LinkState[];
  neighbours: Neighbour[];
  qdiscs: Qdisc[];
  nft: FirewallListing;
  iptables: FirewallListing;
  /** The masquerade and SNAT rules of `nft -a list ruleset` and `iptables -t nat -S` (absent in older reports). */
  nat?: NatRule[];
  /** `ip route get` of each address asked about, by address; absent when unreadable. */
  routes: Record<string, RouteDecision>;
  /** /proc/sys/net/ipv4/ip_forward. */
  ipForward?: string;
  evidence: Evidence[];
}

/** What the router's counters did while VM1 sent `sent` pings to VM3 (packets, per NIC). */
export interface PathProbe {
  sent: number;
  received: number;
  towardVm1?: { nic: string; rx: number; tx: number };
  towardVm3?: { nic: string; rx: number; tx: number };
  /** Datagrams the router's kernel forwarded meanwhile. */
  forwarded?: number;
  evidence: Evidence[];
}

export interface Observations {
  hosts: Partial<Record<'vm1' | 'router' | 'vm3', HostObservations>>;
  probe?: PathProbe;
}

/** Pings of the probe: few, so that it costs about a second. */
export const PROBE_COUNT = 3;

// Sbin is on the PATH for tc, nft, iptables (a non-root user's PATH has no /usr/sbin).
export function observationCommand(routeTargets: string[]): string {
  return [
    'PATH="$PATH:/usr/sbin:/sbin"',
    'echo @@link; ip -o link show 2>&1',
    'echo @@neigh; ip neigh show 2>&1',
    'echo @@qdisc; tc qdisc show 2>&1',
    'echo @@nft; nft -a list ruleset 2>&1',
    'echo @@iptables; iptables -S 2>&1',
    'echo @@iptables-nat; iptables -t nat -S 2>&1',
    'echo @@forward; cat /proc/sys/net/ipv4/ip_forward 2>&1',
    ...routeTargets.map((t) => sh`echo @@get ${t}; ip route get ${t} 2>&1`),
  ].join('; ');
}

function sections(text: string): Array<{ name: string; arg: string; body: string }> {
  const out: Array<{ name: string; arg: string; body: string }> = [];
  const parts = text.split(/^@@/m).slice(1);
  for (const part of parts) {
    const [head = '', ...rest] = part.split('\n');
    const [name = '', arg = ''] = head.trim().split(/\s+/, 2);
    out.push({ name, arg, body: rest.join('\n').trim() });
  }
  return out;
}

export function parseObservations(host: string, text: string, command: string): HostObservations {
  const all = sections(text);
  const body = (name: string) => all.find((s) => s.name === name)?.body ?? '';
  const routes: Record<string, RouteDecision> = {};
  for (const s of all.filter((s) => s.name === 'get')) {
    try {
      routes[s.arg] = parseRouteGet(s.body, s.arg);
    } catch {
      // unreadable: the diagnosis goes without it
    }
  }
  const forward = body('forward').split('\n').pop()?.trim();
  return {
    links: parseIpLinkOneline(body('link')),
    neighbours: parseIpNeigh(body('neigh')),
    qdiscs: parseTcQdisc(body('qdisc')),
    nft: parseNftRuleset(body('nft')),
    iptables: parseIptablesS(body('iptables')),
    nat: [...parseNftNat(body('nft')), ...parseIptablesNat(body('iptables-nat'))],
    routes,
    ...(forward === '0' || forward === '1' ? { ipForward: forward } : {}),
    evidence: [{ host, command, exitCode: 0, output: all.map((s) => `${s.name}${s.arg ? ` ${s.arg}` : ''}:\n${s.body}`).join('\n').slice(0, 4000) }],
  };
}

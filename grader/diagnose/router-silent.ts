// router-silent: ping crosses the router, traceroute's first hop does not answer. A router sends
// ICMP time-exceeded for each probe whose TTL ends on it, through its own OUTPUT hook: a rule
// there that drops it (or drops all ICMP the router sends) is named and removed; unread, the
// diagnosis says what it saw.
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import type { FirewallDrop } from '../parse/firewall-rules.ts';
import { describeDrop, firewallFix } from './filtering.ts';
import type { LabView } from './lab-view.ts';
import { PERSIST_FIREWALL } from './persistence.ts';
import { trafficPartlyWorks } from './quiet-failures.ts';

/** A rule of the OUTPUT hook that drops time-exceeded: by name, by type 11, or all ICMP. */
function dropsTimeExceeded(d: FirewallDrop): boolean {
  if ((d.hook ?? d.chain).toLowerCase() !== 'output') return false;
  if (d.policy) return true;
  const rule = d.rule ?? '';
  if (/time-exceeded|icmp-type 11\b|icmp type 11\b/.test(rule)) return true;
  return /\bicmp\b/.test(rule) && !/\btype\b|--icmp-type/.test(rule);
}

export function silentRouter(view: LabView): Diagnosis[] {
  if (!trafficPartlyWorks(view)) return [];
  const silent = view.results.filter((r) => r.kind === 'traceroute' && r.status === 'fail' && r.reason === 'first-hop-silent');
  if (silent.length === 0) return [];
  const o = view.observed.router;
  const drops = o ? [...o.nft.drops, ...o.iptables.drops].filter(dropsTimeExceeded) : [];
  const router = view.routerOnVm1?.address ?? "the router's address";
  const seen = `traceroute's first hop (the router's ${router}) did not answer, while ping crosses the router`;
  const evidence = [...drops.map((d) => `router: ${describeDrop(d)}`), ...silent.map((r) => `${resultName(r)}: ${r.actual ?? r.message}`)];
  const results = silent.map(resultName);
  if (drops.length > 0) {
    return [{
      cause: 'router-silent',
      host: 'router',
      summary: `${seen}: the router's firewall drops the ICMP time-exceeded it sends (its OUTPUT chain), so traceroute cannot see it.`,
      fix: firewallFix(drops),
      persist: PERSIST_FIREWALL,
      evidence,
      results,
    }];
  }
  const readable = o !== undefined && (o.nft.readable || o.iptables.readable);
  return [{
    cause: 'router-silent',
    host: 'router',
    summary: `${seen}: the router forwards but sends no ICMP time-exceeded. ${readable ? 'The grader saw no rule that drops it; look at the router\'s ICMP rate limits and firewall.' : 'Its firewall needs sudo to be read: look for a rule of its OUTPUT chain that drops ICMP.'}`,
    fix: ['sudo nft -a list ruleset', 'sudo iptables -L OUTPUT -v -n --line-numbers', 'sysctl net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask', '# then remove the rule that drops ICMP time-exceeded: sudo nft delete rule FAMILY TABLE CHAIN handle N, or sudo iptables -D OUTPUT N'],
    persist: PERSIST_FIREWALL,
    evidence,
    results,
  }];
}

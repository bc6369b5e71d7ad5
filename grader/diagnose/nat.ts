// NAT on the router (a leftover masquerade or SNAT): VM3 sees the router's address as the source
// and answers the router, which translates back, so the traffic works without being routed. The
// traffic checks fail it as `translated` (grader/checks/translation.ts); the diagnosis names the
// rule the grader could read (nft or iptables, both need root) and prints its removal.
import { resultName, type Diagnosis } from '../core/diagnosis.ts';
import { parseSubnet, subnetContains } from '../core/ipv4.ts';
import type { NatRule } from '../parse/nat-rules.ts';
import { sh } from '../core/shell-quote.ts';
import { isTraffic, type LabView } from './lab-view.ts';
import { SOURCE_SEEN } from '../checks/witnesses.ts';

/** The traffic checks' reason for traffic the router translated. */
export const TRANSLATED = 'translated';

const translatedResults = (view: LabView) => view.results.filter((r) => isTraffic(r) && r.status === 'fail' && r.reason === TRANSLATED);

// A rule's source match (`10.10.1.0/24`, or one address) covers `address`; unreadable, it may.
function covers(cidr: string, address: string): boolean {
  try {
    return subnetContains(parseSubnet(cidr.includes('/') ? cidr : `${cidr}/32`), address);
  } catch {
    return true;
  }
}

// A rule applies to the path when it may rewrite what leaves toward VM1 or VM3 from the other.
function onPath(view: LabView, rule: NatRule): boolean {
  const nics = [view.routerOnVm1?.interface, view.routerOnVm3?.interface].filter((n): n is string => n !== undefined);
  const sources = [view.vm1?.address, view.vm3?.address].filter((a): a is string => a !== undefined);
  const oifOk = !rule.oif || (rule.oif.negated ? nics.some((n) => n !== rule.oif!.name) : nics.includes(rule.oif.name));
  const sourceOk = !rule.source || rule.source.negated || sources.some((a) => covers(rule.source!.cidr, a));
  return oifOk && sourceOk;
}

function describeRule(r: NatRule): string {
  return r.tool === 'nft' ? `nft: table ${r.table}, chain ${r.chain}: ${r.rule}${r.handle !== undefined ? ` (handle ${r.handle})` : ''}` : `iptables -t nat: ${r.rule}`;
}

function removal(r: NatRule): string {
  if (r.tool === 'nft') {
    const [family = 'ip', table = 'nat'] = r.table.split(' ');
    return sh`sudo nft delete rule ${family} ${table} ${r.chain} handle ${String(r.handle ?? 'N')}`;
  }
  return sh`sudo iptables -t nat -D ${r.chain} ${String(r.position ?? 'N')}`;
}

// Lists first, then removes (iptables rules from the last, so that positions stay right).
function natFix(rules: NatRule[]): string[] {
  const shows = [...new Set(rules.map((r) => (r.tool === 'nft' ? 'sudo nft -a list ruleset' : 'sudo iptables -t nat -S')))];
  const ordered = [...rules].sort((a, b) => (b.position ?? 0) - (a.position ?? 0));
  return [...shows, ...ordered.map(removal)];
}

const PERSIST_NAT =
  'The running rules are what counts now; for the next boot remove the rule where it is kept too (/etc/nftables.conf, /etc/iptables/rules.v4, or the *nat section of /etc/ufw/before.rules).';

/** What the missing return route's diagnosis says about VM3's answers, given what the traffic checks saw. */
export function returnRouteNote(view: LabView): string {
  return translatedResults(view).length > 0
    ? " (VM3's answers reach VM1 now only because the router translates the addresses: see the router's NAT)"
    : ' (without it, VM3 answers VM1 by its default route and the replies never reach VM1)';
}

export function natOnRouter(view: LabView): Diagnosis[] {
  const translated = translatedResults(view);
  const observed = view.observed.router;
  const rules = (observed?.nat ?? []).filter((r) => onPath(view, r));
  if (translated.length === 0 && rules.length === 0) return [];
  const toward = view.routerOnVm3?.interface;
  const nic = rules.find((r) => r.oif && !r.oif.negated)?.oif?.name ?? toward;
  const seen = translated.flatMap((r) => (r.witnesses ?? []).filter((w) => w.name === SOURCE_SEEN && w.agrees === false).map((w) => `${resultName(r)}: ${w.detail}`));
  const readable = observed !== undefined && (observed.nft.readable || observed.iptables.readable);
  const base = {
    cause: 'nat-on-router' as const,
    host: 'router' as const,
    ...(nic ? { nic } : {}),
    persist: PERSIST_NAT,
    results: translated.map(resultName),
  };
  if (rules.length > 0) {
    return [{
      ...base,
      summary: `The router translates the addresses between VM1 and VM3 (NAT) instead of only routing them: a ${rules[0]!.kind} rule gives what it sends${nic ? ` out of ${nic}` : ''} its own address as the source, so VM3 answers the router. Remove it; VM3 then needs its own route back to VM1's network.`,
      fix: natFix(rules),
      evidence: [...rules.map(describeRule), ...seen],
    }];
  }
  return [{
    ...base,
    summary: `The traffic between VM1 and VM3 reaches VM3 with the router's address as its source: the router translates the addresses (NAT) instead of only routing them${readable ? '' : ' (its NAT rules need sudo to be read)'}.`,
    fix: ['sudo nft -a list ruleset', 'sudo iptables -t nat -S', '# then delete the masquerade or SNAT rule: sudo nft delete rule ip nat CHAIN handle N, or sudo iptables -t nat -D POSTROUTING N'],
    evidence: seen,
  }];
}

// What drops packets in a firewall: `nft -a list ruleset` (chains with a drop policy, rules that
// drop, with their handles) and `iptables -S` (policies, -j DROP/REJECT rules). Both need root: an
// unprivileged listing says so, and is `readable: false`.
import { iptablesLines, nftLines } from './ruleset-lines.ts';

export interface FirewallDrop {
  tool: 'nft' | 'iptables';
  /** nft: family and table (`inet filter`); iptables: the table (`filter`). */
  table: string;
  chain: string;
  /** nft: the chain's hook (forward, input, output, prerouting, postrouting). */
  hook?: string;
  /** The chain's own policy drops (no rule). */
  policy?: boolean;
  /** The dropping rule as listed, without its handle comment. */
  rule?: string;
  /** nft's rule handle (for `nft delete rule ... handle N`). */
  handle?: number;
  /** iptables: the rule's position in its chain, from 1. */
  position?: number;
}

export interface FirewallListing {
  readable: boolean;
  drops: FirewallDrop[];
}

const DENIED = /Operation not permitted|Permission denied|you must be root|not found|No such file/i;

export function parseNftRuleset(text: string): FirewallListing {
  if (DENIED.test(text) && !/^table /m.test(text)) return { readable: false, drops: [] };
  const drops = nftLines(text).flatMap((l): FirewallDrop[] => {
    if (!('body' in l)) return l.policy === 'drop' ? [{ tool: 'nft', table: l.table, chain: l.chain, hook: l.hook, policy: true }] : [];
    if (!/\b(drop|reject)\b/.test(l.body)) return [];
    return [{ tool: 'nft', table: l.table, chain: l.chain, ...(l.hook ? { hook: l.hook } : {}), rule: l.body, ...(l.handle !== undefined ? { handle: l.handle } : {}) }];
  });
  return { readable: true, drops };
}

export function parseIptablesS(text: string, table = 'filter'): FirewallListing {
  if (DENIED.test(text) && !/^-P /m.test(text)) return { readable: false, drops: [] };
  const drops = iptablesLines(text).flatMap((l): FirewallDrop[] => {
    if ('policy' in l) return /^(DROP|REJECT)$/.test(l.policy) ? [{ tool: 'iptables', table, chain: l.chain, policy: true }] : [];
    return /-j\s+(DROP|REJECT)\b/.test(l.spec) ? [{ tool: 'iptables', table, chain: l.chain, rule: l.line, position: l.position }] : [];
  });
  return { readable: true, drops };
}
